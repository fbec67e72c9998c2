"""Redaction of Finnish personal data: identifiers and names become typed, numbered placeholders.

    >>> redact("Soitin Virtaselle, numero 040 123 4567. Virtasen tilanne on hyvä.").text
    'Soitin <HENKILÖ_1>:lle, numero <PUHELIN_1>. <HENKILÖ_1>:n tilanne on hyvä.'

Placeholders are numbered per document and per label; the same person (same Voikko baseform)
keeps the same number, and the Finnish case ending stays after a colon so the text still reads
as Finnish. Spans hold offsets into the *input* text and a label, never the matched text.
Running `redact` on its own output changes nothing.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.config import PROJECT_ROOT, TaggerParams
from pipeline.errors import ConfigError, EnvironmentProblem
from pipeline.nlp.voikko import open_voikko
from pipeline.redaction import identifiers as recognisers
from pipeline.redaction.identifiers import HENKILO, LABELS, PLACEHOLDER_RE, Span
from pipeline.redaction.names import KnownNames, NameConfig, NameFinder
from pipeline.redaction.signatures import find_signatures, signature_cues
from pipeline.redaction.tagger import MODEL_PATH, NameTagger

log = logging.getLogger(__name__)

DEFAULT_PATTERNS = PROJECT_ROOT / "configs" / "redaction.yaml"
SPACY_MODEL = "spacy_fi_experimental_web_md"
# Only the NER needs to run; the tagger, parser and Voikko lemmatiser cost time for nothing.
SPACY_EXCLUDE = ["tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer"]
# A placeholder already in the text, with the case ending the redactor put after it.
_PLACEHOLDER_WITH_ENDING = re.compile(PLACEHOLDER_RE.pattern + r"(?::[^\W\d_]+)?")
# Rounds of redaction on its own output before giving up on a fixpoint (two suffice in practice).
MAX_ROUNDS = 4

__all__ = ["LABELS", "Redacted", "Redactor", "Span", "redact"]


@dataclass(frozen=True)
class Redacted:
    """Redacted text and the spans (offsets into the input) that were replaced."""

    text: str
    spans: list[Span]


class RedactionConfig(BaseModel):
    """`configs/redaction.yaml`, validated (a typo in a key is an error)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_numbers: list[str] = []
    cues_before: list[str] = []
    cues_after: list[str] = []
    nicknames: list[str] = []
    allow_words: list[str] = []
    place_names: bool = True
    capitalised_common: bool = True
    initial_first_names: bool = True
    ner_non_person: list[str] = []
    not_streets: list[str] = []
    particles: list[str] = []
    signoff_cues: list[str] = []
    case_number_cues: list[str] = []
    not_plates: list[str] = []

    @classmethod
    def load(cls, path: Path) -> RedactionConfig:
        from pipeline import io

        data = io.read_yaml(path) or {}
        try:
            config = cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ConfigError(
                f"{'.'.join(map(str, first['loc']))}: {first['msg']}", file=path
            ) from exc
        for i, pattern in enumerate(config.client_numbers):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"client_numbers[{i}]: invalid regex ({exc})", file=path) from exc
        return config


