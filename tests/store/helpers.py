"""Hand-built documents for the store tests (also loaded by path from a subprocess)."""

from __future__ import annotations

import datetime as dt

from marsad.model import Document, SourceInfo
from marsad.store import raw_hash

CAPITAL = "أعلنت الحكومة اليوم عن خطة جديدة للنقل بالعاصمة. وقال الوزير إن العمل يبدأ الشهر المقبل."
AZERI = "وصل الرئيس الأذربيجاني إلى الرياض في زيارة رسمية. وبحث الجانبان التعاون الاقتصادي."
SUMMIT = "انعقدت القمة العربية في القاهرة. وأكد البيان الختامي دعم السلام الإقليمي."


def make_doc(
    text: str,
    *,
    doc_id: str = "article",
    origin: str = "news/article.txt",
    title: str | None = None,
    agency: str | None = None,
    published: dt.date | None = None,
    fmt: str = "txt",
) -> Document:
    return Document(
        doc_id=doc_id,
        raw=text,
        source=SourceInfo(origin=origin, format=fmt, encoding="utf-8"),
        text=text,
        title=title,
        agency=agency,
        published=published,
    )


def pair(doc: Document) -> tuple[Document, str]:
    """``(document, raw_hash)`` as ``Store.write_batch`` takes it."""
    return doc, raw_hash(doc.raw)


def work_batch(index: int, size: int) -> list[tuple[Document, str]]:
    """Batch ``index`` of a deterministic workload: ``size`` distinct documents."""
    batch = []
    for n in range(index * size, (index + 1) * size):
        text = f"خبر رقم {n}: اجتمع المجلس في العاصمة لمناقشة الميزانية رقم {n}."
        batch.append(pair(make_doc(text, doc_id=f"doc-{n}", origin=f"feed/{n}.txt", title=f"خبر {n}")))
    return batch
