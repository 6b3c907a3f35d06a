"""HTML pages through trafilatura: main text, title, author, date, site name.

The publication date comes only from the page's metadata (meta tags, ``<time>``,
structured data), never from dates printed in the running text: trafilatura's
date search runs with ``extensive_search`` off.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import trafilatura

from marsad.errors import Code, InputError

log = logging.getLogger(__name__)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    authors: tuple[str, ...]
    published: dt.date | None
    sitename: str | None
    url: str | None


def read_html(markup: str, origin: str) -> Page:
    """Extract the article from one HTML page, or raise :class:`InputError`."""
    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        raise InputError(
            Code.NO_BODY, origin, f"the HTML could not be parsed ({exc})", "check the file"
        ) from None
    data: dict[str, Any] = {}
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        raise InputError(
            Code.NO_BODY, origin, "no article text found in the HTML page",
            "the page may be empty, a script-only shell or broken; save the article text as .txt instead",
        )  # fmt: skip
    author = data.get("author") or ""
    authors = tuple(a.strip() for a in author.split(";") if a.strip())
    return Page(
        text=text,
        title=(data.get("title") or "").strip() or None,
        authors=authors,
        published=_date(data.get("date")),
        sitename=(data.get("sitename") or "").strip() or None,
        url=data.get("url"),
    )


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        log.warning("ignoring unreadable HTML date %r", value)
        return None
