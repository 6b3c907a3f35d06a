"""Word lists the cleaner and the metadata stage share: agencies, dateline cities,
month and weekday names, and the absolute dates a page header prints.

All matching happens on folded text (:func:`marsad.arabic.normalize.fold`), so the
lists need only genuinely different spellings. Everything is loaded once per
:class:`Lexicon` instance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from marsad.arabic.normalize import fold
from marsad.resources import read_tsv

_SPACES = re.compile(r"\s+")
# A dateline: place, an optional date, then the agency in (), between slashes or after a dash:
# "باكو/ الأناضول", "القاهرة (رويترز) -", "الرياض - واس:", "موسكو، ١٥ مارس. /تاس/.", "نجامينا 9 يوليو 2024 (شينخوا) -"
_DATELINE_HEAD = (
    r"^(?P<place>[^\W\d][^/()\-–—:|.,،\n\d]{1,30}?)"
    r"(?:\s*[،,]?\s*(?P<date>\d[^()/\-–—:\n]{2,28}?))?"
    r"\s*(?:\((?P<a1>[^()\n]{2,30})\)|/\s*(?P<a2>[^/\n]{2,20}?)\s*/|[/\-–—]\s*\(?(?P<a3>[^()\-–—:.\n]{2,30}?)\)?)"
)
#: How far into a paragraph an opening dateline is looked for: the expressions' parts are
#: bounded (place 31 characters, date 29, agency 32), so a dateline ends well before.
_DATELINE_REACH = 300
_DATELINE = re.compile(_DATELINE_HEAD + r"\s*[-–—:.]?\s*$")
_INLINE_DATELINE = re.compile(_DATELINE_HEAD + r"(?:\s*[-–—:.]|(?<=\))\s)")
# a newspaper's own dateline, with no agency: "بيروت - ", "عدن – "
_PLACE_DATELINE = re.compile(r"^(?P<place>[^\W\d][^/()\-–—:|.,،\n\d]{1,30}?)\s+[-–—]\s+\S")


def squash(text: str) -> str:
    """Folded text with whitespace runs collapsed: the form every rule matches."""
    return _SPACES.sub(" ", fold(text)).strip()


def _alternation(words: list[str]) -> str:
    """A regex alternation, longest first, so a longer name wins over its prefix."""
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


@dataclass(frozen=True, slots=True)
class Named:
    id: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline: the text matched (folded), the place as written, and what it resolves to."""

    text: str
    place: str
    city: Named | None
    agency: Named | None
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    value: dt.date


