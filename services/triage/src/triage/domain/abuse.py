"""Abusive content: none, offensive, hate or threat (the most serious found wins).

Lexicons and patterns, not a model: they are auditable, fast and do not drift. Obfuscations such as
`f*ck`, `sh1t` or `fuuuck` are normalised first. A `threat` also makes the message critical.
"""

from __future__ import annotations

import re

from triage.domain.gating import PatternSet, gate

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "$": "s", "@": "a", "!": "i"})
_MIXED = re.compile(r"[a-z][01345$@!]|[01345$@!][a-z]")  # a letter next to a stand-in: "sh1t", "f4ck", "idiot!"
# a word written with stand-ins (trailing "!" is punctuation, kept as it is)
_LEET_WORD = re.compile(r"(?<![a-z01345$@!])[a-z01345$@!]*(?:[a-z][01345$@!]|[01345$@!][a-z])[a-z01345$@!]*")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_TRIPLE = re.compile(r"([a-z])\1\1")  # the same test, about three times faster to search
_STARRED = re.compile(r"\b([a-z])[*#@%]+([a-z]{0,3})\b")
_WORD = re.compile(r"[a-z0-9']+")

_GROUPS = (
    r"(muslims?|islam\w*|moslems?|jews?|jewish people|blacks?|black people|immigrants?|migrants?|refugees?|"
    r"asylum seekers?|foreigners?|illegals|illegal immigrants|gays?|homosexuals?|lesbians?|trans (people|women|men)|transgenders?|gypsies|"
    r"travell?ers|romanians?|pakistanis?|indians?|asians?|africans?|arabs?|mexicans?|"
    r"hindus?|sikhs?|chinese|eastern europeans?|roma|disabled people|the disabled|women|feminists|whites|"
    r"white people|poles|polish people|somalis?|nigerians?|afghans?|albanians?|syrians?|kurds?|bangladeshis?|"
    r"catholics?|christians?|atheists?|queers|trans|lgbt\w*|gay people|bisexuals?|wheelchair users|autistics?|"
    r"dinghy (people|lot)|boat people|small boat (people|migrants|arrivals)|these people from abroad|foreign \w+s)"
)
_NOUNS = (
    r"(vermin|scum|animals|parasites|cockroaches|rats|filth|sub ?humans?|savages|a disease|a plague|invaders|"
    r"inferior|a cancer|the problem|dirty|disgusting|evil|terrorists|rapists|criminals|breeding like \w+|"
    r"whores|sluts|bitches|property|objects|not (even )?human|less than human|an? (invasion|infestation|swarm|plague)|"
    r"invading|infesting|groomers|paedos|perverts|freaks|an? abominations?|abominations|mentally ill|unnatural|a drain|leeches|"
    r"scroungers|spongers|thieves|dogs|monkeys|apes|pigs|swine)"
)
_CALLS = (
    r"(should (all )?be (shot|killed|deported|gassed|hanged|hung|burned|exterminated|sent back|wiped out|banned)|"
    r"go back|send (them|em|'em) (all )?back|out of (our|this) country|don.?t belong|do not belong|ban (all|them)|"
    r"deport (them|the lot|all)|kill (them )?all|wipe (them )?out|gas (them|the lot)|"
    r"ruin(ed|ing)? (this|our) country|taking over (our|this|the) country|not welcome)"
)
_VERB = r"(kill|stab|shoot|murder|hurt|burn|batter|beat|strangle|smash|slash|torch|petrol bomb|firebomb|knife|glass|slap|punch|deck|headbutt|kick|break)"
_PERSON = (
    r"(you|u|ya|yer|your \w+|ur \w+|him|her|them|whoever|every ?one|any ?one|some ?one|somebody|"
    r"the (staff|councill?ors?|council|lot of you|bin ?men|manager|officers?|person|guy|bloke|man|woman|idiots?|drivers?|"
    r"neighbours?|owner|workers|wardens?|mayor)|that (guy|bloke|man|woman|idiot|driver|neighbour|prick|twat|bitch)|"
    r"the next (one|person|warden|officer)|councill?ors?|staff)"
)
_THREAT_PATTERNS = [
    r"\b(i|we|ima|imma)( will|.?ll| am going to|.?m going to| are going to|.?re going to|.?m gonna| am gonna|.?re gonna|"
    r" gonna| wanna| want to| swear i.?ll| swear to god i.?ll| could| would happily)"
    r"( (personally|fucking|f\w*ing|actually|seriously|literally|come round and|come down and|come and|find you and|"
    r"find and|track you down and|go round and|hunt you down and))? " + _VERB + r" " + _PERSON + r"\b",
    r"\b(you.?re|you are|ur|u r|youre) (dead|a dead (man|woman)|gonna die|going to die|finished|"
    r"getting (stabbed|shot|battered|done in))\b",
    r"\b(watch|mind) (your|ur|yer|his|her|their) back\b",
    r"\b(i|we) know (where|what car|which car|what time) (you|u|he|she|they|your (kids|family)|his (kids|family|wife)|"
    r"her (kids|family|husband)) (live|lives|work|works|drive|drives|park|parks|finish|finishes|leave|leaves)",
    r"\b(hope|wish) (you|u|ya|they|he|she|all of you|the lot of you|ur)( all)? (die|dies|get (killed|shot|stabbed|cancer|raped)|"
    r"burn|rot|drop dead)",
    r"\b(you|u|they|he|she|councill?ors?|whoever|these people|those responsible|the (person|people|man|woman|idiots?|staff|"
    r"owner|driver)s?)\b.{0,25}\b(should|deserves? to|need to|needs to|ought to|are going to|is going to|gonna) (be|get) "
    r"(shot|hanged|hung|killed|stabbed|lynched|executed|strung up|burnt alive|burned alive|beaten|raped|knifed)\b",
    r"\b(kill|shoot|hang|stab|burn) (all|every|the lot) (of )?(you|them|councill?ors?|the council|staff|officers)\b",
    r"\bburn (down )?(the|your|their|ur) (council|town hall|office|offices|house|home|building|depot|car)\b",
    r"\b(bomb|blow up|firebomb|petrol bomb) (the|your|ur|their) (council|town hall|office|offices|building|school|"
    r"mosque|church|synagogue|station|depot|place|house|home)\b",
    r"\b(come|coming|turn up) (round|down|over) (there |to (your|the) \w+ )?(with|and) (a )?(knife|bat|gun|machete|mates|"
    r"the boys|petrol)",
    r"\b(kill|stab|shoot|murder|batter) (you|u|ya) (all|lot|if|when)\b",
    r"\b(you|u).?(ll| will) (regret|pay for) (it|this)\b.{0,30}\b(hurt|blood|kill|violent|physically|come round)",
    r"\b(going to|gonna|will|.ll|wanna|want to|about to) (do (him|her|you|u|ya|them)|kick (him|her|you|u|ya|them)) "
    r"(in|over)\b",
    r"\b(drive|crash|put) (us|them|the kids|the children|the car|the lot of us)( all)? (in)?to (the )?"
    r"(river|canal|sea|lake|reservoir|quarry|wall|tree|traffic|oncoming traffic)\b",
]
_OFFENSIVE_WORDS = frozenset(
    """bullshit twat twats prick pricks dick dicks dickhead dickheads cock cocks cunt cunts bastard bastards bollocks
    pissed arsehole arseholes asshole assholes ass asses mofo pussy pussies slag slags slut sluts whore whores hoes
    tosser tossers knobhead knobheads nobhead nobheads bellend bellends scumbag scumbags scum moron morons idiot
    idiots imbecile imbeciles cretin cretins numpty numpties muppet muppets stfu wtf ffs gtfo jackass dumbass kys
    nigga niggas niggaz prat prats""".split()
)
_OFFENSIVE_PREFIXES = ("fuck", "fuk", "fck", "fcuk", "phuck", "feck", "shit", "wank", "bitch", "motherf", "cocksuck",
                       "douche", "jackass", "dumbass", "shite")
