"""The risk score: weighted danger words, a person, and "now", from the taxonomy's `risk` section.

Phrase rules catch what their authors foresaw; the score catches the rest by concept: a message with a strong
danger word ("bleach", "flames", "face down") and a person, or two danger words, is urgent however it is worded.
"""

from __future__ import annotations

import re

from triage.domain.gating import PatternSet, gate
from triage.domain.taxonomy import Risk, Rule

RULE_ID = "critical.risk_score"

# Words that say the danger is not happening now: a past event ("last month", "years ago"), a danger already in
# hand ("cordoned off", "made safe"), or a question about training, awareness, a policy or a charity. One of them
# takes a point off the score, so a strong danger word still counts but a weak one with a person in it no longer
# does. Checked only when there are danger points.
_CALM = re.compile(
    r"\b(last (week|month|year|summer|winter|spring|autumn|term|christmas|new year)|(weeks|months|years|a while|"
    r"some time|a few (weeks|months|years)) (ago|back)|\d+ (weeks|months|years) ago|back in (19|20)\d\d|"
    r"(cordoned|taped|fenced|coned) off|made (it )?safe|already (on site|there|aware|been reported)|rope swing|"
    r"burnt.?out (car|moped|van|bike|vehicle|scooter|motorbike)|"
    r"(prevention|awareness|training|campaign|leaflets?|fundrais\w*|statistics|freedom of information|policy|"
    r"crime number|insurance|dissertation|courses?|workshops?|charity|first aid|cpr) |"
    r"(i.?ve|i have|we.?ve|we have) (put|placed|left|stood) (a |the |my |some )?(bin|cone|cones|barrier|chair|sign|wheelie bin|"
    r"bollard|tape|car) (in front|over|round|around|next to|across)|(i.?ve|i have|we.?ve|we have) (taped|coned|blocked|fenced|roped) "
    r"(it |the area |the spot |the path |the pavement )?off|(turned|switched|shut|put) (it |the )?(electric|electrics|electricity|power|"
    r"mains|supply) off|(turned|switched|shut) off (the )?(electric|electrics|electricity|power|mains|supply)|(turned|switched|shut|put) (it )?off at the (mains|fuse ?box|fuse ?board|consumer unit|meter))",
)
# A past event or a question, with no word that it is happening now (the rules' `*past` and `*info` in the
# taxonomy say the same): four points off, so only a message with several strong danger words still scores.
_NOW = re.compile(
    r"\b(right now|currently|at the moment|as we speak|tonight|this (morning|afternoon|evening)|again|"
    r"please (help|hurry|come)|help (me|us|him|her)|send (help|someone)|(is|are) being|has just|have just|"
    r"just (seen|heard|found)|still (there|inside|in there|trapped|bleeding|burning|missing|not|on fire|unconscious))\b"
)
_PAST_ONLY = re.compile(
    r"\b(years? ago|months? ago|weeks? ago|(a few|a couple of|several) (years|months|weeks) (back|ago)|"
    r"(?<!since )last (year|month|summer|winter|autumn|spring|christmas|easter|new year|term|week|weekend|"
    r"january|february|march|april|june|july|august|september|october|november|december)|back in (19|20)\d\d|"
    r"in (19|20)\d\d|in (january|february|march|april|june|july|august|september|october|november|december)|"
    r"at new year|was put out|(is|are|was|were) (fine|safe|ok|okay|well) now|doing (so |much |really )?(well|better|fine)|"
    r"(has|have|s) (since |now )?(fully )?recovered|(known|notorious|infamous) for (people )?(jumping|jumpers|suicides?)|"
    r"(samaritans|suicide|crisis line) (signs?|posters?|boards?|plaques?|notices?|stickers?|phones?)|in the (19\d0|[6-9]0).?s|when (i|he|she|they|we) (was|were) (younger|little|small|at school|a (child|kid|teenager|teen|toddler|baby))|"
    r"prevention|awareness|training|campaigns?|leaflets?|posters?|fundrais\w*|sponsored|bake sale|raising money|"
    r"charity|support groups?|refuges?|helplines?|statistics|freedom of information|policy|policies|dissertation|"
    r"thesis|research|courses?|workshops?|drill|funding|volunteer\w*|thank(s| you)?(?! for nothing)|procedures?|protocols?|inductions?|if there.?s ever|in case of|(a|give|giving|run|do) talks? (about|on|to)|"
    r"(a|the) \w+ scare|burnt.?out (car|moped|van|bike|vehicle|scooter|motorbike)|(gas|boiler|annual) servic(e|ing)|safety check|free (\w+ ){0,2}(detectors?|alarms?)|(detectors?|alarms?) (fitted|checked)|"
    r"(want|like|need|have) (a|the|my|our) (detector|alarm)s? (fitted|checked|installed))\b"
)
# Words that say the message is a game, a story, a sport, an idiom or a medicine routine, not a person in danger:
# three points off.
_STORY = re.compile(
    r"\b(in the game|video games?|my character|fortnite|minecraft|roblox|call of duty|gta|escape rooms?|paintball|"
    r"laser ?tag|films?|movies?|netflix|tv (show|series|drama)|on telly|soaps?|novel|book club|panto\w*|zombies?|"
    r"haunted|halloween|(?<!not )(?<!no )(?<!wasn.t )(?<!weren.t )fireworks?|bird scarers?|gas guns?|bird bangers?|clay pigeons?|shooting (range|club|ground)s?|(netball|football|rugby|hockey|cricket|basketball) (team|match|club|game|final)|sparring|"
    r"boxing club|graffiti|(he|she|they).?(s|re| is| are) (fine|ok|okay|alright|unhurt)|no harm done|spray.?painted|(water|fire|road|gas|online|knife|internet|home) safety|knife crime|who should we contact|"
    r"is there (a|any) (support|funding|scheme|course|group)|forget\w*|reminders?|prescriptions?|pharmacy|chemist|"
    r"dosette|blister packs?|(boss|manager|teacher|missus|mrs|other half) (is |will |\w+ )?(going to |gonna )?"
    r"(kill|murder) me|(drowning|drowned) in (paperwork|debt|work|bills|emails|admin|letters|forms|red tape)|"
    r"(choking|choke) on (the )?(dust|fumes|smell|stench|pollution|exhaust)|suicid\w* (for|to) (cyclists|pedestrians|"
    r"drivers|walkers|motorists|anyone)|(nearly|almost) (had|gave me|give me|given me) a heart attack)\b",
)


