"""A document read for its speakers, for the quotes stage (:mod:`marsad.extract.quotes`):
where each person, organisation or place is mentioned (in tokens), which mentions touch
("الرئيس" right before "علييف"), which sentence holds an offset, and who spoke last.
The cues and the rules that name a cue's speaker are in :mod:`marsad.extract.quotes_speakers`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.arabic.phrases import token_starts
from marsad.model import ActorRef, Entity, EntityType, Span, Token

__all__ = ["PREP_CLITICS", "SPEAKER_RANK", "Mention", "Reading"]

#: Which entities may speak, the more likely first: persons before organisations before places.
SPEAKER_RANK = {EntityType.PERSON: 0, EntityType.ORG: 1, EntityType.GPE: 2}
#: Prepositions glued to a word: a mention they govern is no subject.
PREP_CLITICS = frozenset("بلك")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    first: int  # token index of its first token
    last: int  # token index after its last token
    entity: Entity
    via: str | None


@dataclass
class Reading:
    """One document: its text, tokens and speaker mentions, and the last speaker so far."""

    text: str
    tokens: Sequence[Token]
    sentences: Sequence[Span]
    entities: Sequence[Entity]
    last: ActorRef | None = None
    starts: list[int] = field(init=False)
    mentions: list[Mention] = field(init=False)
    by_entity: dict[str, list[Mention]] = field(init=False)
    _sentence_starts: list[int] = field(init=False)
    _firsts: list[int] = field(init=False)
    #: (entity, start) of a mention -> the first and last of the touching mentions it is in
    _chains: dict[tuple[str, int], tuple[Mention, Mention]] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = token_starts(self.tokens)
        self._sentence_starts = [s.start for s in self.sentences]
        self.mentions = []
        self.by_entity = {}
        for entity in self.entities:
            if entity.type not in SPEAKER_RANK:
                continue
            for written in entity.mentions:
                first = max(0, bisect.bisect_right(self.starts, written.start) - 1)
                last = max(first + 1, bisect.bisect_left(self.starts, written.end))
                mention = Mention(written.start, written.end, first, last, entity, written.via)
                self.mentions.append(mention)
                self.by_entity.setdefault(entity.id, []).append(mention)
        self.mentions.sort(key=lambda m: (m.first, m.start, -m.end))
        self._firsts = [m.first for m in self.mentions]
        self._chains = {}
        for entity_id, found in self.by_entity.items():
            found.sort(key=lambda m: m.start)
            chain: list[Mention] = []
            for item in [*found, None]:
                if item is not None and chain and not self.text[chain[-1].end : item.start].strip():
                    chain.append(item)
                    continue
                for member in chain:
                    self._chains[(entity_id, member.start)] = (chain[0], chain[-1])
                chain = [item] if item is not None else []

    def sentence(self, at: int) -> Span:
        """The sentence holding offset ``at`` (the last one starting at or before it)."""
        i = bisect.bisect_right(self._sentence_starts, at) - 1
        return self.sentences[i] if i >= 0 else Span(0, len(self.text), self.text)

    def token_at(self, offset: int) -> int:
        """The index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def words(self, lo: int, hi: int) -> int:
        return sum(1 for t in self.tokens[lo:hi] if t.is_word)

    def slice(self, lo: int, hi: int) -> str:
        """The text of tokens [lo, hi)."""
        return self.text[self.tokens[lo].start : self.tokens[hi - 1].end]

    def remember(self, speaker: ActorRef | None) -> None:
        """Make ``speaker`` the last speaker: a named entity always, bare words only over bare
        words ("قال مصدر إن ..., وأضاف" keeps the source; "وأوضح البيان" does not take over
        from the president who spoke before)."""
        if speaker is not None and (
            speaker.entity is not None or self.last is None or self.last.entity is None
        ):
            self.last = speaker

    def is_person(self, ref: ActorRef) -> bool:
        found = self.by_entity.get(ref.entity or "")
        return bool(found) and found is not None and found[0].entity.type is EntityType.PERSON

    def within(self, lo: int, hi: int) -> list[Mention]:
        """The mentions over tokens [lo, hi)."""
        i = bisect.bisect_left(self._firsts, lo)
        j = bisect.bisect_left(self._firsts, hi, i)
        return [m for m in self.mentions[i:j] if m.last <= hi]

    def chain_start(self, m: Mention) -> Mention:
        """The first of the touching mentions of ``m``'s entity ("الرئيس" before "علييف")."""
        return self._chains.get((m.entity.id, m.start), (m, m))[0]

    def actor(self, m: Mention) -> ActorRef:
        """The speaker a mention names, its text widened over touching mentions of the entity."""
        first, last = self._chains.get((m.entity.id, m.start), (m, m))
        start, end = first.start, max(m.end, last.end)
        e = m.entity
        return ActorRef(
            text=self.text[start:end], entity=e.id, name=e.name, country=e.country, sector=e.sector
        )

    def subject_like(self, m: Mention) -> bool:
        """Not governed by a preposition glued to it or to the word before it ("لبوتين",
        "للرئيس السيسي", "لوكالة بالانتير")."""
        first = self.chain_start(m)
        token = self.tokens[first.first]
        if first.start > token.start and set(token.prefixes) & PREP_CLITICS:
            return False
        head = self.tokens[first.first - 1] if first.first > 0 and first.start == token.start else None
        return head is None or not (head.is_word and set(head.prefixes) & PREP_CLITICS)
