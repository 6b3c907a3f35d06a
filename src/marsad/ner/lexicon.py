"""The tagger's lexicon: name stems and multi-word names with their kinds.

Built from our KB tables (read by the KB's own reader) and the word lists in
``data/ner``; :func:`analyse` gives the folded form, stem and proclitics of a word the
same way for the lexicon and for the features (:mod:`marsad.ner.features`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Final

from marsad.arabic.normalize import FOLD_TABLE
from marsad.arabic.tokenize import split_clitics, surface_forms, tokenize
from marsad.errors import KbError
from marsad.kb.tables import KbEntity, Title, read_table
from marsad.model import EntityType

__all__ = [
    "CACHE_SIZE",
    "KB_KINDS",
    "NAME_KINDS",
    "WORD_LISTS",
    "NameLexicon",
    "analyse",
    "kb_names",
    "name_stems",
]

log = logging.getLogger(__name__)

#: Words whose features are cached (per cache): enough for the common vocabulary of news text,
#: small enough that memory stays flat over a corpus (about 230 MB peak for the whole pipeline).
CACHE_SIZE: Final = 1 << 15
_LONGEST_NAME: Final = 4

#: Lexicon kind of the names of each KB entity type.
KB_KINDS: Final[Mapping[EntityType, str]] = {
    EntityType.GPE: "LOC",
    EntityType.LOC: "LOC",
    EntityType.ORG: "ORG",
    EntityType.PERSON: "PERS",
}
#: The kinds of names (the others are trigger words, nisba forms and titles).
NAME_KINDS: Final = frozenset({"FIRST", "LAST", "PERS", "LOC", "ORG", "MISC"})
#: Words in ``data/ner`` that never count as a first name or surname on their own.
NOT_NAME_PARTS: Final = "not_name_parts.txt"
#: Lexicon kind of each word list in ``data/ner``.
WORD_LISTS: Final[Mapping[str, str]] = {
    "person_titles.txt": "TITLE",
    "reporting_verbs.txt": "SAY",
    "location_words.txt": "LOCW",
    "organisation_words.txt": "ORGW",
    "misc_words.txt": "MISCW",
    "name_particles.txt": "PART",
    "first_names.txt": "FIRST",
    "notable_people.txt": "PERS",
    "notable_orgs.txt": "ORG",
    "places.txt": "LOC",
    "surnames.txt": "LAST",
    "organisations.txt": "ORG",
    "misc_names.txt": "MISC",
    "historical_people.txt": "PERS",
}


@lru_cache(maxsize=CACHE_SIZE)
def analyse(word: str) -> tuple[str, str, str]:
    """``(folded, stem, clitics)``: the folded lower-cased word, its stem and its proclitics joined by ``+``."""
    if word[:1].isalnum():  # a token's word: the tokenizer has folded and split it already
        folded, stem, prefixes = surface_forms(word)
        if folded and folded == folded.lower():  # no capital to lower first
            joined = _JOINED.get(prefixes)
            if joined is None:
                joined = _JOINED[prefixes] = "+".join(prefixes)
            return folded, stem, joined
    folded = word.translate(FOLD_TABLE).lower() or word
    prefixes, stem = split_clitics(folded)
    return folded, stem, "+".join(prefixes)


#: Proclitics joined by ``+``, by their tuple (a few dozen).
_JOINED: dict[tuple[str, ...], str] = {}


def name_stems(name: str) -> tuple[str, ...]:
    """The stems of a name's words as the tagger sees them (folded, clitics stripped)."""
    return tuple(analyse(t.text)[1] for t in tokenize(name))


