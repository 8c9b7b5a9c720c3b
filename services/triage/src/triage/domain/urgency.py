"""The learned urgency model: is this message critical? A second linear model, next to the rules.

The phrase rules in the taxonomy catch what their authors foresaw. This model generalises over wording: its
features are the words and word pairs of the message plus *concepts* from a small lexicon (a child, a
vulnerable adult, harm to the body, despair, a method of self-harm, a threat, a weapon, fire, gas, "now", …),
the pairs of concepts that occur together in the message, and negated concepts ("nobody was hurt" gives
`neg:harm`, not `harm`). Concept pairs are what carry over to unseen wording: "my nan" + "hasn't had water
since last night" is `vulnerable` + `deprived`, however it is phrased.

It is trained on the urgency labels of the training rows plus the project's own written urgency seed
(`triage/seed/urgency/*.jsonl`), and its threshold is chosen on out-of-fold scores of that data (see `fit`).
The classifier marks a message critical when a rule fires OR the model's probability reaches the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from triage.domain.features import STOP, analyze, stem
from triage.domain.tfidf import LinearText

RULE_ID = "critical.urgency_model"

# concept -> words and phrases (lower case, matched on tokens; a phrase is its tokens joined by spaces)
_LEXICON: dict[str, str] = {
    "child": """child children kid kids baby babies toddler toddlers infant newborn boy girl son daughter niece
        nephew pupil pupils schoolgirl schoolboy teenager teen little_one grandchild grandson granddaughter
        year_old yr_old stepson stepdaughter""",
    "vulnerable": """bedbound bed_bound housebound house_bound care_package elderly old_man old_woman old_lady old_gentleman pensioner dementia alzheimer alzheimers
        disabled diabetic vulnerable confused frail nan gran grandad grandma grandpa nana carer wheelchair
        learning_disability epileptic autistic""",
    "abuser": """dad stepdad father mum_boyfriend boyfriend partner husband ex uncle stepfather carer lodger
        mother mum man""",
    "body": """throat neck face head arms arm back wrists wrist ribs eye eyes legs skin body""",
    "harm": """hit hits hitting beat beats beating beaten battered bruise bruises bruised bruising burn burns burnt
        burned marks mark strangle strangled strangling choke choked choking punch punched punching kick kicked
        kicking slap slapped slapping throwing thrown hurt hurts hurting hurted abuse abused abusing abusive touch
        touched touches touching molest molested grabbed dragged shoved pushed bleeding blood injured injury
        wound wounds stabbed stab attack attacked assault assaulted raped rape knocked cut""",
    "confine": """cupboard locked lock_door locks taken_my_phone took_my_phone won_t_let not_allowed shut_in
        locked_in trapped keeps_me controlling""",
    "deprived": """without_food no_water no_electric bread cereal weight wet_bed soaked no_coat no_shoes pyjamas slippers
        nightie underpants shorts snowing below_freezing no_lights eating_from
        hungry starving starved food bins_for_food barefoot no_food water_since not_eaten not_fed
        filthy soiled nappy nappies cold freezing no_heating hasn_t_had hasn_t_eaten stuck_in_bed unfed""",
    "alone": """no_grown_up no_grown_ups no_grownups nobody_about lives_alone on_her_own on_his_own
        alone own_their own_his own_her unattended by_themselves nobody_has nobody_home no_adult
        no_one_home nobody_came left_them abandoned""",
    "despair": """finish_it_all ending_it ending_it_all be_gone gone_by_the be_with_her be_with_him made_my_mind_up mind_s_made_up no_one_cares nobody_cares last_message last_messages won_t_need not_be_around won_t_be_around be_here_for make_my_peace made_my_peace
        affairs_in_order goodbyes said_my_goodbyes nobody_will_miss miss_me be_over for_good go_to_sleep not_wake_up
        the_means made_up_my_mind how_easy step_in_front in_front_of_a_train in_front_of_the_train in_front_of_a_lorry step_off lean_further can_t_carry_on
        can_t_go_on nothing_to_live_for no_reason_to weight_on burden_on won_t_matter after_tonight
        last_weekend not_be_a_problem won_t_be_a_problem done_trying
        pointless hopeless point burden goodbye dark_place tired_of can_t_cope anymore any_more
        give_up end_it no_way_out worthless unbearable exhausted trapped numb empty sorry_for_everything
        wasn_t_around not_around not_be_here won_t_be_here disappear last_time final loves_us love_you
        given_away paid_off who_gets sorted_out easier_without without_me forgive_me""",
    "selfharm": """ligature ligatures rope_s_up hosepipe co_codamol insulin antidepressants strips packet packets gin cliffs tracks footbridge pylon quarry
        railway platform exhaust belt_to loft_hatch engine_running
        tablets pills meds medication overdose paracetamol painkillers sleeping_tablets rope noose
        blade blades razor razors jump jumping ledge railings wrong_side viaduct bridge edge cliff top_of
        stairwell roof multi_storey vodka drowsy slurring swallowed took_a_load lined_up""",
    "threat": """go_boom goes_off going_off_at little_surprise surprise_planned nobody_forgets no_one_forgets never_forget only_warning should_have_listened left_a_present a_present shoot shank shanked wet_up merk merked done_in getting_done slit six_feet bury buried end_him end_her
        see_another won_t_see bullet present_for something_for visit_from a_visit list_of_names lock_his_doors
        lock_her_doors lock_your_doors eyes_in_the_back clocked shame_if broken_legs going_home_in
        set_the_dog his_last her_last your_last acid getting_hurt put_him put_her
        run_him_over coming_for waiting_outside make_him_pay make_her_pay
        kill killed finish finished dead waiting_for won_t_be_going regret heads_kicked do_the_lot
        come_back coming_down deal_with sort_you pay_for mean_it last_warning watch_your know_where
        get_what teach burn torch petrol bomb shoot stab hurt_you smash kicked_in""",
    "staff": """planning_officer enforcement bailiff bailiffs traffic_warden parking_warden desk whoever civic_centre
        town_hall head_teacher teacher councillors
        officer staff reception office offices council councillor bin_men binmen workers worker
        housing_officer social_worker your_staff you_lot lot_of_you receptionist warden inspector""",
    "weapon": """shots gunshots gunshot gunfire shots_fired knife knives gun guns machete machetes blade bat baseball_bat hammer axe acid petrol crossbow
        firearm pistol shotgun crowbar""",
    "crime": """torches forced breaking_into throwing_bricks throwing_stones throwing_rocks jemmied padlock padlocks crowbar prising prised siphoning masks masked sledgehammer sledgehammers rammed
        snatching trying_doors going_through_cars screwdriver cutting_through
        jimmying jimmy breaking break_in breaking_in trying_the_handles handles stealing steal nicking
        loading snatched snatch robbed robbing mugged hoods hooded balaclava balaclavas burglar burglars
        intruder intruders lead_off forcing forced smashing smashed dragged_a dealing""",
    "now": """at_this_moment happening_now as_we_speak
        now right_now this_minute as_i_write as_i_type as_we_speak currently tonight at_the_moment
        still can_see can_hear just outside pacing happening this_morning since_last_night right_this""",
    "fire": """gone_up went_up caught_light caught_fire glow orange_glow
        fire fires smoke smoking flames burning alight ablaze blaze gone_up crackling smouldering
        scorch melting sparks sparking""",
    "gas": """gas rotten_egg rotten_eggs detector alarm carbon monoxide headaches headache dizzy sick vomiting
        boiler fumes sulphur""",
    "electric": """fizzing fizz fizzes crackling fuse_box fuseboard fuse_board melting melted tingling plug extension_lead
        pylon bulb light_switch
        socket sockets electrics electric electrical wires wiring cables substation live buzzing
        flickering hot_to_touch fuse consumer_unit light_fitting shock""",
    "medical": """gone_grey turned_grey going_grey grey_and_shaking gone_purple turned_purple going_purple lips_purple
        gurgling wheezing jerking floppy drooping burning_up can_t_breathe barely_talk not_talking
        swelling fainted passed_out not_making_sense pooling groaning
        collapsed slumped unconscious very_pale gone_pale deathly_pale shaking_all_over barely_breathing
        not_breathing stopped_breathing struggling_to_breathe can_t_wake won_t_wake drowsy slurring
        seizure having_a_fit is_fitting started_fitting bleeding blood_everywhere losing_blood fallen_over
        fell_over fell_down not_getting_up won_t_answer unresponsive sweaty
        stroke heart_attack chest_pain chest_pains clammy limp gone_blue turned_blue going_blue lips_blue
        lips_are_blue on_the_floor on_the_ground can_t_get_up went_down gone_down
        droopy lethargic keeled keeled_over wheezy rattly spurting spurting_blood swelling_up puffing_up""",
    "missing": """same_position not_moved haven_t_moved hasn_t_moved on_the_step on_the_doorstep hasn_t_answered not_answered bins_in lights_on light_on been_gone
        missing walked_out wandered wandering lost not_answering phone_off phone_s_off can_t_find
        hasn_t_come not_seen hasn_t_been_seen curtains milk post_piling no_answer not_responding
        slipped_out ran_off disappeared vanished never_came_back not_come_back wrong_bus nobody_knows""",
    "water": """in_the_ford into_the_ford floodwater dock marina harbour estuary pier surfaced waving_their_arms swept tide brook floating can_t_swim
        under_the_water went_under
        water river canal lock lock_gates lake sea reservoir pond weir drowning current""",
    "help": """help please_send send_someone 999 ambulance police urgent urgently emergency begging begged
        screaming scream screamed""",
    "fear": """scared terrified frightened afraid petrified begging crying screaming panicking too_scared""",
    "vehicle": """car cars van lorry bus truck tipper motorbike motorcycle scooter taxi tractor forklift fork_lift minibus
        cherry_picker digger bonnet windscreen wheels""",
    "structure": """scaffolding scaffold ceiling wall roof balcony hoarding crane canopy chimney masonry bricks rubble
        girder girders beam beams skylight silo shaft lift_shaft""",
    "pinned": """pinned buried crushed trapped underneath under_the_wheels under_it stuck_under caught_in pulled_under
        thrown_over thrown_off landed_on came_off fell_through fell_off fell_from""",
    "past": """when_he_was_younger when_she_was_younger when_i_was_younger doing_much_better doing_well doing_better in_the_80s in_the_90s in_the_70s last_summer last_winter last_autumn last_spring last_term a_while_back back_in couple_of_years few_years
        years_back
        last_week last_month last_year years_ago months_ago weeks_ago ago yesterday was_fixed
        previously used_to""",
    "routine": """fire_station fire_stations firefighter firefighters open_day open_days hedge_cuttings garden_waste garden_bonfire burn_garden_waste fire_door fire_doors fire_exit fire_exits fire_alarm fire_alarms smoke_alarm smoke_alarms
        smoke_detector fire_safety fire_risk fire_extinguisher gas_bill gas_bills gas_safety gas_meter
        gas_supplier electric_bill electricity_bill battery deserves award thank thanks compliment brilliant
        lovely great_job well_done fantastic could_get_hurt will_get_hurt could_fall one_day waiting_to_happen
        blue_badge apply application""",
    "device": """go_boom goes_off boom kaboom left_a_present timer device explosive explosives detonate detonator ticking holdall rucksack suspicious_package
        suspicious_parcel pressure_cooker go_off loud_bang wires_hanging taped bomb""",
    "complaint": """complain complaining complaint disgrace ombudsman joke shambles useless hopeless solicitor lawyer
        appeal sue furious livid fobbed fed_up sick_and_tired ashamed the_press my_mp""",
    "idiom": """choking_the_life life_out_of go_to_pieces killing_me killing_us dying_to dying_for to_die_for nearly_died daylight_robbery highway_robbery
        death_trap sick_to_death bored_to_death was_murder could_murder the_bomb went_ballistic lose_my_mind
        doing_my_head in_stitches saved_my_life turn_in_her_grave turn_in_his_grave car_crash""",
    "info": """procedures procedure memorial plan_for policy statistics dissertation project campaign volunteer volunteers course courses workshop talk
        fundraiser sponsored charity nominate freedom_of_information foi support_group
        how_do_i how_can_i where_can_i can_you_send can_we_book leaflet leaflets awareness training
        course event form information advice what_time booking book""",
}

_QUIET = ("routine", "idiom")  # phrases that stand for themselves, not for the concepts of their words

_NEGATORS = frozenset("no not nobody noone never without nothing none isn't wasn't didn't don't isnt wasnt didnt dont".split())


_UNNEGATED = frozenset(("now", "past", "info", "child", "vulnerable", "complaint", "idiom", "routine"))


def _build_lexicon() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], int]:
    single: dict[str, list[str]] = {}
    multi: dict[str, list[str]] = {}
    longest = 1
    for concept, words in _LEXICON.items():
        for w in words.split():
            parts = tuple(p for p in w.replace("'", "_").split("_") if p)
            if len(parts) == 1:
                single.setdefault(parts[0], []).append(concept)
            else:
                multi.setdefault(" ".join(parts), []).append(concept)
                longest = max(longest, len(parts))
    return ({k: tuple(v) for k, v in single.items()}, {k: tuple(v) for k, v in multi.items()}, longest)


_SINGLE, _MULTI, _LONGEST = _build_lexicon()
_MULTI_FIRST = frozenset(k.split(" ")[0] for k in _MULTI)
# every proper prefix of a phrase: the scan for a phrase stops as soon as the words read are no phrase's start
_PREFIXES = frozenset(" ".join(k.split(" ")[:n]) for k in _MULTI for n in range(1, len(k.split(" "))))
_ANY = frozenset(_SINGLE) | _MULTI_FIRST


def _split(toks: list[str]) -> list[str]:
    """Tokens with apostrophes split the way the lexicon spells them ("can't" -> "can", "t")."""
    out: list[str] = []
    for t in toks:
        if "'" in t:
            out += [p for p in t.split("'") if p]
        else:
            out.append(t)
    return out


def concepts(toks: list[str]) -> list[str]:
    """The concepts found in a message's tokens, negated ones as `neg:<concept>` (a negator in the 3 tokens
    before)."""
    words = _split(toks)
    out: list[str] = []
    n = len(words)
    skip_to = 0
    for i, w in enumerate(words):
        if i < skip_to or (w not in _ANY and not w.isdigit()):
            continue
        found: tuple[str, ...] = _SINGLE.get(w, ())
        if w in _MULTI_FIRST:
            gram = w
            for j in range(i + 1, min(n, i + _LONGEST)):
                if gram not in _PREFIXES:
                    break
                gram += " " + words[j]
                more = _MULTI.get(gram)
                if more:
                    found = found + more
                    for quiet in _QUIET:  # "fire door", "killing me": the routine thing, not fire or harm
                        if quiet in more:
                            found, skip_to = (quiet,), j + 1
        if not found and w.isdigit() and i + 1 < n and words[i + 1] in ("year", "yr", "years", "yrs"):
            found = ("child",) if int(w) < 18 else ()
        if not found:
            continue
        negated = any(words[k] in _NEGATORS for k in range(max(0, i - 3), i))
        out += [("neg:" + c) if negated and c not in _UNNEGATED else c
                for c in found]
    return out


# words that say how someone writes (a story, a complaint) rather than what is happening: left out of the
# word features, so the model does not learn "a conversational message is urgent" from its seed
_GENERIC = STOP | frozenset(
    """i'm i've i'd i'll im ive he's she's it's they're we're there's that's what's don't can't won't isn't
    him see seen saw going go goes gone get gets getting got know knew think thought feel felt other others
    said say says want wanted trying try tried through toward towards thing things when where who what which
    why how side right left some any all one two more most much many lot lots well back again still even
    ever only now just like really also because while after before since until about around come came
    coming make made take took taking give given put keep keeps kept look looks looking way time times day
    days week weeks year years someone something anyone everyone told tell asked ask let need needs needed
    people person man woman men women""".split()
)


_STEMS: dict[str, str | None] = {}  # token -> stem(token), None for a generic word (left out): cached
_MISS = object()


def urgency_features(toks: list[str]) -> list[str]:
    """Words, word pairs, concepts and concept pairs of a message (its `features.tokens`)."""
    cache = _STEMS
    stems = []
    for t in toks:
        s = cache.get(t, _MISS)
        if s is _MISS:
            s = None if t in _GENERIC else stem(t)
            if len(cache) < 200_000:
                cache[t] = s
        if s is not None:
            stems.append(s)
    found = sorted(set(concepts(toks)))
    pairs = [a + "+" + b for i, a in enumerate(found) for b in found[i + 1:] if not a.startswith("neg:")
             and not b.startswith("neg:")]
    return (
        stems
        + [a + " " + b for a, b in zip(stems, stems[1:], strict=False)]
        + ["c:" + c for c in found]
        + ["p:" + p for p in pairs]
        + [f"n:{min(len(found), 6)}"]
    )


@dataclass(slots=True)
class UrgencyModel:
    """P(critical) for messages: TF-IDF over `urgency_features` into a logistic regression, and a threshold."""

    text: LinearText
    threshold: float
    info: dict = field(default_factory=dict)

    def proba(self, token_lists: Sequence[list[str]]) -> np.ndarray:
        if not token_lists:
            return np.zeros(0)
        x = self.text.transform([urgency_features(t) for t in token_lists])
        return self.text.predict_proba(x)[:, 1]

    def explain(self, toks: list[str], k: int = 4) -> list[str]:
        """The features that pushed this message hardest towards critical."""
        return self.text.top_features(self.text.transform([urgency_features(toks)]), [1], k)[0]

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {**self.text.to_arrays(prefix), prefix + "threshold": np.asarray([self.threshold])}

    @classmethod
    def from_arrays(cls, arrays, prefix: str, info: dict | None = None) -> UrgencyModel:
        return cls(text=LinearText.from_arrays(arrays, prefix), threshold=float(arrays[prefix + "threshold"][0]),
                   info=dict(info or {}))


def _fit_once(feats: list[list[str]], y: np.ndarray, weights: np.ndarray, c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer  # training only
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=analyze, min_df=2, sublinear_tf=True, dtype=np.float32)
    x = vec.fit_transform(feats)
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(x, y, sample_weight=weights)
    return vec, clf


def fit_urgency(
    token_lists: Sequence[list[str]],
    critical: Sequence[bool],
    *,
    weights: Sequence[float] | None = None,
    c: float = 4.0,
    folds: int = 5,
    max_false_alarm: float = 0.015,
) -> UrgencyModel | None:
    """Fit the urgency model; None when there are too few critical examples (under 20).

    The threshold is the lowest score that flags at most `max_false_alarm` of the non-critical rows in
    out-of-fold predictions (deterministic folds), never below 0.5. The non-critical rows are mostly the hard
    decoys of the urgency seed, so 1.5% of them costs far less on ordinary mail (about 0.2% of street reports).
    """
    y = np.asarray(critical, dtype=int)
    if y.sum() < 20 or y.sum() == len(y):
        return None
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    feats = [urgency_features(t) for t in token_lists]
    fold = np.arange(len(y)) % folds
    oof = np.zeros(len(y))
    for k in range(folds):
        tr, te = fold != k, fold == k
        vec, clf = _fit_once([f for f, m in zip(feats, tr, strict=True) if m], y[tr], w[tr], c)
        oof[te] = clf.predict_proba(vec.transform([f for f, m in zip(feats, te, strict=True) if m]))[:, 1]
    neg = np.sort(oof[y == 0])[::-1]
    allowed = int(max_false_alarm * len(neg))
    threshold = float(max(0.5, neg[allowed] + 1e-6 if allowed < len(neg) else 0.5))
    recall = float((oof[y == 1] >= threshold).mean())
    vec, clf = _fit_once(feats, y, w, c)
    info = {"rows": int(len(y)), "critical": int(y.sum()), "threshold": round(threshold, 4),
            "oof_recall": round(recall, 4), "oof_false_alarm": round(float((oof[y == 0] >= threshold).mean()), 4)}
    return UrgencyModel(text=LinearText.from_sklearn(vec, clf), threshold=threshold, info=info)
