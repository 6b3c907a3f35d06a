"""The quotes stage: direct and indirect speech, with the cue that reports it and its speaker.

**Direct quotes** are the words between quote marks: «…», “…”, "…" (straight marks paired in
order), „…“, ″…″ (and the mixed “…″ and ”…” that the press also writes). A quote left open
closes at the end of its paragraph, never further. A short quote (fewer than
:data:`MIN_WORDS` words) counts only with a reporting cue next to it ("قال: «لا»", "«…»، قال
الوزير", or a quoted predicate ending a reported clause: "وأن هذا الرقم "سيرتفع أكثر""), so
a name in quotes ("في “كوب 29”", a newspaper) is not a quote.

**Cues** are the words of ``data/quotes/cues.tsv``: reporting verbs (``say``: قال، أعلن،
أكد), verbs that report only with a complement or close to a quote (``indirect``: أشار إلى
أن، أعرب عن), continuations (``continue``: وأضاف، وتابع، ومضى قائلا), participles after a
main clause (``after``: قائلا، مضيفا أن) and attributions (``according``: حسب البيان).

**Speakers** (:mod:`marsad.extract.quotes_speakers`) are entities of ``doc.entities``, or the
words naming an unknown one. A quote takes the speaker of the last cue before it in its
sentence ("وقال الرئيس الروسي: «…»", "وقال بوتين إن «…»"); else the entity right before a
colon ("X: «…»"); else an attribution in that sentence ("حسب البيان: «…»"); else a cue right
after it ("«…»، قال X", "“…”، كما عبر الرئيس"). Continuations ("وأضاف: «…»") and verbs
without a subject of their own take the previous speaker.

**Indirect quotes** (``direct=False``) are the clauses after a cue and a complement word
("أكد أن ...", "أشار إلى أن ...", "أعرب عن ...", "بحسب المصدر فإن ..."), up to the end of
the sentence, the next reporting clause or the next direct quote; they never overlap a
direct quote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import compress

from marsad.arabic.phrases import token_keys
from marsad.extract.quotes_speakers import CONJUNCTIONS, PREP_CLITICS, VERBS, Cue, CueLexicon, Reading
from marsad.model import ActorRef, Document, Entity, EntityType, Quote, Span, Token
from marsad.resources import read_tsv

__all__ = ["MIN_WORDS", "NEAR_WORDS", "QuotesStage"]

#: A quote with fewer words needs a reporting cue next to it.
MIN_WORDS = 4
#: How many words may stand between an ``indirect``, ``continue`` or ``after`` cue and the
#: quote it introduces when no colon or complement word links them.
NEAR_WORDS = 8

#: Opening marks and the marks that may close them.
_MARKS: Mapping[str, str] = {"«": "»", "“": "”″", "„": "“”", '"': '"', "″": "″", "”": "”“"}
_OPENERS = re.compile("[" + re.escape("".join(_MARKS)) + "]")
_CLOSERS = {mark: re.compile("[" + re.escape(closers) + "]") for mark, closers in _MARKS.items()}
_SENTENCE_END = frozenset(".!?؟\n")
_COMMAS = frozenset("،,")
#: Words that may stand between a quote and the cue after it: "«…»، كما قال".
_LINKS = frozenset({"كما", "ثم", "حسبما"})
_RANK = {EntityType.PERSON: 0, EntityType.ORG: 1, EntityType.GPE: 2}


@dataclass(frozen=True, slots=True)
class _Marked:
    """A stretch between quote marks: the marks span [open, close), the words [start, end)."""

    open: int
    close: int
    start: int
    end: int


class QuotesStage:
    """Direct and indirect quotes of ``doc.text``, with cue and speaker."""

    name = "quotes"
    requires = frozenset({"text", "tokens", "sentences", "entities"})
    provides = frozenset({"quotes"})

    def __init__(self, cues: Iterable[Mapping[str, str]]) -> None:
        self.lexicon = CueLexicon(cues)

    @classmethod
    def load(cls) -> QuotesStage:
        return cls(read_tsv("quotes/cues.tsv"))

    def __call__(self, doc: Document) -> Document:
        quotes = self.find(doc.text, doc.tokens, doc.sentences, doc.entities)
        return replace(doc, quotes=quotes, provided=doc.provided | self.provides)

    def find(
        self, text: str, tokens: Sequence[Token], sentences: Sequence[Span], entities: Sequence[Entity]
    ) -> tuple[Quote, ...]:
        """The quotes of ``text``, given its tokens, sentence spans and entities, in text order."""
        if not tokens:
            return ()
        doc = Reading(text, tokens, sentences, entities)
        marked = _marked(text)
        inside = [False] * len(tokens)
        for m in marked:
            lo, hi = doc.token_at(m.open), doc.token_at(m.close)
            inside[lo:hi] = [True] * (hi - lo)
        cues = self.lexicon.find(doc, inside)
        events: list[tuple[int, int, _Marked | Cue]] = [(m.open, 0, m) for m in marked]
        events += [(tokens[c.first].start, 1, c) for c in cues]
        events.sort(key=lambda e: (e[0], e[1]))
        direct: list[tuple[_Marked, Quote]] = []
        for _, _, item in events:
            if isinstance(item, Cue):
                self.lexicon.resolve(doc, item)
                continue
            quote = self._direct(doc, item, cues, direct[-1][1] if direct else None)
            if quote is not None:
                direct.append((item, quote))
                doc.remember(quote.speaker)
        indirect = self._indirect(doc, cues, [m for m, _ in direct])
        return tuple(sorted([q for _, q in direct] + indirect, key=lambda q: (q.start, q.end)))

    # --- direct quotes -------------------------------------------------------------------

    def _direct(
        self, doc: Reading, mark: _Marked, cues: Sequence[Cue], previous: Quote | None
    ) -> Quote | None:
        """The quote between ``mark``'s quote marks, if it is one, with its cue and speaker."""
        text, tokens = doc.text, doc.tokens
        if mark.start >= mark.end:
            return None
        open_tok, close_tok = doc.token_at(mark.open), doc.token_at(mark.close)
        colon = _colon_before(text, mark.open)  # "X: «…»", or "وقال:" ending the line before
        sentence = doc.sentence(mark.open).start
        clause = min(sentence, doc.sentence(colon).start) if colon is not None else sentence
        if previous is not None:
            clause = max(clause, previous.end + 1)
        lo = bisect.bisect_left(cues, clause, key=lambda c: tokens[c.first].start)
        hi = bisect.bisect_left(cues, open_tok, key=lambda c: c.first)
        before = [c for c in cues[lo:hi] if c.last <= open_tok]
        preps = self.lexicon.prepositions
        chosen = next(
            (c for c in reversed(before) if not c.according and _links(doc, c, open_tok, preps)), None
        )
        after = _after(doc, cues, close_tok)
        named = [] if colon is None else doc.within(doc.token_at(clause), open_tok)
        named = [m for m in named if colon is not None and not text[m.end : colon].strip()]
        cue: Cue | None = chosen
        speaker: ActorRef | None = None
        if chosen is not None:
            speaker = self.lexicon.resolve(doc, chosen)
        elif named:
            speaker = doc.actor(min(named, key=lambda m: _RANK[m.entity.type]))
        elif according := [c for c in before if c.according]:
            cue = according[-1]
            speaker = self.lexicon.resolve(doc, cue)
        elif after is not None:
            cue = after
            speaker = self.lexicon.resolve(doc, after)
        if doc.words(open_tok, close_tok) < MIN_WORDS and not (
            after is not None or named or self._bound(doc, chosen, mark, open_tok)
        ):
            return None
        cue_text = doc.slice(cue.first, cue.last) if cue is not None else None
        if cue is None and not named and previous is not None and previous.end >= sentence:
            cue_text, speaker = previous.cue, previous.speaker  # «…» و«…»: one report, two quotes
        return Quote(
            text[mark.start : mark.end], mark.start, mark.end, direct=True, cue=cue_text, speaker=speaker
        )

    def _bound(self, doc: Reading, cue: Cue | None, mark: _Marked, open_tok: int) -> bool:
        """Whether a short quote is tied to the cue before it."""
        if cue is None:
            return False
        tokens = doc.tokens
        linked = cue.comp is not None and cue.comp[1] <= open_tok
        since = cue.comp[1] if cue.comp is not None and linked else cue.last
        if doc.words(since, open_tok) == 0 or tokens[open_tok - 1].text == ":":
            return True
        if not linked:
            return False
        # a quoted predicate ending a reported clause: "وأن هذا الرقم "سيرتفع أكثر"."
        rest = doc.text[mark.close :].lstrip(" \t")
        prev = tokens[open_tok - 1]
        return (
            (not rest or rest[0] in _SENTENCE_END)
            and prev.is_word
            and prev.norm not in self.lexicon.prepositions
            and not set(prev.prefixes) & PREP_CLITICS
        )

    # --- indirect quotes -----------------------------------------------------------------

    def _indirect(self, doc: Reading, cues: Sequence[Cue], direct: Sequence[_Marked]) -> list[Quote]:
        """Reported clauses after a cue and its complement word, clear of direct quotes."""
        text, tokens = doc.text, doc.tokens
        # a reported clause ends where another reporting clause begins ("…، مضيفا", "وقال") or
        # where the writer takes over ("…، غير أن")
        breaks = [
            tokens[c.first].start
            for c in cues
            if not c.according
            and (
                c.comp is not None
                or "after" in c.kinds
                or set(tokens[c.first].prefixes) & CONJUNCTIONS
                or (c.first > 0 and tokens[c.first - 1].text in _COMMAS)
            )
        ]
        contrasts = self.lexicon.contrasts
        keys = token_keys(tokens)
        breaks += [
            tokens[j].start
            for j in compress(
                range(1, len(tokens) - 1), map(self.lexicon.contrast_keys.__contains__, keys[1:-1])
            )
            if tokens[j].norm in contrasts and tokens[j - 1].text in _COMMAS and tokens[j + 1].norm == "ان"
        ]
        breaks.sort()
        opens = [m.open for m in direct]
        out: list[Quote] = []
        seen: set[int] = set()
        for cue in cues:
            if cue.comp is None or cue.comp[1] >= len(tokens):
                continue
            first = cue.comp[1]
            start = tokens[first].start
            k = bisect.bisect_right(opens, start)  # direct[k] is the first quote opening after start
            if start in seen or (k > 0 and start < direct[k - 1].close):
                continue
            end = doc.sentence(tokens[cue.comp[0]].start).end
            after = bisect.bisect_right(breaks, start)
            if after < len(breaks):
                end = min(end, breaks[after])
            cut = opens[k] if k < len(opens) and opens[k] < end else None
            body = text[start : end if cut is None else cut].rstrip(" \t\n،,.:;؛")
            end = start + len(body)
            if doc.words(first, doc.token_at(end)) < (2 if cut is None else 3):
                continue
            seen.add(start)
            speaker = self.lexicon.resolve(doc, cue)
            cue_text = doc.slice(cue.first, cue.last)
            out.append(Quote(body, start, end, direct=False, cue=cue_text, speaker=speaker))
        return out