_HATE_WORDS = frozenset(
    """nigger niggers niggah faggot faggots dyke dykes tranny trannies retard retards retarded spastic
    spastics spaz spazz paki pakis chink chinks gook gooks kike kikes spic spics wetback wetbacks beaner beaners coon
    coons raghead ragheads towelhead towelheads gyppo gyppos gypo gypos pikey pikeys golliwog golliwogs poof poofs
    poofter poofters jigaboo jigaboos muzzie muzzies muzrat muzrats zionazi zionazis wog wogs darkies yid yids
    halfbreed halfbreeds mong mongs mongoloid mongoloids""".split()
)
_COMPILED: list[PatternSet] = []


# "I'll kill whoever designed this one-way system": anger at a decision, not at a person in reach
_HYPERBOLE = re.compile(
    r"\b(kill|murder|strangle|throttle|shoot|hang|stab|batter) (whoever|the (person|people|idiot|idiots|genius|geniuses|"
    r"muppet|muppets|clown|clowns)( who)?) (designed|planned|approved|came up with|thought (of|up)|dreamt up|dreamed up|"
    r"decided|invented|signed off|drew up|painted|put|installed|timed|programmed)\b"
)
# "the graffiti on the wall says 'you're dead'": a threat being reported, not made
_REPORTED = re.compile(r"\b(graffiti|sprayed|spray ?painted|scrawled|daubed|tagged|written on|painted on)\b")
_SLOGANS = {1, 2, 3}  # the threat patterns that read like a slogan on a wall: "you're dead", "watch your back", ...