class Redactor:
    """Loads Voikko (and spaCy-fi NER) once; `redact` then works text by text.

    Args:
        patterns: the redaction config (default `configs/redaction.yaml`).
        use_ner: also run spaCy-fi NER as a source of person names. Off by default: on Turku
            NER dev and on the sample it found no name the other sources missed, at 10-30x
            the time (`benchmarks/redaction.py --ner`).
        tagger: the learned name tagger's settings (`params.yaml > redact.tagger`); its
            `enabled: false` leaves the rules alone.
        tagger_model: another trained model file (cross-validation folds).
    """

    def __init__(
        self,
        patterns: Path | None = None,
        use_ner: bool = False,
        tagger: TaggerParams | None = None,
        tagger_model: Path | None = None,
    ) -> None:
        tagger = tagger if tagger is not None else TaggerParams()
        path = Path(patterns) if patterns is not None else DEFAULT_PATTERNS
        self.config = RedactionConfig.load(path)
        self._client_patterns = recognisers.compile_patterns(self.config.client_numbers)
        self._not_streets = frozenset(w.lower() for w in self.config.not_streets)
        self._not_plates = frozenset(w.lower() for w in self.config.not_plates)
        self._case_numbers = recognisers.case_number_pattern(self.config.case_number_cues)
        self._names = NameFinder(
            open_voikko(),
            NameConfig(
                cues_before=frozenset(w.lower() for w in self.config.cues_before),
                cues_after=frozenset(w.lower() for w in self.config.cues_after),
                allow_words=frozenset(w.lower() for w in self.config.allow_words),
                nicknames=frozenset(w.lower() for w in self.config.nicknames),
                place_names=self.config.place_names,
                capitalised_common=self.config.capitalised_common,
                initial_first_names=self.config.initial_first_names,
                ner_non_person=frozenset(self.config.ner_non_person),
                particles=frozenset(w.lower() for w in self.config.particles),
                threshold=tagger.threshold,
                veto=tagger.veto,
                place_threshold=tagger.place_threshold,
            ),
        )
        self._signoffs = signature_cues(self.config.signoff_cues)
        self.tagger: NameTagger | None = None
        if tagger.enabled:
            model = Path(tagger_model) if tagger_model is not None else MODEL_PATH
            self.tagger = NameTagger(self._names.morph, model)
        self.use_ner = use_ner
        self._nlp = _load_spacy() if use_ner else None

    def find_identifiers(self, text: str) -> list[Span]:
        """Identifier and signature spans of `text` (overlaps not yet resolved)."""
        return [
            *recognisers.find_identifiers(
                text,
                self._client_patterns,
                self._not_streets,
                self._not_plates,
                self._case_numbers,
            ),
            *find_signatures(text, self._signoffs),
        ]

    def redact(self, text: str, known_names: Iterable[str] = ()) -> Redacted:
        """Redact one text; `known_names` (e.g. the client's and worker's names) always go."""
        ents = self._entities([text])[0] if self._nlp is not None else []
        return self._redact(text, known_names, ents)

    def redact_many(
        self,
        texts: Sequence[str],
        known_names: Sequence[Iterable[str]] | None = None,
        *,
        batch_size: int = 32,
    ) -> list[Redacted]:
        """Redact many texts (spaCy runs batched); `known_names[i]` belongs to `texts[i]`."""
        names = known_names if known_names is not None else [()] * len(texts)
        if len(names) != len(texts):
            raise ValueError("known_names must have one entry per text")
        if self._nlp is not None:
            ents = self._entities(texts, batch_size=batch_size)
        else:
            ents = [[] for _ in texts]
        return [self._redact(t, n, e) for t, n, e in zip(texts, names, ents, strict=True)]

    # -- internals ---------------------------------------------------------------------------
    def _entities(self, texts: Sequence[str], batch_size: int = 32) -> list[list[tuple]]:
        assert self._nlp is not None
        out = []
        for doc in self._nlp.pipe(texts, batch_size=batch_size):
            out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
        return out

    def _redact(self, text: str, known_names: Iterable[str], ents: list[tuple]) -> Redacted:
        """Rounds until a round finds nothing new, so that redacting the output again changes
        nothing: the tagger reads context, and a placeholder is other context than the name it
        replaced (`<HENKILÖ_1> Kivi` may read differently from `Onni Kivi`)."""
        known_names = list(known_names)
        result, shifts = self._redact_once(text, known_names, ents)
        for _ in range(MAX_ROUNDS):
            if not result.spans:
                return result
            again_ents = self._entities([result.text])[0] if self._nlp is not None else []
            again, again_shifts = self._redact_once(result.text, known_names, again_ents)
            if not again.spans:
                return result
            result = Redacted(again.text, _compose(result, shifts, again.spans))
            shifts = _chain_shifts(shifts, again_shifts)
        return result

    def _redact_once(
        self, text: str, known_names: Iterable[str], ents: list[tuple]
    ) -> tuple[Redacted, list[tuple[int, int]]]:
        existing = [
            (m.start(), m.end(), m.group(1), int(m.group(2)))
            for m in _PLACEHOLDER_WITH_ENDING.finditer(text)
        ]
        protected = [(s, e) for s, e, _, _ in existing]
        ids = [
            s
            for s in [
                *self.find_identifiers(text),
            ]
            if not _overlaps(s.start, s.end, protected)
        ]
        ids = recognisers.resolve_overlaps(ids)
        known = KnownNames(known_names, self._names.morph) if known_names else None
        person_ph = [(s, s + len(f"<{lab}_{n}>")) for s, _, lab, n in existing if lab == HENKILO]
        hits = self._names.find(
            text,
            known=known,
            ner=[e for e in ents if not _overlaps(e[0], e[1], protected)],
            protected=protected + [(s.start, s.end) for s in ids],
            person_placeholders=person_ph,
            probs=self.tagger.probabilities(text) if self.tagger is not None else None,
        )
        # Identifiers win over names (an email holds a name; an address a street name).
        spans = sorted(ids + [Span(h.start, h.end, h.label, h.source) for h in hits])
        endings = {(h.start, h.end): h.ending for h in hits}
        keys = {(h.start, h.end): h.key for h in hits}

        numbers = _Numbering({lab: n for _, _, lab, n in existing})
        pieces: list[str] = []
        shifts: list[tuple[int, int]] = []
        out_len = 0
        cursor = 0
        for span in spans:
            if (span.start, span.end) in keys:
                number = numbers.person(span.label, keys[(span.start, span.end)])
                ending = endings[(span.start, span.end)]
            else:
                number = numbers.identifier(span.label, text[span.start : span.end])
                ending = ""
            placeholder = f"<{span.label}_{number}>" + (f":{ending}" if ending else "")
            pieces.append(text[cursor : span.start])
            pieces.append(placeholder)
            out_len += span.start - cursor + len(placeholder)
            shifts.append((out_len, out_len - span.end))
            cursor = span.end
        pieces.append(text[cursor:])
        return Redacted("".join(pieces), spans), shifts


