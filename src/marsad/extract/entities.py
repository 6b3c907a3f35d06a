"""The entities stage: KB names found by longest match over token keys, linked in context.

One left-to-right pass over the tokens' keys (folded, clitic-split stems) finds the longest
KB phrase at each position (:attr:`KnowledgeBase.names`, a trie). Then each match is linked:

* a full name or an abbreviation links to its entity; a country adjective ("الأذربيجاني")
  links to the country (``via: nisba``);
* a name shared by several entities (جورجيا the country or the US state; طرابلس in Libya
  or Lebanon) goes to the one the rest of the document supports: a cue word before it
  ("ولاية", "مدينة"), then the countries of the other entities (``via: context``);
* a surname ("علييف") links to a person named in full elsewhere in the document, else to a
  living person who holds an office on the document's date; a dead person needs his full
  name ("حيدر علييف") (``via: surname``).

Mentions index ``doc.text``; entities are listed in order of first mention.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from marsad.arabic.normalize import fold
from marsad.arabic.phrases import PhraseTable, phrase_keys, token_keys
from marsad.kb.base import Candidate, KnowledgeBase
from marsad.kb.tables import KbEntity
from marsad.model import Document, Entity, Mention, Token
from marsad.resources import read_tsv

__all__ = [
    "EntitiesStage",
    "Match",
    "entity_record",
    "find_matches",
    "name_slug",
    "name_start",
    "token_range",
]


@dataclass(frozen=True, slots=True)
class Match:
    """A KB phrase at tokens [first, last) and the entity it was linked to."""

    first: int
    last: int
    entity: str
    via: str | None


def find_matches(
    names: PhraseTable[list[Candidate]], keys: Sequence[str]
) -> list[tuple[int, int, list[Candidate]]]:
    """Longest KB phrases, left to right, never overlapping."""
    out = []
    after = 0
    for i in names.starts(keys):
        if i < after:
            continue
        hit = names.match_at(keys, i)
        if hit is not None:
            out.append((i, hit[0], hit[1]))
            after = hit[0]
    return out


def entity_record(kb_entity: KbEntity, mentions: Sequence[Mention]) -> Entity:
    return Entity(
        id=kb_entity.id,
        name=kb_entity.name,
        type=kb_entity.type,
        name_ar=kb_entity.name_ar,
        country=kb_entity.country,
        sector=kb_entity.sector,
        mentions=tuple(mentions),
    )


def name_slug(surface: str) -> str:
    """The id part of a name the KB does not know: folded, words joined by "-"."""
    return "-".join(fold(surface).split())


def token_range(starts: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The tokens [first, last) a mention's offsets cover (a mention may start inside a token)."""
    return bisect.bisect_right(starts, start) - 1, bisect.bisect_left(starts, end)


_PROCLITIC_LETTERS = frozenset("وفبلك")


def name_start(token: Token, forms: Sequence[str] = ()) -> int:
    """Where a name starts in its token: after a conjunction or preposition ("وبوتين"),
    unless the name itself starts with that letter (``forms``: the name's folded forms)."""
    if forms:
        whole = fold(token.text)
        if any(f.startswith(whole) for f in forms):
            return token.start
    skip = 0
    if token.prefixes[:2] == ("ل", "ال") and token.text.startswith("لل"):
        return token.start + 2  # "للجيش": ل + the article without its alef
    for p in token.prefixes:
        if p in _PROCLITIC_LETTERS and token.text[skip : skip + 1] == p:
            skip += 1
        else:
            break
    return token.start + skip


