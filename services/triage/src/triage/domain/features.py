"""Fast text features for the department model (a callable analyzer for scikit-learn's TfidfVectorizer).

Word tokens with plurals folded, bigrams, and joined compounds ("pot hole" also gives "pothole", "street light" gives
"streetlight"), so spelling variants meet. Pure Python string work, about ten times cheaper than character
n-grams, which matters at thousands of messages a second.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9\u00c0-\u024f']+")
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+")
_SENTENCE = re.compile(r"[.!?\n]")
STOP = frozenset(
    """a an the and or but of to in on at by for with from is are was were be been being it its this that these
    those there here i me my we our you your he she his her they them their as so if not no do does did have has
    had will would can could should just very also about into over up out off than then too please hi hello
    dear""".split()
)
def stem(token: str) -> str:
    """Plural folding only (potholes -> pothole, lorries -> lorry); `parking` must stay apart from `park`."""
    if len(token) <= 3 or token[-1] != "s":
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ss", "us", "is", "ous")):
        return token
    return token[:-1]


def tokens(low: str) -> list[str]:
    """Word tokens of lower-cased text; URLs and emails become `_url_`; a trailing 's is dropped."""
    if "http" in low or "www." in low or "@" in low:
        low = _URL.sub(" _url_ ", low)
    if "’" in low:
        low = low.replace("’", "'")
    out = []
    for tok in _TOKEN.findall(low):
        if "'" in tok:
            tok = tok.strip("'")
            if tok.endswith("'s"):
                tok = tok[:-2]
            if not tok:
                continue
        out.append(tok)
    return out


class _Stems(dict):
    """token -> its feature form (plural folded, a number -> "0", a stop word -> None), remembered."""

    def __missing__(self, token: str) -> str | None:
        value = None if token in STOP else "0" if token.isdigit() else stem(token)
        if len(self) < 200_000:  # bounded: a stream of unique tokens (ids, typos) must not grow it forever
            self[token] = value
        return value


_STEMS = _Stems()


def features_from_tokens(toks: list[str]) -> list[str]:
    """Features of one text: plural-folded words, bigrams (stop words skipped), joined compounds; numbers -> 0.

    Mixed tokens keep their digits: road numbers (a417, m5, j10) and postcode districts (gl50) carry meaning.
    """
    stems = [s for s in map(_STEMS.__getitem__, toks) if s is not None]
    pairs = list(zip(stems, stems[1:], strict=False))
    return (
        stems
        + [a + " " + b for a, b in pairs]
        + [a + b for a, b in pairs if len(a) >= 3 and len(b) >= 3 and a[0] != "0"]
    )


def text_features(low: str, toks: list[str]) -> list[str]:
    """All features of a lower-cased text and its tokens: `features_from_tokens`, plus the words of the first
    sentence again with a `t:` prefix: a report's title or a post's opening usually names the problem, while
    later sentences name landmarks ("pothole. outside the bus stop by the car park")."""
    first = _SENTENCE.split(low, 1)[0]
    head = tokens(first)[:12] if len(first) < len(low) else toks[:12]
    return features_from_tokens(toks) + ["t:" + s for s in map(_STEMS.__getitem__, head) if s is not None and s != "0"]


def analyze(doc: str | list[str]) -> list[str]:
    """The vectoriser's analyzer: a text, or the features already computed for it (a list)."""
    if isinstance(doc, list):
        return doc
    low = doc.lower()
    return text_features(low, tokens(low))
