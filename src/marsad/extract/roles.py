"""The roles stage: titles that stand for people, resolved on the document's date.

After the entities stage, titles of office (``data/kb/titles.tsv``) are found by longest
match. A title followed by a country ("الرئيس الأذربيجاني", "رئيس أذربيجان") or, for posts
of an organisation, by the organisation ("الأمين العام للأمم المتحدة") names the holder of
that office on the document's publication date (:meth:`KnowledgeBase.holder`); with no
publication date, the latest holder, marked ``title-undated``. When a name follows the title
("وزير الخارجية الأذربيجاني جيهون بيرموف"), the name wins and the title joins its mention.

"نظيره الروسي" (his counterpart) takes the office of the title resolved last before it.

A title + country followed by a name the KB does not know creates a provisional person,
``marsad:person:<name>``, with that office and country, when a name finder is given
(the statistical NER model): the KB is never changed by this; ``marsad kb candidates``
lists such people across a store for an analyst to promote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import compress
from operator import methodcaller

from marsad.arabic.normalize import fold, normalize
from marsad.arabic.phrases import phrase_keys, token_keys, token_starts
from marsad.extract.entities import entity_record, name_slug, name_start, token_range
from marsad.kb.base import KnowledgeBase
from marsad.kb.tables import Title
from marsad.model import Document, Entity, EntityType, Mention, Token
from marsad.resources import read_tsv

__all__ = ["NameFinder", "RolesStage"]

#: Tags (BIO over PERS/LOC/ORG/MISC) for a run of tokens; used only for discovery.
NameFinder = Callable[[Sequence[str]], list[str]]

_COUNTERPART = "نظير"
#: How alike (difflib ratio of the folded forms) a written name and a KB name must be.
SAME_NAME = 0.8
#: Quote marks and dashes that may stand between a title and a name ("الرئيس “علييف”").
_MARKS = frozenset("\"“”«»'‘’-ـ–—")


@dataclass(slots=True)
class _Span:
    first: int
    last: int
    entity: str


@dataclass
class _Run:
    """What one document's resolution has seen so far."""

    text: str
    tokens: Sequence[Token]
    keys: Sequence[str]
    at: dict[int, _Span]
    covered: set[int]
    added: dict[str, list[Mention]] = field(default_factory=dict)
    discovered: dict[str, Entity] = field(default_factory=dict)
    last_office: str | None = None
    last_person: dict[str, str] = field(default_factory=dict)

    def person_at(self, kb: KnowledgeBase, k: int) -> str | None:
        span = self.at.get(k)
        if span is None:
            return None
        entity = kb.entities.get(span.entity)
        return span.entity if entity is not None and entity.type is EntityType.PERSON else None

    def add(self, person: str, start: int, stop: int, via: str, office: str) -> None:
        self.added.setdefault(person, []).append(Mention(start, stop, self.text[start:stop], via))
        if office not in ("official", "military"):
            self.last_person[office] = person


