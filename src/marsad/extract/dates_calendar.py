"""Calendar arithmetic of the dates stage: resolving relative expressions, Hijri dates.

Every function is pure. ``shift`` follows the ``shift`` words of ``data/dates/relative.tsv``:
``None`` = no marker (the most recent one on or before publication), ``-1`` = past (strictly
before), ``0`` = current, ``1`` = future (strictly after).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

from marsad.model import Granularity

__all__ = [
    "HijriConverter",
    "day_value",
    "hijri_converter",
    "month_value",
    "recent_day",
    "recent_month",
    "shift_month",
    "weekday_date",
    "year_value",
]

#: ``(year, month, day)`` of the Umm al-Qura calendar to a Gregorian date, or None if invalid.
HijriConverter = Callable[[int, int, int], dt.date | None]

Value = tuple[str, Granularity]


def hijri_converter() -> HijriConverter | None:
    """The Hijri-to-Gregorian converter of the ``hijridate`` package, or None if not installed."""
    try:
        module = importlib.import_module("hijridate")
    except ImportError:
        return None
    hijri = module.Hijri

    def convert(year: int, month: int, day: int) -> dt.date | None:
        try:
            g = hijri(year, month, day).to_gregorian()
        except (ValueError, OverflowError):
            return None
        return dt.date(g.year, g.month, g.day)

    return convert


def day_value(date: dt.date) -> Value:
    return date.isoformat(), Granularity.DAY


def month_value(year: int, month: int) -> Value | None:
    if not 1 <= year <= 9999:
        return None
    return f"{year:04d}-{month:02d}", Granularity.MONTH


def year_value(year: int) -> Value | None:
    if not 1 <= year <= 9999:
        return None
    return f"{year:04d}", Granularity.YEAR


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """``(year, month)`` moved by ``by`` months."""
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def recent_month(published: dt.date, month: int, shift: int | None) -> int:
    """The year of the named ``month`` as seen from ``published``."""
    year = published.year
    if shift == 0:
        return year
    if shift is None:
        return year if month <= published.month else year - 1
    if shift < 0:
        return year if month < published.month else year - 1
    return year if month > published.month else year + 1


def recent_day(published: dt.date, month: int, day: int, shift: int | None) -> dt.date | None:
    """The named ``day``/``month`` as seen from ``published`` (None if no such date)."""
    here = (published.month, published.day)
    year = published.year
    if shift is None:
        year = year if (month, day) <= here else year - 1
    elif shift < 0:
        year = year if (month, day) < here else year - 1
    elif shift > 0:
        year = year if (month, day) > here else year + 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def weekday_date(published: dt.date, weekday: int, shift: int | None, offset: int = 0) -> dt.date | None:
    """The named ``weekday`` as seen from ``published`` moved by ``offset`` days.

    No shift (or "current"): on or before the base day; past: strictly before it;
    future: strictly after it. A future base day ("غدا الأحد") looks forward instead.
    """
    try:
        base = published + dt.timedelta(days=offset)
        if shift is not None and shift > 0:
            return base + dt.timedelta(days=(weekday - base.weekday() - 1) % 7 + 1)
        if offset > 0:
            return base + dt.timedelta(days=(weekday - base.weekday()) % 7)
        if shift is not None and shift < 0:
            return base - dt.timedelta(days=(base.weekday() - weekday - 1) % 7 + 1)
        return base - dt.timedelta(days=(base.weekday() - weekday) % 7)
    except OverflowError:
        return None
