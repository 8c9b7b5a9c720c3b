"""Language of a message (ISO 639-1), with Welsh recognised.

A function-word count decides the common cases (English, Welsh) in microseconds; anything else goes to
py3langid, whose model ships inside its wheel (nothing is fetched at run time).
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-zâêîôûŵŷáéíóúàèìòùäëïöüÿ']+")

# Words frequent in Welsh and rare in English (mutated forms included).
WELSH = frozenset(
    """yn yr mae ddim wedi gyda hefyd diolch gwelwch chi eich fy ein bod ydy ydi oes dw rwy rydw rydyn roedd
    sydd hyn hwn hon yma nid neu ond fel iawn cyngor ble pryd sut beth pam gan ac dros heb achos oherwydd nhw
    fe fo ei eu mewn rhaid angen isio eisiau gallu wnewch plîs plis bore prynhawn noswaith nos da ffordd
    stryd heol lôn twll tyllau sbwriel biniau bin ailgylchu casglu golau goleuadau coed coeden parc tŷ
    ty cartref plentyn plant gymraeg cymraeg cymru wythnos heddiw ddoe yfory ers unrhyw dim rhywun rhywbeth
    pobl yno fan mor yw oedd fydd bydd byddai gallwch allech allwch hoffwn hoffen ni'n i'r o'r a'r mae'r
    ydw dydy dydi does nad drwy ar ôl cyn tua ger gyferbyn ymlaen eto""".split()
)
ENGLISH = frozenset(
    """the and is are was were of to in it on for this that with there have has not be at my our from by
    please they been can could would should will you your we he she his her them what when which who
    outside near road street been very just but also about been into over after some any no""".split()
)
_ASCII_LATIN = re.compile(r"^[\x00-\x7f£€’‘“”–—…]*$")


def detect_language(text: str, toks: list[str] | None = None) -> str:
    """ISO 639-1 code of the message's language; `en` when it cannot tell (very short text).

    `toks` (the text's `features.tokens`) may be passed to save work.
    """
    words = toks if toks is not None else _WORD.findall(text.lower())
    if not words:
        return "en" if _ASCII_LATIN.match(text) else _langid(text)
    cy = en = 0
    for w in words:
        if w in WELSH:
            cy += 1
        elif w in ENGLISH:
            en += 1
    if cy >= 2 and cy > en:
        return "cy"
    if _ASCII_LATIN.match(text):
        if en >= 2 and en >= 2 * cy:
            return "en"
        if len(words) <= 3 and cy == 0:
            return "en"
    code = _langid(text)
    if code == "cy" or (cy >= 2 and cy >= en):
        return "cy"
    if len(words) <= 6 and _ASCII_LATIN.match(text) and en >= 1:
        return "en"  # langid is unreliable on a few Latin-script words
    return code


@lru_cache(maxsize=1)
def _identifier():  # loaded once, on first use
    import py3langid

    return py3langid


def _langid(text: str) -> str:
    code, _ = _identifier().classify(text)
    return str(code)