def _patterns() -> PatternSet:
    """All abuse patterns keyed by (kind, index), compiled on first use."""
    if not _COMPILED:
        keyed = [((kind, i), gate(p)) for kind, source in (("threat", _THREAT_PATTERNS), ("hate", _HATE_PHRASES),
                                                           ("offensive", _OFFENSIVE_PHRASES))
                 for i, p in enumerate(source)]
        _COMPILED.append(PatternSet(keyed))
    return _COMPILED[0]


_OFFENSIVE_PHRASES = [
    r"\b(" + "|".join(_OFFENSIVE_PREFIXES) + r")",
    r"\bpiss(ed|ing)? (off|take)\b", r"\bshut (the fuck )?up\b", r"\bget stuffed\b", r"\bscrew you\b",
    r"\bup yours\b", r"\b(go )?kill (your ?self|urself|yaself)\b", r"\bgo (and )?die\b", r"\b(sod|bugger) off\b", r"\bstupid (cow|bitch|prat|git)\b", r"\b(knob|bell) (head|end)s?\b",
]
_HATE_PHRASES = [
    r"\bsand ?niggers?\b", r"\bwhite trash\b", r"\btowel ?heads?\b", r"\bshirt ?lifters?\b", r"\bbatty ?boys?\b",
    r"\bporch ?monkeys?\b", r"\bcamel ?jockeys?\b", r"\bjungle ?bunn(y|ies)\b", r"\bhalf ?breeds?\b",
    rf"\b{_GROUPS}\b.{{0,12}}\b(are|is|r|all|like)( (all|just|nothing but|basically|such))? {_NOUNS}\b",
    rf"\b{_GROUPS}\b.{{0,50}}\b{_CALLS}",
    rf"\b(kill|gas|deport|ban|exterminate|shoot|hang) (all )?(the |these |those )?{_GROUPS}\b",
    r"\bgo back (to )?(where|your|ur) (you |u )?(own )?(country|came from|come from|belong)",
    r"\b(i|we) (hate|despise) (all )?(the )?" + _GROUPS,
    # an insult stuck to a group ("immigrant scum", "muslim bastards", "f***ing pakis" once the stars are undone)
    r"\b(muslims?|islamists?|moslems?|jews?|jewish|immigrants?|migrants?|refugees?|asylum seekers?|foreigners?|foreign|"
    r"illegals|gays?|homosexuals?|lesbians?|trans|trannies|gypsy|gypsies|travell?ers?|romanians?|polish|poles|"
    r"pakistanis?|indians?|asians?|africans?|arabs?|somalis?|nigerians?|albanians?|afghans?|eastern europeans?|roma|"
    r"hindus?|sikhs?)\b.{0,25}\b(scum|scumbags|filth|cunts?|bastards|twats|fuckers|parasites|savages|sub ?humans?|"
    r"leeches|scroungers|invaders|lowlifes?|trash)\b",
    rf"\b(fucking|fuckin|fkn|fking|effing|bloody|thieving|scrounging|inbred)( \w+)? {_GROUPS}\b",
    r"\b(muslims?|islam|immigrants|migrants|refugees|asylum seekers|foreigners|blacks|jews|gays|trans) (out|go home)\b",
    r"\b(invasion|infestation|swarm|flood|plague|horde|hordes) of (\w+ )?(muslims|immigrants|migrants|refugees|asylum "
    r"seekers|foreigners|africans|asians|gypsies|travell?ers|eastern europeans|romanians|albanians|poles)\b",
    r"\b(send|ship|fly|put) (them|em|'em|the lot|all of them|these people)( all)? (back|home|off|out)( on| to| where)\b",
    r"\bgo back (to )?(africa|pakistan|india|poland|romania|bangladesh|somalia|the jungle|your (own )?(mud )?hut)\b",
    r"\b(sieg heil|heil hitler|white power|14 ?88|hitler (was right|had the right idea)|"
    r"race traitors?|white genocide|great replacement|jewish (cabal|control|bankers)|zionist (control|scum))\b",
    r"\b(chinky|chinkies|japs|polacks?|polaks?|gippos?|gyppies|slanty|slant ?eyes?|paki shop|pakis|nignog|sambo|"
    r"wop|wops|dago|dagos|kraut|krauts|jocks? scum|taffs? scum|bog ?trotters?|n[i1]gg?[e3]r|faggy|lezzas?|lezzers?|"
    r"(you|u|ur|little|fucking|fkn) fag\b|fags are|shemales?|he ?shes?|it ?s a (man|bloke) in a dress|spakka|spacker|window ?lickers?|mongy|cripples)\b",
    r"\b(women|girls|females)\b.{0,20}\b(belong in the kitchen|should (stay|be kept) (at home|in the kitchen)|"
    r"are only good for|can.?t drive|need a good slap)",
]