def kb_names(kb_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """``(kind, name)`` pairs from every KB table under ``kb_dir``, and the files read.

    The tables are read by the KB's own reader (:func:`marsad.kb.tables.read_table`): an
    entity's Arabic names and surnames give its kind (``LOC``, ``ORG``, ``PERS``), a
    country's nisba forms give ``NISBA`` and titles of office ``TITLE``. Files that are no
    name table (roles, group nouns, word lists) are left out; a missing folder gives
    nothing; a file that cannot be read is skipped with a warning.
    """
    pairs: list[tuple[str, str]] = []
    used: list[str] = []
    if not kb_dir.is_dir():
        return pairs, used
    for path in sorted(kb_dir.rglob("*.tsv")):
        try:
            _, records = read_table(path)
        except KbError as exc:
            log.debug("not a name table: %s (%s)", path, exc)
            continue
        found: list[tuple[str, str]] = []
        for record in records:
            if isinstance(record, Title):
                found.append(("TITLE", record.title))
            elif isinstance(record, KbEntity) and record.type in KB_KINDS:
                kind = KB_KINDS[record.type]
                found += [(kind, n) for n in (*record.names_ar, *record.short_ar)]
                found += [("NISBA", n) for n in record.nisba]
        if found:
            used.append(path.relative_to(kb_dir).as_posix())
            pairs += found
    return pairs, used


def _read_word_list(text: str) -> list[str]:
    words = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            words.append(entry)
    return words


@dataclass(slots=True)
class NameLexicon:
    """Stems and multi-word names with their kinds, from the KB tables and the ``data/ner`` lists.

    ``words`` maps a stem to its kinds (``LOC``, ``ORG``, ``PERS``, ``MISC``, ``NISBA``, ``FIRST``,
    ``LAST``, and the trigger kinds ``TITLE``, ``SAY``, ``LOCW``, ``ORGW``, ``MISCW``,
    ``PART``); ``phrases`` maps the stem tuple of a 2–4 word name to its kinds.

    ``whole`` maps whole folded words to the kinds of a one-word name when taking the
    word's supposed clitics off would leave another word: the names سامر,
    فراس or باول would otherwise stand for أمر, رأس and أول.
    """

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    whole: dict[str, tuple[str, ...]] = field(default_factory=dict)
    longest_phrase: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.longest_phrase = max((len(k) for k in self.phrases), default=0)

    def word_kinds(self, stem: str, folded: str | None = None) -> tuple[str, ...]:
        """The kinds of a word, by its stem and (for ``whole`` entries) its folded form."""
        kinds = self.words.get(stem, ())
        if folded is not None and folded in self.whole:
            kinds = tuple(sorted({*kinds, *self.whole[folded]}))
        return kinds

    def kinds(self, word: str) -> tuple[str, ...]:
        """The kinds of a word as written (folded and clitic-split here, as the tagger does)."""
        folded, stem, _clitics = analyse(word)
        return self.word_kinds(stem, folded)

    @classmethod
    def load(cls, kb_dir: Path | None = None, lists_dir: Path | None = None) -> NameLexicon:
        """Build from the packaged ``data/kb`` tables and ``data/ner`` word lists (or the given folders)."""
        data = Path(str(files("marsad") / "data"))
        kb_dir = kb_dir if kb_dir is not None else data / "kb"
        lists_dir = lists_dir if lists_dir is not None else data / "ner"
        words: dict[str, set[str]] = {}
        whole: dict[str, set[str]] = {}
        phrases: dict[tuple[str, ...], set[str]] = {}
        particles: set[str] = set()
        person_names: list[str] = []  # full names from the lists
        sources: list[str] = []
        for name, kind in WORD_LISTS.items():
            path = lists_dir / name
            if not path.is_file():
                log.warning("NER word list %s is missing", path)
                continue
            sources.append(f"ner/{name}")
            for entry in _read_word_list(path.read_text(encoding="utf-8")):
                stems = name_stems(entry)
                if len(stems) == 1 and kind in NAME_KINDS:
                    _add_name_part(words, whole, entry, kind)
                elif len(stems) == 1:
                    words.setdefault(stems[0], set()).add(kind)
                    if kind == "PART":
                        particles.add(stems[0])
                elif stems:
                    phrases.setdefault(stems[:_LONGEST_NAME], set()).add(kind)
                    if kind == "PERS":
                        person_names.append(entry)
        honorifics = kb_dir / "honorifics.txt"
        if honorifics.is_file():
            sources.append("kb/honorifics.txt")
            for entry in _read_word_list(honorifics.read_text(encoding="utf-8")):
                stems = name_stems(entry)
                if len(stems) == 1:
                    words.setdefault(stems[0], set()).add("TITLE")
        pairs, used = kb_names(kb_dir)
        person_names += [name for kind, name in pairs if kind == "PERS"]
        common: set[str] = set()  # folded forms of the words that are no name part alone
        stop_file = lists_dir / NOT_NAME_PARTS
        if stop_file.is_file():
            sources.append(f"ner/{NOT_NAME_PARTS}")
            common = {analyse(w)[0] for w in _read_word_list(stop_file.read_text(encoding="utf-8"))}
        for name in person_names:
            parts = [t.text for t in tokenize(name)]
            if len(parts) < 2:
                continue
            for part, kind in ((parts[0], "FIRST"), (parts[-1], "LAST")):
                folded, stem, _clitics = analyse(part)
                if stem not in particles and folded not in common:
                    _add_name_part(words, whole, part, kind)
        sources += [f"kb/{u}" for u in used]
        for kind, name in pairs:
            stems = name_stems(name)
            if not stems:
                continue
            if len(stems) == 1 and kind in NAME_KINDS:
                _add_name_part(words, whole, name, kind)
            elif len(stems) == 1:
                words.setdefault(stems[0], set()).add(kind)
            elif len(stems) <= _LONGEST_NAME:
                phrases.setdefault(stems, set()).add(kind)
            if kind == "NISBA" and len(stems) == 1 and stems[0].endswith("ي"):
                for ending in ("ه", "ون", "ين", "ات"):  # feminine and plural forms
                    words.setdefault(stems[0] + ending, set()).add(kind)
        return cls(
            {k: tuple(sorted(v)) for k, v in sorted(words.items())},
            {k: tuple(sorted(v)) for k, v in sorted(phrases.items())},
            sources,
            {k: tuple(sorted(v)) for k, v in sorted(whole.items())},
        )


def _add_name_part(words: dict[str, set[str]], whole: dict[str, set[str]], word: str, kind: str) -> None:
    """File a one-word name under its stem or, when taking clitics other than the article
    off changed it, under its whole folded form: in ``whole`` (the name as written) and in
    ``words`` (the stem of the name with a clitic in front: لكاربوف, بكرمستان)."""
    folded, stem, clitics = analyse(word)
    if clitics == "" or (clitics == "ال" and len(stem) > 2):  # the article only: الحداد is حداد
        words.setdefault(stem, set()).add(kind)
    else:
        whole.setdefault(folded, set()).add(kind)
        if "ال" not in clitics.split("+"):
            words.setdefault(folded, set()).add(kind)