def _links(doc: Reading, cue: Cue, open_tok: int, prepositions: frozenset[str]) -> bool:
    """Whether a cue before a quote introduces it: a reporting verb, a complement word or a
    colon between them, or a few words ("كما عبر الرئيس “…”"; not the preposition "عبر")."""
    if "say" in cue.kinds or (cue.comp is not None and cue.comp[1] <= open_tok):
        return True
    if any(t.text == ":" for t in doc.tokens[cue.last : open_tok]):
        return True
    return doc.tokens[cue.first].norm not in prepositions and doc.words(cue.last, open_tok) <= NEAR_WORDS


def _after(doc: Reading, cues: Sequence[Cue], close_tok: int) -> Cue | None:
    """A cue right after a quote: "«…»، قال الوزير", "“…”، كما عبر الرئيس"."""
    tokens = doc.tokens
    j = close_tok
    while j < len(tokens) and j < close_tok + 3 and (tokens[j].text in _COMMAS or tokens[j].norm in _LINKS):
        j += 1
    if j >= len(tokens) or set(tokens[j].prefixes) & CONJUNCTIONS:
        return None  # "”… وذكر": a new clause, not "«…»، قال"
    i = bisect.bisect_left(cues, j, key=lambda c: c.first)
    found = cues[i] if i < len(cues) and cues[i].first == j else None
    return found if found is not None and found.kinds & (VERBS | {"according"}) else None


def _colon_before(text: str, at: int) -> int | None:
    """The offset of a colon right before ``at`` (blanks between), if there is one."""
    j = at - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j if j >= 0 and text[j] == ":" else None


def _marked(text: str) -> list[_Marked]:
    """Stretches between quote marks; a quote left open closes at the end of its paragraph."""
    out: list[_Marked] = []
    i, n = 0, len(text)
    while (opener := _OPENERS.search(text, i)) is not None:
        i = opener.start()
        para_end = text.find("\n", i)
        para_end = n if para_end < 0 else para_end
        closer = _CLOSERS[text[i]].search(text, i + 1, para_end)
        j = closer.start() if closer is not None else -1
        inner_end = j if j >= 0 else para_end
        body = text[i + 1 : inner_end]
        start = i + 1 + len(body) - len(body.lstrip())
        end = max(start, inner_end - (len(body) - len(body.rstrip())))
        out.append(_Marked(i, j + 1 if j >= 0 else para_end, start, end))
        i = j + 1 if j >= 0 else para_end
    return out
