"""About 200 short Arabic reports written for the batch tests: visits, talks, a trade figure,
a spokesman's statement, condemnations, across several months and some without a date.

They are built from a few sentence patterns of our own and real country names (the
bundled KB knows them), so the default pipeline codes events, quotes and claims in them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

# country, masculine nisba, capital (as an Arabic report names them)
COUNTRIES = [
    ("مصر", "المصري", "القاهرة"), ("الأردن", "الأردني", "عمان"), ("تونس", "التونسي", "تونس"),
    ("المغرب", "المغربي", "الرباط"), ("تركيا", "التركي", "أنقرة"), ("إيران", "الإيراني", "طهران"),
    ("روسيا", "الروسي", "موسكو"), ("الصين", "الصيني", "بكين"), ("فرنسا", "الفرنسي", "باريس"),
    ("ألمانيا", "الألماني", "برلين"), ("اليابان", "الياباني", "طوكيو"), ("الهند", "الهندي", "نيودلهي"),
    ("الكويت", "الكويتي", "الكويت"), ("قطر", "القطري", "الدوحة"), ("الجزائر", "الجزائري", "الجزائر"),
]  # fmt: skip

VISIT = (
    "وزير الخارجية {na} يصل إلى {cb}\n"
    "وصل وزير الخارجية {na} اليوم إلى {cb} في زيارة رسمية تستغرق يومين، يلتقي خلالها نظيره {nb} "
    "لبحث العلاقات الثنائية وملفات المنطقة."
)
TALKS = (
    "مباحثات {na_f} {nb_f} في {cb}\n"
    "بحث الرئيس {na} مع الرئيس {nb} في {cb} سبل تعزيز التعاون بين البلدين في مجالات الطاقة والنقل."
)
TRADE = " وقال الوزير إن حجم التبادل التجاري بين البلدين بلغ {n} مليارات دولار العام الماضي."
STATEMENT = (
    "{a} تدعو إلى التهدئة\n"
    'قال المتحدث باسم وزارة الخارجية {na}: "ندعو جميع الأطراف إلى ضبط النفس ووقف التصعيد فورا".'
)
CONDEMN = (
    "{a} تدين الهجوم على سفارتها\n"
    "أدانت {a} بشدة الهجوم الذي استهدف سفارتها في {cb}، وطالبت حكومة {b} بحماية البعثات الدبلوماسية."
)


def _feminine(nisba: str) -> str:
    return nisba + "ة"


def article(rng: random.Random) -> str:
    (a, na, _), (b, nb, cb) = rng.sample(COUNTRIES, 2)
    pattern = rng.choice([VISIT, VISIT + TRADE, TALKS, TALKS + TRADE, STATEMENT, CONDEMN])
    return pattern.format(a=a, b=b, na=na, nb=nb, cb=cb, na_f=_feminine(na), nb_f=_feminine(nb),
                          n=rng.randint(2, 9))  # fmt: skip


def write_articles(folder: Path, count: int = 200, seed: int = 11) -> list[str]:
    """``count`` reports under ``folder``: four JSONL files of dated reports (January to June
    2024) and the rest as text files without a date; returns the folder's files, sorted."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2024, 1, 3)
    dated = count * 4 // 5
    for f in range(4):
        lines = []
        for i in range(dated // 4):
            day = start + dt.timedelta(days=rng.randint(0, 170))
            record = {"id": f"feed{f}-{i}", "text": article(rng), "published": day.isoformat()}
            lines.append(json.dumps(record, ensure_ascii=False))
        (folder / f"feed{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(count - 4 * (dated // 4)):
        (folder / f"wire{i:03d}.txt").write_text(article(rng), encoding="utf-8")
    return sorted(str(p) for p in folder.iterdir())