def _calm(low: str) -> int:
    """Points off the danger score for a message that is past, a question, a story or an idiom."""
    points = 3 if _STORY.search(low) else 0
    if _PAST_ONLY.search(low) and not _NOW.search(low):
        return points + 4
    return points + (1 if _CALM.search(low + " ") else 0)


class RiskScorer:
    """Scores one message against the taxonomy's risk terms."""

    def __init__(self, risk: Risk) -> None:
        self.risk = risk
        danger, context = [], []
        for group in risk.terms:
            for i, pattern in enumerate(group.patterns):
                key = (group.kind, group.weight, pattern, i)
                (danger if group.kind == "danger" else context).append((key, gate(pattern)))
        self._danger = PatternSet(danger)
        self._compiled = {key[2]: gp.pattern for key, gp in danger}
        self._context = PatternSet(context)

    def score(self, text: str, low: str) -> tuple[int, list[str]]:
        """(score, the danger patterns' matched words); the score is 0 below `min_danger` danger points."""
        found = self._danger.matching(text, low)
        if sum(weight for _, weight, _, _ in found) < self.risk.min_danger:
            return 0, []
        danger, words = self._densest(found, text)
        if danger < self.risk.min_danger:
            return 0, []
        kinds = {kind for kind, _, _, _ in self._context.matching(text, low)}
        return danger + ("person" in kinds) + ("now" in kinds) - _calm(low), words

    def _densest(self, found: set, text: str) -> tuple[int, list[str]]:
        """The most danger points found within `window` characters, and the words that gave them."""
        hits = []  # (start, weight, key, word)
        for key in found:
            for m in self._compiled[key[2]].finditer(text):
                hits.append((m.start(), key[1], key, m.group().strip().lower()))
        hits.sort()
        best, best_words = 0, []
        for i, (start, _, _, _) in enumerate(hits):
            seen: dict = {}
            for s, w, key, word in hits[i:]:
                if s - start > self.risk.window:
                    break
                seen.setdefault(key, (w, word))
            points = sum(w for w, _ in seen.values())
            if points > best:
                best, best_words = points, sorted({word for _, word in seen.values()})
        return best, best_words

    def rule_for(self, text: str, low: str) -> Rule | None:
        """A synthetic rule explaining the urgency when the score reaches the threshold, else None."""
        total, words = self.score(text, low)
        if total < self.risk.threshold:
            return None
        return Rule(
            id=RULE_ID,
            description=f"risk words: {', '.join(words[:6])}",
            urgency=self.risk.urgency,
            patterns=["(?!)"],
        )