class Lexicon:
    """Agencies, cities, months and weekdays, with the matchers built over them."""

    def __init__(
        self,
        agencies: list[dict[str, str]],
        cities: list[dict[str, str]],
        months: list[dict[str, str]],
        weekdays: list[dict[str, str]],
        outlet_ids: list[dict[str, str]] | None = None,
    ) -> None:
        self.agencies: dict[str, Named] = {}
        self.agency_by_name: dict[str, Named] = {}
        for row in agencies:
            item = Named(row["id"], row["name"], row.get("country") or None)
            self.agency_by_name[row["name"].casefold()] = item
            for surface in [*row["names_ar"].split("|"), row["name"]]:
                for key in self._keys(surface):
                    self.agencies.setdefault(key, item)
        self.outlets = {r["outlet_id"]: r["name"] for r in outlet_ids or []}
        self.cities: dict[str, Named] = {}
        for row in cities:
            item = Named(row["id"], row["name"], row.get("country") or None)
            for surface in [*row["names_ar"].split("|"), row["name"]]:
                for key in self._keys(surface):
                    self.cities.setdefault(key, item)
        self.months: dict[str, int] = {
            squash(r["name"]): int(r["month"]) for r in months if r["system"] != "hijri"
        }
        self.weekdays: dict[str, int] = {squash(r["name"]): int(r["weekday"]) for r in weekdays}
        self.agency_re = re.compile(
            r"(?<!\w)(?:[وبل])?(?:" + _alternation(list(self.agencies)) + r")(?!\w)", re.IGNORECASE
        )
        month = "(?:" + _alternation(list(self.months)) + ")"
        self.named_date_re = re.compile(
            r"(?<!\d)(?P<d>\d{1,2})\s*(?P<m>" + month + r")(?:\s*[/\\-]\s*(?P<m2>" + month + r"))?"
            r"\s*،?\s*(?P<y>(?:19|20)\d{2})(?!\d)"
        )
        self.numeric_date_re = re.compile(
            r"(?<![\d.])(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>(?:19|20)\d{2})"
            r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))(?![\d.])"
        )
        self.weekday_re = re.compile(r"(?<!\w)(?:" + _alternation(list(self.weekdays)) + r")(?!\w)")

    @classmethod
    def load(cls) -> Lexicon:
        """The bundled lists."""
        return cls(
            read_tsv("kb/agencies.tsv"),
            read_tsv("kb/cities.tsv"),
            read_tsv("arabic/months.tsv"),
            read_tsv("arabic/weekdays.tsv"),
            read_tsv("kb/outlet_ids.tsv"),
        )

    @staticmethod
    def _keys(surface: str) -> list[str]:
        key = squash(surface).casefold()
        if not key:
            return []
        keys = [key]
        if key.startswith("ال") and len(key) > 4:
            keys.append(key[2:])
        return keys

    def agency(self, text: str) -> Named | None:
        """The agency that ``text`` names in full ("الأناضول", "وكالة تاس", "Reuters")."""
        key = squash(text).casefold().strip(" .:()[]«»\"'-–—")
        key = re.sub(r"^(?:وكاله|وكالة)\s+(?:انباء\s+|الانباء\s+)?", "", key)
        if key in self.agencies:
            return self.agencies[key]
        if key.startswith(("ل", "ب", "و")) and key[1:] in self.agencies:
            return self.agencies[key[1:]]
        return None

    def find_agency(self, text: str) -> Named | None:
        """The agency a credit or disclaimer line names.

        In a long line only a name after "وكالة" counts, since some agency names
        (وما، معا، اليوم) are also common words.
        """
        flat = squash(text).casefold()
        matches = list(self.agency_re.finditer(flat))
        for match in matches:
            if re.search(r"وكاله\s*$", flat[: match.start()]):
                return self.agency(match.group(0))
        if matches and len(flat.split()) <= 8:
            return self.agency(matches[0].group(0))
        return None

    def agency_named(self, name: str) -> Named | None:
        """An agency by its canonical English name or an outlet id (SaudiNewsNet's ``was``)."""
        name = self.outlets.get(name, name)
        return self.agency_by_name.get(name.casefold()) or self.agency(name)

    def city(self, text: str) -> Named | None:
        """The city ``text`` names in full ("باكو", "مسكو", "القدس المحتلة")."""
        key = squash(text).casefold().strip(" .:،,()-–—")
        return self.cities.get(key)

    def dateline(self, line: str) -> Dateline | None:
        """The dateline when ``line`` is nothing else: "باكو/ الأناضول", "موسكو (تاس)"."""
        return self._dateline(_DATELINE.match(fold(line.strip())))

    def inline_dateline(self, paragraph: str) -> Dateline | None:
        """The dateline that opens a paragraph: "القاهرة (رويترز) - …", "بيروت - …"."""
        flat = fold(paragraph.strip()[:_DATELINE_REACH])
        found = self._dateline(_INLINE_DATELINE.match(flat))
        if found:
            return found
        match = _PLACE_DATELINE.match(flat)
        city = self.city(match.group("place")) if match else None
        if match is None or city is None:
            return None
        return Dateline(match.group(0)[:-1].strip(), match.group("place").strip(), city, None, None)

    def _dateline(self, match: re.Match[str] | None) -> Dateline | None:
        if match is None or len(match.group("place").split()) > 3:
            return None
        agency = self.agency(match.group("a1") or match.group("a2") or match.group("a3") or "")
        if agency is None:
            return None
        place = match.group("place").strip()
        dates = self.find_dates(match.group("date") or "")
        return Dateline(
            match.group(0).strip(), place, self.city(place), agency, dates[0].value if dates else None
        )

    def find_dates(self, folded: str) -> list[FoundDate]:
        """Absolute day-month-year dates in already folded text, in order."""
        found: list[FoundDate] = []
        for m in self.named_date_re.finditer(folded):
            month = self.months[_SPACES.sub(" ", m.group("m"))]
            value = _safe_date(int(m.group("y")), month, int(m.group("d")))
            if value:
                found.append(FoundDate(m.start(), m.end(), value))
        for m in self.numeric_date_re.finditer(folded):
            if m.group("y"):
                value = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            else:
                value = _safe_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
            if value:
                found.append(FoundDate(m.start(), m.end(), value))
        return sorted(found, key=lambda f: f.start)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
