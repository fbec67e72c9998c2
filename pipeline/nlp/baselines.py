"""The lemmatisers ilmio measures itself against, and a pip-only fallback: spacy-fi (lemma-only
configuration) and simplemma. Same interface as `VoikkoContextLemmatiser`."""

from __future__ import annotations

from typing import Any

from pipeline import components
from pipeline.components import LEMMATISERS
from pipeline.errors import EnvironmentProblem
from pipeline.nlp.tokens import NUM_RE, PUNCT_RE, Lemmatiser, Token, is_placeholder, tokenise
from pipeline.nlp.voikko import open_voikko


class SpacyFiLemmatiser:
    """spacy-fi (`spacy_fi_experimental_web_md`) with only tok2vec + morphologizer + lemmatizer.

    The lemmatiser reads token.dep for a few subject/object rules; without the parser those rules
    are skipped, which is the lemma-only configuration DESIGN.md measured.
    """

    keep = ("tok2vec", "morphologizer", "lemmatizer")

    def __init__(self, name: str = "spacy-fi.v1") -> None:
        self.name = name
        try:
            import spacy_fi_experimental_web_md
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EnvironmentProblem(
                "spacy-fi model not installed (pip install spacy-fi-experimental-web-md)"
            ) from exc
        base = spacy_fi_experimental_web_md.load()
        exclude = [p for p in base.pipe_names if p not in self.keep]
        self.nlp = spacy_fi_experimental_web_md.load(exclude=exclude)
        self._compounds: Any = None

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]:
        from spacy.tokens import Doc

        docs = (Doc(self.nlp.vocab, words=s) for s in sentences if s)
        done = iter(self.nlp.pipe(docs, batch_size=256))
        return [[t.lemma_ for t in next(done)] if s else [] for s in sentences]

    def analyse(self, text: str) -> list[Token]:
        from pipeline.nlp import compounds

        if self._compounds is None:
            self._compounds = compounds.CompoundSplitter(open_voikko())
        out = []
        for t in self.nlp(text):
            if t.is_space:
                continue
            if is_placeholder(t.text):
                out.append(Token(t.text, t.text, "PLACEHOLDER", t.idx, known=False))
                continue
            parts = self._compounds.parts(t.text, t.lemma_) if t.pos_ in ("NOUN", "ADJ") else ()
            out.append(Token(t.text, t.lemma_, t.pos_ or "X", t.idx, True, parts))
        return out


class SimplemmaLemmatiser:
    """simplemma's Finnish dictionary: pip-only fallback, no POS, no compounds."""

    def __init__(self, name: str = "simplemma.v1") -> None:
        self.name = name
        import simplemma

        self._lemmatize = simplemma.lemmatize

    def lemmatise_tokens(self, sentences: list[list[str]]) -> list[list[str]]:
        return [[self._lemma(t) for t in s] for s in sentences]

    def _lemma(self, orth: str) -> str:
        if PUNCT_RE.match(orth) or NUM_RE.match(orth):
            return orth
        return self._lemmatize(orth, lang="fi")

    def analyse(self, text: str) -> list[Token]:
        out = []
        for orth, start in tokenise(text):
            if is_placeholder(orth):
                out.append(Token(orth, orth, "PLACEHOLDER", start, known=False))
            elif PUNCT_RE.match(orth):
                out.append(Token(orth, orth, "PUNCT", start))
            elif NUM_RE.match(orth):
                out.append(Token(orth, orth, "NUM", start))
            else:
                out.append(Token(orth, self._lemma(orth), "X", start))
        return out


@LEMMATISERS.register("spacy-fi.v1")
def _spacy_fi(params: components.SpacyFiV1) -> Lemmatiser:
    return SpacyFiLemmatiser(name=params.name)


@LEMMATISERS.register("simplemma.v1")
def _simplemma(params: components.SimplemmaV1) -> Lemmatiser:
    return SimplemmaLemmatiser(name=params.name)
