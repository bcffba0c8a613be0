"""Finding texts that are nearly the same as another form's (SCORING.md §6, W_TEXT_REUSED); plain Python.

Similarity is the normalised Indel similarity (rapidfuzz's `fuzz.ratio`, 0–100) of the texts with their
white space removed, decided in whole numbers so that exactly 90 % counts. Comparing every text with every other would cost millions of comparisons in a
department of 10,000 forms, so the index only compares a text with texts that share enough of its
character pairs to possibly reach the threshold (prefix filtering): with s = similarity / 100, two
texts a and b with ratio ≥ s differ by at most D = (1 − s) × 2 × len(a) / s insertions and deletions,
each of which breaks at most two pairs, so b holds all but at most 2·D of a's distinct pairs, and
therefore at least one of a's 2·D + 1 rarest pairs. Only the texts listed under those pairs are
compared, by rapidfuzz; the result is exactly that of comparing with every text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Hashable

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
        best = None
        for text_id in self._candidates(text):
            other = self._texts[text_id]
            length = len(text) + len(other)
            # similarity ≥ s ⟺ distance ≤ (1 − s/100) × length
            allowed = int((1 - self.similarity / 100) * length)
            distance = Indel.distance(text, other, score_cutoff=allowed)
            if distance > allowed:
                continue
            score = (1 - Decimal(distance) / length) * 100
            if best is None or score > best[0]:
                source = next((s for s in self._sources[text_id] if accept(s)), None)
                if source is not None:
                    best = (score, source)
        if best is None:
            return None
        return Match(best[1], best[0].quantize(Decimal("0.01")))
