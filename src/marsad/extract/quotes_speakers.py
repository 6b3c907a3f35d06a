"""Reporting cues and their speakers, for the quotes stage (:mod:`marsad.extract.quotes`).

:class:`CueLexicon` holds the word lists of ``data/quotes/cues.tsv``, finds the cues of a
document (each with the complement word that opens its reported clause, if one follows)
and names the speaker of each cue:

* the entity right after a verb ("قال الرئيس الروسي"), unless a preposition governs it
  ("قال ... مع الرئيس", "أكد للرئيس"); persons before organisations before places;
* else the entity right before a verb written without a conjunction ("أن علييف أكد",
  "بوتين الذي أعرب عن", "واختتم علييف قائلا");
* else the words after the verb ("قال المتحدث باسم الوزارة"), when they can be a subject;
* else the last speaker (a pronoun subject, "وأضاف", "مضيفا"). A bare title the roles stage
  linked by coreference ("قال الرئيس") also goes on with the current speaker.

A named speaker of a reporting verb becomes the last speaker; when a news agency reports
what a person did ("أفادت وكالة X أن الرئيس Y ..."), that person goes on speaking. The
document's mentions and last speaker are kept by :class:`Reading`
(:mod:`marsad.extract.quotes_reading`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from marsad.arabic.normalize import fold
from marsad.arabic.phrases import PhraseTable, phrase_keys, token_keys
from marsad.arabic.tokenize import split_clitics
from marsad.extract.quotes_reading import PREP_CLITICS, SPEAKER_RANK, Mention, Reading
from marsad.model import ActorRef, EntityType, Token

__all__ = [
    "COMPLEMENT_WINDOW",
    "CONJUNCTIONS",
    "FALLBACK_WORDS",
    "PREP_CLITICS",
    "SUBJECT_WINDOW",
    "VERBS",
    "Cue",
    "CueLexicon",
    "Reading",
]

#: How far (in tokens) a cue looks ahead for its complement word ("أن", "إلى أن", "عن").
COMPLEMENT_WINDOW = 25
#: How far (in tokens) a verb looks ahead for its subject.
SUBJECT_WINDOW = 12
#: How many words of an unknown subject or attributed body are kept as its text.
FALLBACK_WORDS = 6

#: Kinds of cues, and kinds of plain word lists, in ``cues.tsv``.
CUE_KINDS = ("say", "indirect", "continue", "after", "according")
WORD_KINDS = ("skip", "preposition", "relative", "conjunction", "contrast")
KINDS = frozenset({*CUE_KINDS, *WORD_KINDS, "complement"})
VERBS = frozenset({"say", "indirect", "continue"})
#: Quote marks; they and these punctuation marks end the search for a subject.
QUOTE_MARKS = frozenset('«»“”„"″')
_STOPS = frozenset("،,:.;؛!?؟") | QUOTE_MARKS
#: Punctuation that ends the search for a complement word (a comma does not).
_HARD_STOPS = frozenset(":.;؛!?؟")
CONJUNCTIONS = frozenset("وف")
_AGENCY_SECTOR = "MED"
_ARTICLE = "ال"
_ABOUT = "عن"
_COMMAS = frozenset("،,")


@dataclass(slots=True)
class Cue:
    """A cue over tokens [first, last); ``comp`` is the token range of its complement word."""

    first: int
    last: int
    kinds: frozenset[str]
    comp: tuple[int, int] | None = None
    speaker: ActorRef | None = None
    resolved: bool = False

    @property
    def according(self) -> bool:
        return "according" in self.kinds and not self.kinds & (VERBS | {"after"})


class CueLexicon:
    """The cue word lists, and the speaker of each cue found with them."""

    def __init__(self, rows: Iterable[Mapping[str, str]]) -> None:
        grouped: dict[tuple[str, ...], set[str]] = {}
        words: dict[str, set[str]] = {kind: set() for kind in WORD_KINDS}
        articled: set[str] = set()
        self.complements: set[tuple[str, ...]] = set()
        for row in rows:
            cue, kind = row["cue"], row["kind"]
            if kind not in KINDS:
                raise ValueError(f"quotes/cues.tsv: unknown kind {kind!r} for {cue!r}")
            if kind == "complement":
                self.complements.add(tuple(fold(w) for w in cue.split()))
            elif kind in words:
                words[kind].update({fold(cue), *phrase_keys(cue)})
            else:
                for variant in (cue, "و" + cue):  # a conjunction may shield a short stem
                    grouped.setdefault(phrase_keys(variant), set()).add(kind)
                if fold(cue).startswith(_ARTICLE):
                    articled.update(phrase_keys(cue)[:1])
        self.complement_firsts = frozenset(words[0] for words in self.complements)
        self.cues: PhraseTable[frozenset[str]] = PhraseTable()
        for keys, kinds in grouped.items():
            self.cues.add_keys(keys, frozenset(kinds))
        self.skip = frozenset(words["skip"] | words["preposition"])
        self.prepositions = frozenset(words["preposition"])
        self.relatives = frozenset(words["relative"])
        self.conjunctions = frozenset(words["conjunction"])
        self.contrasts = frozenset(words["contrast"])
        #: The keys (stems) of the tokens whose folded form is a contrast word: only there
        #: can one be (:func:`marsad.arabic.phrases.token_keys` are kept per document).
        self.contrast_keys = frozenset({*self.contrasts, *(split_clitics(w)[1] for w in self.contrasts)})
        self.articled = frozenset(articled)

    # --- finding cues ------------------------------------------------------------------

    def find(self, doc: Reading, inside: Sequence[bool]) -> list[Cue]:
        """The cues of a document outside quote marks (``inside[i]``: token i is quoted)."""
        tokens = doc.tokens
        keys = token_keys(tokens)
        cues: list[Cue] = []
        after = 0  # tokens before this are inside a cue already found
        for i in self.cues.starts(keys):
            if i < after:
                continue
            token = tokens[i]
            verbal = token.is_word and (_ARTICLE not in token.prefixes or keys[i] in self.articled)
            hit = self.cues.match_at(keys, i) if verbal and not inside[i] else None
            if hit is not None:
                cues.append(Cue(i, hit[0], hit[1]))
                after = hit[0]
        firsts = {c.first for c in cues if not c.according}
        for cue in cues:
            limit = FALLBACK_WORDS + 3 if cue.according else COMPLEMENT_WINDOW
            for j in range(cue.last, min(len(tokens), cue.last + limit)):
                if tokens[j].text in _HARD_STOPS or j in firsts or _breaks(doc, j):
                    break
                n = 0 if inside[j] else self.complement(tokens, j)
                if n and tokens[j].norm == _ABOUT:
                    if not cue.according and cue.comp is None:  # not "وفق بيان صادر عن الخارجية"
                        cue.comp = (j, j + n)
                    continue  # "قال مسؤول، طلب عدم الكشف عن هويته، إن ...": a later "إن" may win
                if n:
                    if cue.comp is None or any(t.text in _COMMAS for t in tokens[cue.comp[1] : j]):
                        cue.comp = (j, j + n)
                    break
        return cues

    def complement(self, tokens: Sequence[Token], j: int) -> int:
        """How many tokens a complement word at ``tokens[j]`` takes (0: none there)."""
        if tokens[j].norm not in self.complement_firsts:
            return 0
        if j > 0 and tokens[j - 1].norm in self.conjunctions:
            return 0  # "غير أن", "بعد أن"
        for n in (2, 1):
            if tuple(t.norm for t in tokens[j : j + n]) in self.complements:
                return n
        return 0

    # --- speakers ----------------------------------------------------------------------

    def resolve(self, doc: Reading, cue: Cue) -> ActorRef | None:
        """The speaker of a cue (computed once); a named speaker becomes the last speaker."""
        if cue.resolved:
            return cue.speaker
        cue.resolved = True
        if cue.according:
            cue.speaker = self.according(doc, cue)
            return cue.speaker
        speaker = self.subject(doc, cue)
        if speaker is None:
            speaker = doc.last
        elif "say" in cue.kinds or cue.comp is not None:
            doc.remember(speaker)
            if speaker.sector == _AGENCY_SECTOR and cue.comp is not None:
                named = self.best(doc, cue.comp[1], cue.comp[1] + 3, governed=True)
                if named is not None and named.entity.type is EntityType.PERSON:
                    doc.last = doc.actor(named)
        cue.speaker = speaker
        return speaker

    def subject(self, doc: Reading, cue: Cue) -> ActorRef | None:
        """The subject named around a verb, or None when it has none of its own."""
        tokens = doc.tokens
        stop = self._window_end(doc, cue)
        if cue.kinds & VERBS:
            found = self.best(doc, cue.last, stop, governed=True)
            if found is not None:
                if found.via == "coreference" and doc.last is not None and doc.is_person(doc.last):
                    return doc.last  # a bare "الرئيس" goes on with the current speaker
                if found.via == "nisba" and found.first > cue.last:
                    return self._described(doc, cue.last, found, stop)
                return doc.actor(found)
        before = cue.first
        if before > 0 and tokens[before - 1].norm in self.relatives:
            before -= 1  # "بوتين الذي أعرب عن"
        if not set(tokens[cue.first].prefixes) & CONJUNCTIONS:
            near = doc.within(max(0, before - FALLBACK_WORDS), before)
            ending = [m for m in near if m.last == before and doc.subject_like(m)]
            if ending:
                return doc.actor(min(ending, key=lambda m: SPEAKER_RANK[m.entity.type]))
        if cue.kinds & VERBS:
            words = self._fallback(doc, cue.last, stop)
            if words:
                return ActorRef(text=words)
        found = self._leading(doc, cue)
        return doc.actor(found) if found is not None else None

    def _described(self, doc: Reading, lo: int, nisba: Mention, stop: int) -> ActorRef:
        """A speaker described by a country adjective ("وزير النقل التركي", "مسؤول عراقي"):
        the person named right after it, if any, else the words up to the adjective, of its
        country; not the country itself."""
        named = next(
            (
                m
                for m in doc.within(nisba.last, stop)
                if m.first == nisba.last and m.entity.type is EntityType.PERSON
            ),
            None,
        )
        if named is not None:
            found = doc.actor(named)
            return found if found.country else replace(found, country=nisba.entity.country)
        return ActorRef(text=doc.slice(lo, nisba.last), country=nisba.entity.country)

    def _leading(self, doc: Reading, cue: Cue) -> Mention | None:
        """The subject of the sentence's first clause, for a verb joined to it: "ووجه مارديل
        الشكر لبيريدهيل، وقال". Not one inside a reported clause or after a preposition."""
        tokens = doc.tokens
        lo = doc.token_at(doc.sentence(tokens[cue.first].start).start)
        opened = next((j for j in range(lo, cue.first) if self.complement(tokens, j)), cue.first)
        for m in doc.within(lo, opened):
            if m.entity.type is EntityType.GPE or m.entity.sector == _AGENCY_SECTOR:
                continue  # "أفادت وكالة X أن Y ..., وقال": Y speaks, the agency reports
            if doc.subject_like(m) and not (m.first > lo and tokens[m.first - 1].norm in self.prepositions):
                return m
        return None

    def according(self, doc: Reading, cue: Cue) -> ActorRef | None:
        """The body or document an attribution names: "حسب البيان", "وفقا لوكالة X"."""
        tokens = doc.tokens
        lo = cue.last
        while lo < len(tokens) and tokens[lo].norm in ("ما", "ل"):
            lo += 1
        hi = lo
        end = cue.comp[0] if cue.comp is not None else len(tokens)
        while hi < min(end, lo + FALLBACK_WORDS) and tokens[hi].is_word and not _breaks(doc, hi):
            if hi > lo and tokens[hi].norm in self.prepositions:
                break  # "بيان نشرته الوزارة على موقعها"
            hi += 1
        found = self.best(doc, lo, hi, governed=False)
        if found is not None:
            return doc.actor(found)
        return ActorRef(text=doc.slice(lo, hi)) if hi > lo else None

    def best(self, doc: Reading, lo: int, hi: int, *, governed: bool) -> Mention | None:
        """The speaker-like mention in tokens [lo, hi): next to ``lo`` first, then by type and
        distance; with ``governed``, none that a preposition governs."""
        found = doc.within(lo, hi)
        if governed:
            found = [
                m
                for m in found
                if doc.subject_like(m)
                and not (m.first > lo and doc.tokens[m.first - 1].norm in self.prepositions)
            ]
        if not found:
            return None
        return min(found, key=lambda m: (m.first - lo > 2, SPEAKER_RANK[m.entity.type], m.first))

    def _window_end(self, doc: Reading, cue: Cue) -> int:
        end = min(len(doc.tokens), cue.last + SUBJECT_WINDOW)
        if cue.comp is not None:
            end = min(end, cue.comp[0])
        for j in range(cue.last, end):
            if doc.tokens[j].text in _STOPS or _breaks(doc, j):
                return j
        return end

    def _fallback(self, doc: Reading, lo: int, hi: int) -> str | None:
        """Up to FALLBACK_WORDS words naming an unknown subject ("المتحدث باسم الوزارة")."""
        tokens = doc.tokens
        if lo >= hi or not self._content(tokens[lo]):
            return None
        last = lo
        for j in range(lo, min(hi, lo + FALLBACK_WORDS)):
            if not tokens[j].is_word or (j > lo and tokens[j].norm in self.skip):
                break
            last = j
        while last > lo and len(tokens[last].norm) == 1:  # "الأمين العام لـ"
            last -= 1
        return doc.slice(lo, last + 1)

    def _content(self, token: Token) -> bool:
        """Whether a word right after a verb may be its subject (not "في", "حينها", "بدوره")."""
        if not token.is_word or token.norm in self.skip or token.stem in self.skip:
            return False
        if set(token.prefixes) & PREP_CLITICS or token.norm.endswith("ا"):
            return False  # "بدوره", "لاحقا", "تعليقا"
        return not token.norm[:1].isdigit()


def _breaks(doc: Reading, j: int) -> bool:
    """Whether a line break stands right before token ``j``."""
    return j > 0 and "\n" in doc.text[doc.tokens[j - 1].end : doc.tokens[j].start]