class RolesStage:
    """Resolve titles and counterparts to persons; discover unknown office holders."""

    name = "roles"
    requires = frozenset({"text", "tokens", "entities", "published"})
    provides = frozenset({"roles"})

    def __init__(self, kb: KnowledgeBase, names: NameFinder | None = None) -> None:
        self.kb = kb
        self.names = names
        words: dict[str, set[str]] = {"link": set(), "epithet": set(), "former": set()}
        for row in read_tsv("kb/title_words.tsv"):
            words[row["kind"]].update(phrase_keys(row["word"]))
        self.links, self.epithets, self.former = (frozenset(words[k]) for k in ("link", "epithet", "former"))

    def __call__(self, doc: Document) -> Document:
        entities = self.resolve(doc.text, doc.tokens, doc.entities, doc.published)
        return replace(doc, entities=entities, provided=doc.provided | self.provides)

    def resolve(
        self, text: str, tokens: Sequence[Token], entities: Sequence[Entity], day: dt.date | None
    ) -> tuple[Entity, ...]:
        if not tokens:
            return tuple(entities)
        keys = token_keys(tokens)
        spans = self._spans(entities, token_starts(tokens))
        run = _Run(
            text,
            tokens,
            keys,
            {s.first: s for s in spans},
            {i for s in spans for i in range(s.first, s.last)},
        )
        # A title starts with a title word, or is a counterpart word ("نظيره"): only there
        # can a step do anything.
        after = 0
        at = set(self.kb.titles.starts(keys))
        if _COUNTERPART in normalize(text).text:  # (the folded text, which stages share)
            at.update(compress(range(len(keys)), map(methodcaller("startswith", _COUNTERPART), keys)))
        for i in sorted(at):
            if i >= after and i not in run.covered:
                after = self._step(run, i, day)
        return self._merge(entities, run.added, run.discovered)

    def _step(self, run: _Run, i: int, day: dt.date | None) -> int:
        """Resolve the title at token ``i``, if any; return where to go on."""
        keys, tokens = run.keys, run.tokens
        hit = self.kb.titles.match_at(keys, i)
        if hit is not None:
            end, title = hit
            via = "title"
        elif keys[i].startswith(_COUNTERPART) and run.last_office is not None:
            end, title, via = i + 1, Title(keys[i], run.last_office, "m", "sg", "", "country"), "counterpart"
        else:
            return i + 1
        fixed = title.requires if len(title.requires) == 3 and title.requires.isupper() else None
        if title.number != "sg" or (title.requires not in ("country", "org") and fixed is None):
            return end
        office = title.office
        j = end + 1 if end < len(keys) and keys[end] in self.links and end + 1 in run.at else end
        owner = fixed or self._owner(run.at.get(j), title)
        start = name_start(tokens[i])
        if owner is None:  # a bare title: "الرئيس السيسي", or "الرئيس" for the one named before
            named = run.person_at(self.kb, self._after_honorific(keys, end))
            if named is not None and not self._held(named, office, day):
                person = None  # "الأمير خالد بن سلمان": a courtesy title, not the office
            else:
                definite = (
                    "ال" in tokens[i].prefixes
                )  # "رئيس أكاديمية العلوم" heads a genitive: no one named before
                person = named or (run.last_person.get(office) if via == "title" and definite else None)
            if person is not None:
                run.add(person, start, tokens[end - 1].end, "title" if named else "coreference", office)
            run.last_office = office
            return end
        k = end if fixed else run.at[j].last  # "خادم الحرمين الشريفين" names its country itself
        former = False
        k2 = k
        while k2 < len(keys) and k2 - k < 3 and (keys[k2] in self.former or keys[k2] in self.epithets):
            former = former or keys[k2] in self.former
            k2 += 1
        k2 = self._after_honorific(keys, k2)
        stop = tokens[k - 1].end
        named = run.person_at(self.kb, k2)
        if named is not None:
            run.add(named, start, stop, via, office)
        elif not former:
            role, undated = self.kb.holder(office, owner, day)
            found = self._discover(run.text, tokens, i, k2, title, owner, run.covered)
            if found is not None and role is not None and self._same_person(found.name, role.person):
                # the holder, under a spelling the KB lacks ("جيهون بيرموف" for "جيهون بيراموف")
                run.add(role.person, start, stop, "title-undated" if undated else via, office)
                m = found.mentions[0]
                run.add(role.person, m.start, m.end, "spelling", office)
            elif found is not None:
                run.discovered.setdefault(found.id, found)
                run.add(found.id, start, stop, "discovered", office)
            elif role is not None:
                run.add(role.person, start, stop, "title-undated" if undated else via, office)
        run.last_office = office
        return k

    def _same_person(self, name: str, person: str) -> bool:
        """Whether a written name is a spelling of a KB person's name (close enough when folded)."""
        folded = fold(name)
        entity = self.kb.entities.get(person)
        forms = (*entity.names_ar, *entity.short_ar) if entity else ()
        return any(SequenceMatcher(None, folded, fold(f)).ratio() >= SAME_NAME for f in forms)

    def _held(self, person: str, office: str, day: dt.date | None) -> bool:
        """Whether ``person`` held ``office`` on ``day`` (ever, with no day); any office for "leader"."""
        roles = self.kb.roles_of.get(person, [])
        return any(
            (r.office == office or office == "leader") and (day is None or r.holds(day)) for r in roles
        )

    def _after_honorific(self, keys: Sequence[str], k: int) -> int:
        """Past quote marks and an honorific ("الرئيس “علييف”", "الرئيس السيد …")."""
        while k < len(keys) and keys[k] in _MARKS:
            k += 1
        hit = self.kb.honorifics.match_at(keys, k) if k < len(keys) else None
        k = hit[0] if hit is not None else k
        while k < len(keys) and keys[k] in _MARKS:
            k += 1
        return k

    def _owner(self, where: _Span | None, title: Title) -> str | None:
        """The country (ISO3) or organisation id the title belongs to, or None."""
        if where is None:
            return None
        entity = self.kb.entities.get(where.entity)
        if entity is None:
            return None
        if title.requires == "country" and entity.kind == "country":
            return entity.country
        if title.requires == "org" and entity.type is EntityType.ORG:
            return entity.id
        return None

    def _spans(self, entities: Sequence[Entity], starts: Sequence[int]) -> list[_Span]:
        spans = []
        for e in entities:
            for m in e.mentions:
                first, last = token_range(starts, m.start, m.end)
                if first >= 0 and last > first:
                    spans.append(_Span(first, last, e.id))
        return spans

    def _discover(
        self,
        text: str,
        tokens: Sequence[Token],
        i: int,
        k: int,
        title: Title,
        owner: str,
        covered: set[int],
    ) -> Entity | None:
        """A provisional person for an unknown name right after a title + country (tokens i..k)."""
        if self.names is None or k >= len(tokens) or k in covered or not tokens[k].is_word:
            return None
        tags = self.names([t.text for t in tokens[i : k + 4]])[k - i :]
        if not tags or tags[0] != "B-PERS":
            return None
        n = 1
        while n < len(tags) and tags[n] == "I-PERS" and k + n not in covered:
            n += 1
        start, stop = name_start(tokens[k]), tokens[k + n - 1].end
        surface = text[start:stop]
        slug = name_slug(surface)
        country = owner if len(owner) == 3 and owner.isupper() else None
        return Entity(
            id=f"marsad:person:{slug}",
            name=surface,
            type=EntityType.PERSON,
            name_ar=surface,
            country=country,
            sector=title.sector or None,
            mentions=(Mention(start, stop, surface, "discovered"),),
            role=title.office,
        )

    def _merge(
        self, entities: Sequence[Entity], added: dict[str, list[Mention]], discovered: dict[str, Entity]
    ) -> tuple[Entity, ...]:
        out: list[Entity] = []
        for e in entities:
            extra = added.pop(e.id, [])
            out.append(
                replace(e, mentions=tuple(sorted([*e.mentions, *extra], key=lambda m: (m.start, m.end))))
                if extra
                else e
            )
        for eid, mentions in added.items():
            if eid in discovered:
                d = discovered[eid]
                out.append(
                    replace(
                        d, mentions=tuple(sorted({*d.mentions, *mentions}, key=lambda m: (m.start, m.end)))
                    )
                )
            elif (kb_entity := self.kb.entities.get(eid)) is not None:
                out.append(entity_record(kb_entity, sorted(mentions, key=lambda m: (m.start, m.end))))
        return tuple(out)
