"""Tone of a message: a lexicon with negation and intensifiers, scored in [-1, 1].

Service requests are mostly neutral ("the light is out"); the lexicon marks complaints, anger, fear and
distress as negative and thanks and praise as positive. Welsh thanks and complaints are included.
"""

from __future__ import annotations

import math
import re

_TOKEN = re.compile(r"[a-z']+|[!?]{2,}|[\U0001F300-\U0001FAFF\u2600-\u27BF]")

_POSITIVE = {
    "thanks": 1.5, "thank": 1.5, "thankyou": 1.5, "cheers": 1.0, "ta": 0.5, "great": 1.5, "brilliant": 2.0,
    "excellent": 2.0, "fantastic": 2.0, "amazing": 2.0, "wonderful": 2.0, "lovely": 1.5, "superb": 2.0,
    "helpful": 1.5, "quick": 1.0, "quickly": 1.0, "prompt": 1.0, "promptly": 1.0, "appreciate": 1.5,
    "appreciated": 1.5, "grateful": 1.5, "pleased": 1.5, "happy": 1.5, "delighted": 2.0, "good": 1.0,
    "well": 0.3, "nice": 1.0, "kind": 1.0, "kindly": 0.5, "impressed": 1.5, "love": 1.5, "loved": 1.5,
    "beautiful": 1.5, "clean": 0.5, "fixed": 1.0, "resolved": 1.0, "sorted": 1.0, "perfect": 1.5,
    "congratulations": 1.5, "welcome": 0.5, "best": 1.0, "praise": 1.5, "compliment": 1.5, "efficient": 1.5,
    "diolch": 1.5, "gwych": 2.0, "ardderchog": 2.0, "hyfryd": 1.5, "😊": 1.5, "🙂": 1.0, "👍": 1.5, "❤": 1.5,
    "😀": 1.5, "🙏": 1.0, "👏": 1.5,
}
_NEGATIVE = {
    "disgusting": 2.5, "disgrace": 2.5, "disgraceful": 2.5, "appalling": 2.5, "shocking": 2.0, "terrible": 2.0,
    "awful": 2.0, "horrendous": 2.5, "horrible": 2.0, "dreadful": 2.0, "atrocious": 2.5, "pathetic": 2.5,
    "useless": 2.5, "ridiculous": 2.0, "unacceptable": 2.0, "joke": 1.5, "shambles": 2.5, "incompetent": 2.5,
    "angry": 2.0, "furious": 2.5, "livid": 2.5, "annoyed": 1.5, "annoying": 1.5, "frustrated": 1.5,
    "frustrating": 1.5, "fed": 0.7, "sick": 1.0, "tired": 0.7, "upset": 1.5, "disappointed": 1.5,
    "disappointing": 1.5, "worst": 2.0, "worse": 1.2, "bad": 1.0, "poor": 1.0, "dangerous": 1.5, "danger": 1.2,
    "unsafe": 1.5, "hazard": 1.0, "scared": 1.5, "afraid": 1.5, "frightened": 1.5, "terrified": 2.0,
    "worried": 1.2, "worrying": 1.2, "concerned": 0.8, "complaint": 1.0, "complain": 1.0, "complained": 1.0,
    "ignored": 1.5, "ignoring": 1.5, "again": 0.4, "still": 0.4, "nothing": 0.5, "never": 0.6, "waste": 0.5,
    "broken": 0.6, "damaged": 0.4, "filthy": 2.0, "stinks": 1.5, "stink": 1.5, "mess": 1.0, "nightmare": 2.0,
    "hate": 2.0, "hopeless": 2.0, "despair": 2.0, "desperate": 1.8, "suffering": 1.8, "miserable": 2.0,
    "rude": 2.0, "lazy": 2.0, "fuming": 2.5, "outrageous": 2.5, "shameful": 2.5, "shame": 1.5, "crap": 2.0,
    "rubbish": 0.3, "shit": 2.0, "fucking": 1.5, "fuck": 2.0, "unbelievable": 1.5, "overflowing": 0.6,
    "months": 0.3, "weeks": 0.3, "yet": 0.4, "injured": 1.5, "hurt": 1.2, "die": 1.5, "dead": 1.0,
    "stupid": 1.5, "idiot": 2.0, "idiots": 2.0, "moron": 2.0, "morons": 2.0, "clowns": 1.5, "liar": 2.0,
    "liars": 2.0, "lying": 1.5, "corrupt": 2.0, "embarrassment": 2.0, "wtf": 1.5, "ffs": 1.5, "bitch": 1.5,
    "cunt": 2.5, "bastard": 2.0, "bastards": 2.0, "twat": 2.0, "wankers": 2.5, "scum": 2.5, "bullshit": 2.0,
    "ofnadwy": 2.0, "siomedig": 1.5, "cywilydd": 2.0, "peryglus": 1.5, "😡": 2.5, "😠": 2.0, "🤬": 2.5,
    "😤": 1.5, "😢": 1.5, "😭": 1.5, "👎": 1.5, "🙄": 1.2, "!!": 0.5, "!!!": 0.8, "??": 0.3,
}
_LEXICON = frozenset(_POSITIVE) | frozenset(_NEGATIVE)
_NEGATORS = frozenset("not no never isn't wasn't aren't don't doesn't didn't hardly without nor dim ddim".split())
_INTENSIFIERS = {"very": 1.5, "really": 1.4, "so": 1.3, "extremely": 1.8, "absolutely": 1.7, "totally": 1.5,
                 "utterly": 1.8, "completely": 1.4, "too": 1.2, "incredibly": 1.7, "bloody": 1.5}


def score_sentiment(text: str, toks: list[str] | None = None) -> tuple[str, float]:
    """(label, score) with score in [-1, 1]; |score| < 0.2 is neutral.

    `toks` (the text's `features.tokens`) may be passed to save work when the text has no emoji and no "!!"/"??".
    """
    if toks is None or not text.isascii() or "!!" in text or "??" in text:
        tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    else:
        tokens = toks
    total = 0.0
    if _LEXICON.isdisjoint(tokens):
        tokens = ()
    for i, tok in enumerate(tokens):
        if tok not in _LEXICON and not tok.startswith("!!"):
            continue
        weight = _POSITIVE.get(tok, 0.0) - _NEGATIVE.get(tok, 0.0)
        if tok.startswith("!!"):
            weight = -_NEGATIVE["!!!" if len(tok) > 2 else "!!"]
        if not weight:
            continue
        window = tokens[max(0, i - 3):i]
        if any(w in _NEGATORS for w in window):
            weight *= -0.6
        if i and tokens[i - 1] in _INTENSIFIERS:
            weight *= _INTENSIFIERS[tokens[i - 1]]
        total += weight
    if text.isupper() and len(text) > 12:
        total -= 1.0
    score = math.tanh(total / 3.0)
    score = max(-1.0, min(1.0, round(score, 3)))
    if score <= -0.2:
        return "negative", score
    if score >= 0.2:
        return "positive", score
    return "neutral", score
