"""Abusive content: none, offensive, hate or threat (the most serious found wins).

Lexicons and patterns, not a model: they are auditable, fast and do not drift. Obfuscations such as
`f*ck`, `sh1t` or `fuuuck` are normalised first. A `threat` also makes the message critical.
"""

from __future__ import annotations

import re

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "$": "s", "@": "a", "!": "i"})
_REPEAT = re.compile(r"([a-z])\1{2,}")
_STARRED = re.compile(r"\b([a-z])[*#@%]+([a-z]{0,3})\b")

_OFFENSIVE = re.compile(
    r"\b(f+u+c*k+\w*|fck\w*|fcuk\w*|fuk\w*|phuck\w*|feck\w*|sh+i+t+\w*|bullshit|twats?|wank\w*|"
    r"pricks?|dick(s|head|heads)?|cocks?|cocksucker\w*|cunts?|bitch\w*|bastards?|bollocks|piss(ed|ing)? (off|take)|"
    r"pissed|arse ?holes?|ass ?holes?|asses|ass|motherf\w+|mofo|pussy|pussies|slags?|sluts?|whores?|hoes|tossers?|"
    r"knob ?heads?|bell ?ends?|scumbags?|scum|morons?|idiots?|imbeciles?|cretins?|numpties?|muppets?|"
    r"stfu|wtf|ffs|gtfo|shut (the fuck )?up|get stuffed|jackass\w*|douche\w*|nigg?as?|niggaz|nobheads?|"
    r"dumb ?ass\w*|stupid (cow|bitch|prat|git)|prats?|screw you|up yours|sod off|bugger off)\b"
)
_HATE_SLURS = re.compile(
    r"\b(nigg(er|ers|ah)|faggots?|fags?|fagg\w*|dykes?|trann(y|ies)|retards?|retarded|spastics?|spaz|"
    r"spazz|pakis?|chinks?|gooks?|kikes?|spics?|wetbacks?|beaners?|coons?|ragheads?|towel ?heads?|sand ?niggers?|"
    r"gyppos?|gypos?|pikeys?|white trash|golliwogs?|shirt ?lifters?|poofs?|poofters?|batty ?boys?|jigaboos?|"
    r"porch ?monkeys?|camel ?jockeys?|muzzies?|muzrats?|zionazis?|wogs?|darkies|jungle bunn\w+|"
    r"yids?|half ?breeds?|mongs?|mongoloids?)\b"
)
_GROUPS = (
    r"(muslims?|islam\w*|moslems?|jews?|jewish people|blacks?|black people|immigrants?|migrants?|refugees?|"
    r"asylum seekers?|foreigners?|gays?|homosexuals?|lesbians?|trans (people|women|men)|transgenders?|gypsies|"
    r"travell?ers|romanians?|pakistanis?|indians?|asians?|africans?|arabs?|mexicans?|"
    r"hindus?|sikhs?|chinese|eastern europeans?|roma|disabled people|the disabled|women|feminists|whites|"
    r"white people)"
)
_NOUNS = (
    r"(vermin|scum|animals|parasites|cockroaches|rats|filth|sub ?humans?|savages|a disease|a plague|invaders|"
    r"inferior|a cancer|the problem|dirty|disgusting|evil|terrorists|rapists|criminals|breeding like \w+)"
)
_CALLS = (
    r"(should (all )?be (shot|killed|deported|gassed|hanged|hung|burned|exterminated|sent back|wiped out|banned)|"
    r"go back|send (them|em|'em) (all )?back|out of (our|this) country|don.?t belong|do not belong|ban (all|them)|"
    r"deport (them|the lot|all)|kill (them )?all|wipe (them )?out|gas (them|the lot)|"
    r"ruin(ed|ing)? (this|our) country|taking over (our|this|the) country|not welcome)"
)
_HATE_PATTERNS = re.compile(
    rf"\b{_GROUPS}\b.{{0,12}}\b(are|is|r|all|like)( (all|just|nothing but|basically|such))? {_NOUNS}\b|"
    rf"\b{_GROUPS}\b.{{0,50}}\b{_CALLS}|"
    rf"\b(kill|gas|deport|ban|exterminate|shoot|hang) (all )?(the |these |those )?{_GROUPS}\b|"
    r"\bgo back (to|where) (your|you|ur) (own )?(country|came from|belong)|\b(i|we) (hate|despise) (all )?(the )?" + _GROUPS
)
_VERB = r"(kill|stab|shoot|murder|hurt|burn|batter|beat|strangle|smash|slash|torch|petrol bomb|firebomb|knife|glass|slap|punch|deck|headbutt|kick|break)"
_PERSON = (
    r"(you|u|ya|yer|your \w+|ur \w+|him|her|them|whoever|every ?one|any ?one|some ?one|somebody|"
    r"the (staff|councill?ors?|council|lot of you|bin ?men|manager|officers?|person|guy|bloke|man|woman|idiots?|drivers?|"
    r"neighbours?|owner|workers|wardens?|mayor)|that (guy|bloke|man|woman|idiot|driver|neighbour|prick|twat|bitch)|"
    r"the next (one|person|warden|officer)|councill?ors?|staff)"
)
_THREAT = re.compile(
    r"\b(i|we|ima|imma)( will|.?ll| am going to|.?m going to| are going to|.?re going to|.?m gonna| am gonna|.?re gonna| gonna|"
    r" wanna| want to| swear i.?ll| swear to god i.?ll| could| would happily)"
    r"( (personally|fucking|f\w*ing|actually|seriously|literally|come round and|come down and|come and|find you and|"
    r"find and|track you down and|go round and|hunt you down and))? " + _VERB + r" " + _PERSON + r"\b|"
    r"\b(you.?re|you are|ur|u r|youre) (dead|a dead (man|woman)|gonna die|going to die|finished|getting (stabbed|shot|battered|done in))\b|"
    r"\bwatch (your|ur|yer) back\b|\bi know where (you|u|he|she|they|your (kids|family)) (live|lives|work)|"
    r"\b(hope|wish) (you|u|ya|they|he|she|all of you|the lot of you|ur)( all)? (die|dies|get (killed|shot|stabbed|cancer|raped)|burn|rot|drop dead)|"
    r"\b(you|u|they|he|she|councill?ors?|whoever|these people|those responsible|the (person|people|man|woman|idiots?|staff|owner|driver)s?)"
    r"\b.{0,25}\b(should|deserves? to|need to|needs to|ought to|are going to|is going to|gonna) (be|get) "
    r"(shot|hanged|hung|killed|stabbed|lynched|executed|strung up|burnt alive|burned alive|beaten|raped|knifed)\b|"
    r"\b(kill|shoot|hang|stab|burn) (all|every|the lot) (of )?(you|them|councill?ors?|the council|staff|officers)\b|"
    r"\bburn (down )?(the|your|their|ur) (council|town hall|office|offices|house|home|building|depot|car)\b|"
    r"\b(bomb|blow up|firebomb|petrol bomb) (the|your|ur|their) (council|town hall|office|offices|building|school|"
    r"mosque|church|synagogue|station|depot|place|house|home)\b|"
    r"\b(come|coming|turn up) (round|down|over) (there |to (your|the) \w+ )?(with|and) (a )?(knife|bat|gun|machete|mates|the boys|petrol)|"
    r"\b(kill|stab|shoot|murder|batter) (you|u|ya) (all|lot|if|when)\b|"
    r"\b(you|u).?(ll| will) (regret|pay for) (it|this)\b.{0,30}\b(hurt|blood|kill|violent|physically|come round)"
)