class EntitiesStage:
    """KB entities of ``doc.text``, linked with the document's other entities as context."""

    name = "entities"
    requires = frozenset({"text", "tokens", "published"})
    provides = frozenset({"entities"})

    def __init__(self, kb: KnowledgeBase, cues: Iterable[Mapping[str, str]] | None = None) -> None:
        """``cues``: rows of ``kb/place_cues.tsv`` (the bundled file when not given)."""
        self.kb = kb
        rows = read_tsv("kb/place_cues.tsv") if cues is None else cues
        #: cue word (stem) → the kinds of place it points to ("ولاية" → state)
        self.cues: dict[str, tuple[str, ...]] = {
            key: tuple(r["kinds"].split("|")) for r in rows for key in phrase_keys(r["word"])[:1]
        }

    def __call__(self, doc: Document) -> Document:
        matches = self.link(doc.tokens, doc.published)
        entities = self.entities(doc.text, doc.tokens, matches)
        agency = self.kb.agency_id(doc.agency)
        if agency is not None and all(e.id != agency for e in entities):
            # the credited agency, read from a dateline or credit line the cleaner set aside
            entities += (entity_record(self.kb.entities[agency], ()),)
        return replace(doc, entities=entities, provided=doc.provided | self.provides)

    def link(self, tokens: Sequence[Token], day: dt.date | None) -> list[Match]:
        """Every KB mention of the tokens, linked to one entity each."""
        keys = token_keys(tokens)
        found = []
        for first, last, cands in find_matches(self.kb.names, keys):
            if last - first == 1 and "ال" not in tokens[first].prefixes:
                cands = [c for c in cands if not c.article]
            if cands:
                found.append((first, last, cands))
        full: set[str] = set()
        countries: dict[str, int] = {}
        for _, _, cands in found:
            if len(cands) == 1 and cands[0].form in ("name", "abbrev", "nisba"):
                full.add(cands[0].entity)
                entity = self.kb.entities[cands[0].entity]
                if entity.country:
                    countries[entity.country] = countries.get(entity.country, 0) + 1
        out: list[Match] = []
        for first, last, cands in found:
            chosen = self._choose(cands, keys, first, full, countries, day)
            if chosen is not None:
                out.append(Match(first, last, chosen[0], chosen[1]))
        return out

    def _choose(
        self,
        cands: list[Candidate],
        keys: Sequence[str],
        first: int,
        full: set[str],
        countries: dict[str, int],
        day: dt.date | None,
    ) -> tuple[str, str | None] | None:
        named = [c for c in cands if c.form != "short"]
        shorts = [c for c in cands if c.form == "short"]
        if shorts and not named:
            return self._surname(shorts, full, day)
        if len(named) == 1:
            c = named[0]
            return c.entity, ("nisba" if c.form == "nisba" else None)
        cue = self.cues.get(keys[first - 1], ()) if first > 0 else ()

        def score(c: Candidate) -> tuple[int, int]:
            e = self.kb.entities[c.entity]
            support = countries.get(e.country or "", 0) - (1 if c.entity in full else 0)
            return (3 if e.kind in cue else 0) + (2 if c.entity in full else 0) + support, 0

        best = max(named, key=score)  # max keeps the first of equals: the file order
        tied = score(best) == score(named[0]) and best is not named[0]
        return best.entity, ("context" if best is not named[0] or tied else None)

    def _surname(
        self, shorts: list[Candidate], full: set[str], day: dt.date | None
    ) -> tuple[str, str] | None:
        mentioned = [c for c in shorts if c.entity in full]
        if mentioned:
            return mentioned[0].entity, "surname"
        living = []
        for c in shorts:
            person = self.kb.entities[c.entity]
            if not self.kb.alive(person, day) if day else person.died:
                continue
            roles = self.kb.roles_of.get(c.entity, [])
            if any(r.holds(day) for r in roles) if day else any(r.end is None for r in roles):
                living.append(c)
        return (living[0].entity, "surname") if len(living) == 1 else None

    def entities(self, text: str, tokens: Sequence[Token], matches: Sequence[Match]) -> tuple[Entity, ...]:
        grouped: dict[str, list[Mention]] = {}
        for m in matches:
            start, end = name_start(tokens[m.first], self.kb.folded_forms(m.entity)), tokens[m.last - 1].end
            grouped.setdefault(m.entity, []).append(Mention(start, end, text[start:end], m.via))
        return tuple(entity_record(self.kb.entities[eid], ms) for eid, ms in grouped.items())