def normalise(text: str, low: str | None = None) -> str:
    """Lower case, undo common obfuscations (`f*ck`, `sh1t`, `fuuuck`); `low` (`text.lower()`) may be passed,
    and is returned as it is when there is nothing to undo."""
    norm = text.lower() if low is None else low
    if "*" in norm or "#" in norm or "%" in norm:
        norm = _STARRED.sub(lambda m: _unstar(m.group(1), m.group(2)), norm)
    if _MIXED.search(norm):
        norm = _LEET_WORD.sub(_deleet, norm)
    if _TRIPLE.search(norm):
        norm = _REPEAT.sub(r"\1", norm)
    return norm


def _deleet(m: re.Match[str]) -> str:
    word = m.group()
    core = word.rstrip("!")
    return core.translate(_LEET) + word[len(core):]


def _unstar(first: str, rest: str) -> str:
    guesses = {"f": "fuck", "s": "shit", "c": "cunt", "b": "bitch", "t": "twat", "w": "wank", "p": "prick"}
    if first in guesses and (rest == "" or guesses[first].endswith(rest) or rest in ("ing", "er", "ed", "in")):
        return guesses[first] + (rest if rest in ("ing", "er", "ed", "in") else "")
    return first + rest


def detect_abuse(text: str, low: str | None = None, toks: list[str] | None = None) -> tuple[str, list[str]]:
    """(label, rule ids) where label is none, offensive, hate or threat (the most serious found).

    `low` and `toks` (the lower-cased text and its `features.tokens`) may be passed to save work.
    """
    norm = normalise(text, low)
    if toks is None or norm is not low:
        toks = _WORD.findall(norm)
    fired: list[str] = []
    found = _patterns().matching(norm, norm)
    kinds = {kind for kind, _ in found}
    if "threat" in kinds:
        threats = {i for kind, i in found if kind == "threat"}
        if threats == {0} and _HYPERBOLE.search(norm) or threats <= _SLOGANS and _REPORTED.search(norm):
            kinds.discard("threat")  # hostile, not a threat: still marked offensive so it is blurred for agents
            kinds.add("offensive")
            fired.append("abuse.threat_not_meant")
        else:
            fired.append("abuse.threat")
    words = set(toks)
    if "hate" in kinds or not words.isdisjoint(_HATE_WORDS):
        fired.append("abuse.hate")
    if "offensive" in kinds or not words.isdisjoint(_OFFENSIVE_WORDS):
        fired.append("abuse.offensive")
    labels = [f for f in fired if f != "abuse.threat_not_meant"]
    if not labels:
        return "none", fired
    return labels[0].removeprefix("abuse."), fired