def normalise(text: str) -> str:
    """Lower case, undo common obfuscations (`f*ck`, `sh1t`, `fuuuck`)."""
    low = text.lower()
    low = _STARRED.sub(lambda m: _unstar(m.group(1), m.group(2)), low)
    low = low.translate(_LEET) if any(c in low for c in "0134$@!") else low
    return _REPEAT.sub(r"\1", low)


def _unstar(first: str, rest: str) -> str:
    guesses = {"f": "fuck", "s": "shit", "c": "cunt", "b": "bitch", "t": "twat", "w": "wank", "p": "prick"}
    if first in guesses and (rest == "" or guesses[first].endswith(rest) or rest in ("ing", "er", "ed", "in")):
        return guesses[first] + (rest if rest in ("ing", "er", "ed", "in") else "")
    return first + rest


def detect_abuse(text: str) -> tuple[str, list[str]]:
    """(label, rule ids) where label is none, offensive, hate or threat."""
    low = normalise(text)
    fired: list[str] = []
    if _THREAT.search(low):
        fired.append("abuse.threat")
    if _HATE_SLURS.search(low):
        fired.append("abuse.hate_slur")
    if _HATE_PATTERNS.search(low):
        fired.append("abuse.hate_speech")
    if _OFFENSIVE.search(low):
        fired.append("abuse.offensive")
    if not fired:
        return "none", fired
    if fired[0] == "abuse.threat":
        return "threat", fired
    if fired[0].startswith("abuse.hate"):
        return "hate", fired
    return "offensive", fired
