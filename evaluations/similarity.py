"""Finding texts that are nearly the same as another form's (SCORING.md §6, W_TEXT_REUSED); plain Python.

Similarity is the normalised Indel similarity (rapidfuzz's `fuzz.ratio`, 0–100) of the texts with their
white space removed, decided in whole numbers so that exactly 90 % counts. Two ways to search, both
exactly as good as comparing with every text:

- Choices, for one form's few texts: only texts of a length that can reach the threshold are compared,
  all in rapidfuzz's C loop.
- TextIndex, for the thousands of texts of an import: a text is only compared with texts that share
  enough of its character pairs (prefix filtering). With s = similarity / 100, texts a and b with
  ratio ≥ s differ by at most D = (1 − s) × 2 × len(a) / s insertions and deletions, each breaking at
  most two pairs, so b holds all but at most 2·D of a's distinct pairs, hence at least one of a's
  2·D + 1 rarest pairs; only the texts listed under those pairs are compared.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Callable, Hashable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

Q = 2  # character pairs: Chinese words are short


def normalized(text: str) -> str:
    return "".join(text.split())


def _grams(text: str) -> set[str]:
    return {text[i:i + Q] for i in range(len(text) - Q + 1)}


@dataclass(frozen=True)
class Match:
    source: Hashable
    similarity: Decimal  # percent, two places


class TextIndex:
    """Texts of many forms, each with where it came from; identical texts are kept once."""

    def __init__(self, min_chars: int = 20, similarity: Decimal = Decimal("90")):
        self.min_chars = min_chars
        self.similarity = similarity
        self._texts: list[str] = []
        self._sources: list[list] = []
        self._ids: dict[str, int] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)

    def __len__(self):
        return len(self._texts)

    def add(self, text: str, source: Hashable) -> None:
        text = normalized(text)
        if len(text) < self.min_chars:
            return
        text_id = self._ids.get(text)
        if text_id is None:
            text_id = self._ids[text] = len(self._texts)
            self._texts.append(text)
            self._sources.append([])
            for gram in _grams(text):
                self._postings[gram].append(text_id)
        self._sources[text_id].append(source)

    def _candidates(self, text: str):
        grams = _grams(text)
        s = float(self.similarity) / 100
        most_edits = int((1 - s) * 2 * len(text) / s) if s > 0 else len(text) * 2
        probes = Q * most_edits + 1
        if s <= 0 or probes > len(grams):
            return range(len(self._texts))  # too short or too repetitive to filter: compare with all
        rarest = sorted(grams, key=lambda gram: len(self._postings.get(gram, ())))[:probes]
        return sorted({text_id for gram in rarest for text_id in self._postings.get(gram, ())})

    def __repr__(self):
        return f"<TextIndex of {len(self._texts)} texts>"

    def most_similar(self, text: str, accept: Callable[[Hashable], bool]) -> Match | None:
        """The most similar text (at least the threshold) with a source `accept` takes, and that source;
        among equally similar ones the one added first. None when there is none or `text` is too short."""
        text = normalized(text)
        if len(text) < self.min_chars:
            return None
        exact = self._ids.get(text)
        if exact is not None:
            source = next((s for s in self._sources[exact] if accept(s)), None)
            if source is not None:
                return Match(source, Decimal("100.00"))
        candidates = self._candidates(text)
        best = None
        for at, percent in _near(text, [self._texts[i] for i in candidates], self.similarity):
            if best is None or percent > best[0]:
                source = next((s for s in self._sources[candidates[at]] if accept(s)), None)
                if source is not None:
                    best = (percent, source)
        if best is None:
            return None
        return Match(best[1], best[0])


def similarity(a: str, b: str) -> Decimal:
    """The similarity of two (normalised) texts in percent, two places."""
    if not a and not b:
        return Decimal("100.00")
    return ((1 - Decimal(Indel.distance(a, b)) / (len(a) + len(b))) * 100).quantize(Decimal("0.01"), ROUND_DOWN)


def _near(text: str, choices: list, threshold: Decimal):
    """(index in `choices`, similarity) of the choices at least `threshold` similar to `text`, in their order.
    rapidfuzz compares with every choice in C (a float ratio, asked for a hair below the threshold so that
    nothing exactly at it is lost); the few it returns are decided exactly, in whole numbers."""
    hits = process.extract(text, choices, scorer=fuzz.ratio, score_cutoff=float(threshold) - 0.001, limit=None)
    near = []
    for other, _, at in sorted(hits, key=lambda hit: hit[2]):
        length = len(text) + len(other)
        distance = Indel.distance(text, other)
        if distance <= int((1 - threshold / 100) * length):  # similarity ≥ threshold, without rounding
            near.append((at, ((1 - Decimal(distance) / length) * 100).quantize(Decimal("0.01"), ROUND_DOWN)))
    return near


class Choices:
    """Texts to compare with, sorted by length: a text can only reach s % similarity with texts whose length
    is within s / (200 − s) and (200 − s) / s of its own, so only those are handed to rapidfuzz."""

    def __init__(self, texts):
        self.texts = sorted(texts, key=len)
        self.lengths = [len(text) for text in self.texts]

    def best_match(self, text: str, threshold: Decimal):
        """(text, similarity) of the text most similar to `text` (at least `threshold`; of equals, the
        shortest first), or None."""
        low = int(len(text) * threshold / (200 - threshold))
        high = int(len(text) * (200 - threshold) / threshold) + 1
        window = self.texts[bisect_left(self.lengths, low):bisect_right(self.lengths, high)]
        best = None
        for at, percent in _near(text, window, threshold):
            if best is None or percent > best[1]:
                best = (window[at], percent)
        return best
