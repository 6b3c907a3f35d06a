"""The knowledge base: entities with their Arabic surface forms, dated roles, titles.

:class:`KnowledgeBase` loads the bundled tables in ``data/kb/`` (and the people in
``data/kb/people/``) plus any user files or folders, once per instance. It answers:

* which entities a run of token keys may name (:attr:`names`, a phrase trie over the
  folded, clitic-split forms; each phrase lists its candidates with how they are named:
  ``name``, ``short`` (a surname), ``nisba`` (a country adjective) or ``abbrev``);
* who held an office in a country on a day (:meth:`holder`), the latest holder when the
  day is unknown;
* what a title means (:attr:`titles`) and which nouns name collective actors (:attr:`groups`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.arabic.normalize import fold
from marsad.arabic.phrases import PhraseTable, phrase_keys
from marsad.errors import Code, KbError
from marsad.kb.tables import GroupNoun, KbEntity, Record, Role, Title, read_table
from marsad.resources import data_path, read_lines

__all__ = ["Candidate", "KnowledgeBase", "bundled_files"]

#: Bundled tables, in load order (a later row never replaces an earlier id).
BUNDLED = (
    "kb/countries.tsv",
    "kb/cities.tsv",
    "kb/regions.tsv",
    "kb/orgs.tsv",
    "kb/agencies.tsv",
    "kb/titles.tsv",
    "kb/groups.tsv",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity a phrase may name, and how (``name``, ``short``, ``nisba``, ``abbrev``).

    ``article``: a one-word name written with the article ("القاهرة", "الرياض") names the
    entity only when the text has the article too ("رياض" is a given name, "قاهرة" an adjective).
    """

    entity: str
    form: str
    article: bool = False


def bundled_files() -> list[Path]:
    files = [data_path(rel) for rel in BUNDLED if data_path(rel).exists()]
    people = data_path("kb/people")
    if people.is_dir():
        files += sorted(people.glob("*.persons.tsv")) + sorted(people.glob("*.roles.tsv"))
    return files


def _user_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.tsv") if not p.name.endswith(".roles.tsv"))
            found += sorted(path.rglob("*.roles.tsv"))
            if not found:
                raise KbError(
                    Code.KB_FILE, str(path), "holds no .tsv files", "point --kb at TSV files or their folder"
                )
            out += found
        else:
            out.append(path)
    return out


