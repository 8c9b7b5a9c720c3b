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
      ei eu mewn rhaid angen isio eisiau gallu wnewch plîs  bore prynhawn noswaith   ffordd
    stryd heol lôn twll tyllau sbwriel biniau  ailgylchu casglu golau goleuadau coed coeden parc tŷ
     cartref plentyn plant gymraeg cymraeg cymru wythnos heddiw ddoe yfory ers unrhyw  rhywun rhywbeth
    pobl yno   yw oedd fydd bydd byddai gallwch allech allwch hoffwn hoffen ni'n i'r o'r a'r mae'r
    ydw dydy dydi does nad drwy ar ôl cyn tua ger gyferbyn ymlaen eto""".split()
)
ENGLISH = frozenset(
    """the and is are was were of to in it on for this that with there have has not be at my our from by
    please they been can could would should will you your we he she his her them what when which who
    outside near road street been very just but also about been into over after some any no""".split()
)
_ASCII_LATIN = re.compile(r"^[\x00-\x7f£€’‘“”–—…]*$")


# Languages a UK public body commonly receives; the detector chooses among these only (fewer absurd answers
# such as Sotho for "Fieldfare Way Walton Cardiff").
LANGUAGES = (
    "en cy ga gd fr de es it pt nl pl ro lt lv cs sk hu bg ru uk el tr ar fa ur hi bn pa gu ta zh ja ko so sw am "
    "ku sq hr sr sl da sv no fi et he vi th ms id tl ps ne si"
).split()


UNDETERMINED = "und"  # no letters at all (BCP 47's code for an undetermined language)


def warm_up() -> None:
    """Load the language model now rather than on the first message that needs it."""
    _identifier()


def detect_language(text: str, toks: list[str] | None = None) -> str:
    """ISO 639-1 code of the message's language; `en` for a few plain words; `und` when there are no letters.

    `toks` (the text's `features.tokens`) may be passed to save work.
    """
    words = toks if toks is not None else _WORD.findall(text.lower())
    if not any(c.isalpha() for c in text):
        return UNDETERMINED  # emoji, numbers, punctuation only
    plain = bool(_ASCII_LATIN.match(text))
    if not words:
        return "en" if plain else _langid(text)[0]
    cy = en = 0
    for w in words:
        if w in WELSH:
            cy += 1
        elif w in ENGLISH:
            en += 1
    if cy >= 2 and cy > en:
        return "cy"
    if en >= 3 and en >= 3 * cy and en >= 0.15 * len(words):
        return "en"  # English with a few non-ASCII characters (names, symbols, emoji)
    if plain:
        if en >= 2 and en >= 2 * cy:
            return "en"
        if cy == 0 and len(words) <= 8:
            return "en"  # a few plain Latin words (a street name, "Pothole. Park Lane") are English here
    code, prob = _langid(text)
    if code == "cy" or (cy >= 2 and cy >= en):
        return "cy"
    if code != "en" and plain and prob < 0.9:
        return "en"
    return code


@lru_cache(maxsize=1)
def _identifier():  # loaded once, on first use; the model ships inside the py3langid wheel
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in LANGUAGES if lang in identifier.labels])
    return identifier


def _langid(text: str) -> tuple[str, float]:
    code, prob = _identifier().classify(text)
    return str(code), float(prob)