class _Numbering:
    """Per-document numbers per label; starts after any placeholder already in the text."""

    def __init__(self, existing: dict[str, int]) -> None:
        self._next = dict(existing)
        self._by_key: dict[tuple[str, str], int] = {}

    def _new(self, label: str) -> int:
        self._next[label] = self._next.get(label, 0) + 1
        return self._next[label]

    def person(self, label: str, key: str) -> int:
        """`Matti Virtanen`, later `Virtaselle` and `Matin`: one number (shared baseforms)."""
        parts = key.split()
        for candidate in [key, *parts]:
            if (label, candidate) in self._by_key:
                number = self._by_key[(label, candidate)]
                break
        else:
            number = self._new(label)
        for candidate in [key, *parts]:
            self._by_key.setdefault((label, candidate), number)
        return number

    def identifier(self, label: str, matched: str) -> int:
        key = re.sub(r"[\s\-/().]", "", matched).lower()
        if (label, key) not in self._by_key:
            self._by_key[(label, key)] = self._new(label)
        return self._by_key[(label, key)]


def _compose(first: Redacted, shifts: list[tuple[int, int]], later: list[Span]) -> list[Span]:
    """Both rounds' spans as offsets into the original text. `shifts` holds, per replacement of
    the first round, (its end in the output, output minus input length up to there); a later
    span lies in the first round's output, outside its placeholders."""
    mapped = []
    for span in later:
        delta = 0
        for out_end, shift in shifts:
            if out_end > span.start:
                break
            delta = shift
        mapped.append(Span(span.start - delta, span.end - delta, span.label, span.source))
    return sorted(first.spans + mapped)


def _last_shift(shifts: list[tuple[int, int]], position: int) -> int:
    """The shift of the last replacement that ends at or before `position` (output side)."""
    delta = 0
    for out_end, shift in shifts:
        if out_end > position:
            break
        delta = shift
    return delta


def _chain_shifts(
    first: list[tuple[int, int]], second: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Shifts of two rounds as one: `first` maps input to the first output, `second` the first
    output to the second; the result maps input to the second output."""
    out = []
    for end1, shift1 in first:
        end2 = end1 + _last_shift([(e - s, s) for e, s in second], end1)
        out.append((end2, end2 - (end1 - shift1)))
    for end2, shift2 in second:
        end1 = end2 - shift2
        out.append((end2, end2 - (end1 - _last_shift(first, end1))))
    return sorted(out)


def _overlaps(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _load_spacy() -> Any:
    try:
        import spacy

        return spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDE)
    except (ImportError, OSError) as exc:
        raise EnvironmentProblem(
            f"spaCy model {SPACY_MODEL} is not installed (pip install spacy-fi-experimental-web-md)"
            " or set redact.ner: false"
        ) from exc


_default: Redactor | None = None
_default_lock = threading.Lock()


def default_redactor() -> Redactor:
    """The lazily built module-level `Redactor` (default config, no NER)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Redactor()
        return _default


def redact(text: str, *, known_names: Iterable[str] = ()) -> Redacted:
    """Redact `text` with the default `Redactor` (built on first use)."""
    return default_redactor().redact(text, known_names)