class KnowledgeBase:
    """Entities, roles, titles and group nouns, indexed for matching over token keys."""

    def __init__(
        self, files: Sequence[Path], *, honorifics: Iterable[str] = (), not_names: Iterable[str] = ()
    ) -> None:
        self.not_names = frozenset(k for w in not_names for k in phrase_keys(w)[:1])
        self.entities: dict[str, KbEntity] = {}
        self.roles: dict[tuple[str, str], list[Role]] = defaultdict(list)
        self.roles_of: dict[str, list[Role]] = defaultdict(list)
        self.titles: PhraseTable[Title] = PhraseTable()
        self.groups: PhraseTable[GroupNoun] = PhraseTable()
        self.honorifics: PhraseTable[str] = PhraseTable((h, h) for h in honorifics)
        self.sources: list[str] = []
        names: dict[tuple[str, ...], list[Candidate]] = {}
        pending_roles: list[tuple[Path, Role]] = []
        for path in files:
            kind, records = read_table(path)
            self.sources.append(str(path))
            for record in records:
                self._add(record, kind, path, names, pending_roles)
        for path, role in pending_roles:
            if role.person not in self.entities:
                raise KbError(
                    Code.KB_ROW,
                    str(path),
                    f"role of unknown person {role.person!r}",
                    "add the person to a persons table (id, name, names_ar, short_ar, country, sector)",
                )
            self.roles[(role.office, role.country)].append(role)
            self.roles_of[role.person].append(role)
        for holders in self.roles.values():
            holders.sort(key=lambda r: r.start or dt.date.min)
        self.names: PhraseTable[list[Candidate]] = PhraseTable()
        for keys, cands in names.items():
            self.names.add_keys(keys, cands)
        self._folded: dict[str, tuple[str, ...]] = {}
        self.media_by_name = {e.name: e.id for e in self.entities.values() if e.sector == "MED"}
        self.iso_to_country = {
            e.country: e.id for e in self.entities.values() if e.kind == "country" and e.country
        }

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> KnowledgeBase:
        """The bundled KB plus the user's files or folders in ``extra``."""
        return cls(
            [*bundled_files(), *_user_files(extra)],
            honorifics=read_lines("kb/honorifics.txt"),
            not_names=read_lines("kb/not_names.txt"),
        )

    def _add(
        self,
        record: Record,
        kind: str,
        path: Path,
        names: dict[tuple[str, ...], list[Candidate]],
        pending_roles: list[tuple[Path, Role]],
    ) -> None:
        if isinstance(record, Role):
            pending_roles.append((path, record))
        elif isinstance(record, Title):
            self.titles.add(record.title, record)
        elif isinstance(record, GroupNoun):
            self.groups.add(record.noun, record)
        elif record.id not in self.entities:
            self.entities[record.id] = record
            forms = (
                [(f, "name") for f in (*record.names_ar, record.name if kind != "persons" else "")]
                + [(f, "short") for f in record.short_ar]
                + [(f, "nisba") for f in record.nisba]
                + [(f, "abbrev") for f in record.abbrev]
            )
            for form, how in forms:
                keys = phrase_keys(form) if form else ()
                if (
                    not keys
                    or not _indexable(record, form, keys)
                    or (len(keys) == 1 and keys[0] in self.not_names)
                ):
                    continue
                cands = names.setdefault(keys, [])
                article = (
                    len(keys) == 1 and fold(form.strip()).startswith("ال") and keys[0] != fold(form.strip())
                )
                same = [c for c in cands if c.entity == record.id]
                if not same:
                    cands.append(Candidate(record.id, how, article))
                elif same[0].article and not article:  # also written without the article
                    cands[cands.index(same[0])] = Candidate(record.id, same[0].form, False)

    def get(self, entity_id: str) -> KbEntity | None:
        return self.entities.get(entity_id)

    def folded_forms(self, entity_id: str) -> tuple[str, ...]:
        """Every Arabic form of an entity, folded (cached)."""
        forms = self._folded.get(entity_id)
        if forms is None:
            e = self.entities[entity_id]
            forms = tuple(fold(f) for f in (*e.names_ar, *e.short_ar, *e.nisba))
            self._folded[entity_id] = forms
        return forms

    def countries_of_places(self) -> dict[str, str]:
        """The country (ISO3) of every entity that has one, by entity id (for story building)."""
        return {e.id: e.country for e in self.entities.values() if e.country}

    def agency_id(self, name: str | None) -> str | None:
        """The KB id of a news agency or outlet by its canonical English name."""
        return self.media_by_name.get(name or "")

    def country(self, iso3: str | None) -> KbEntity | None:
        return self.entities.get(self.iso_to_country.get(iso3 or "", ""))

    def holder(self, office: str, country: str, day: dt.date | None) -> tuple[Role | None, bool]:
        """Who held ``office`` in ``country`` (ISO3 or an org id) on ``day``; (role, undated).

        With no day, the latest holder (the one whose term started last), marked undated.
        """
        if office == "leader":  # "الزعيم الأذربيجاني": whoever leads the country
            for concrete in ("supreme_leader", "monarch", "president"):
                found = self.holder(concrete, country, day)
                if found[0] is not None:
                    return found
            return None, day is None
        holders = self.roles.get((office, country))
        if not holders:
            return None, day is None
        if day is None:
            return holders[-1], True
        current = [r for r in holders if r.holds(day) and "acting" not in r.note]
        current = current or [r for r in holders if r.holds(day)]
        return (current[-1] if current else None), False

    def alive(self, entity: KbEntity, day: dt.date | None) -> bool:
        """Whether a person was alive on ``day`` (today when unknown)."""
        if not entity.died:
            return True
        died = entity.died if len(entity.died) == 10 else entity.died[:4] + "-12-31"
        return day is not None and day.isoformat() <= died

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for e in self.entities.values():
            counts[e.type.value] += 1
        return {
            **dict(sorted(counts.items())),
            "roles": sum(len(v) for v in self.roles.values()),
            "titles": self.titles.size,
            "groups": self.groups.size,
            "surface forms": self.names.size,
        }


def _indexable(record: KbEntity, form: str, keys: tuple[str, ...]) -> bool:
    """Whether a surface form can be matched in running text without naming common words.

    A newspaper whose name is one ordinary word (البيان، اليوم، الاقتصادية) is matched only
    by its longer names; a one-word form that clitic stripping shortens to three letters or
    fewer ("ألبان" → "بان", "سنار" → "نار", "وان" → "ان") is not matched. A form whose
    article alone was stripped ("الحصن") is kept: it matches only where the text has the
    article too (:class:`Candidate`).
    """
    if len(keys) > 1 or not form.strip():
        return True
    if record.kind == "outlet" and not form.isascii():
        return False
    folded = fold(form.strip())
    if folded == "ال" + keys[0]:
        return True  # the article alone was stripped: matched only where the text has it too
    return len(keys[0]) > 3 or folded == keys[0] or form.isascii()
