"""The bundled examples give what examples/EXPECTED.md says, and the README quickstart stays true."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from marsad.arabic.normalize import fold
from marsad.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# file -> (title, published, published_source, agency, dateline, authors, encoding)
EXPECTED = {
    "aa_dateline": ("أنقرة وتبليسي تبحثان رفع طاقة خط باكو-تبليسي-قارص الحديدي إلى 5 ملايين طن سنويا", "2024-03-14",
                    "text", "Anadolu Agency", "Ankara", ["Ahmet Yilmaz", "Leyla Aydin"], "utf-8"),
    "reuters_style": ("مصر تدعو طرفي الحرب في السودان إلى هدنة إنسانية حول الفاشر", "2024-05-12", "text",
                      "Reuters", "Cairo", [], "utf-8"),
    "tass_style": ("موسكو تبحث مع وفد من المجلس الأعلى للدولة الليبي شروط إجراء الانتخابات", "2023-03-15", "text",
                   "TASS", "Moscow", [], "utf-8"),
    "gulf_daily": ("السعودية وعُمان تبحثان في الرياض دعم مسار السلام في اليمن", "2024-04-22", "metadata",
                   "Saudi Press Agency", "Riyadh", ["سلمان العتيبي"], "utf-8"),
    "legacy_cp1256": ("لجنة المال النيابية تبدأ درس موازنة 2024 وسط خلاف على الرسوم الجديدة", "2023-10-03", "text",
                      None, "Beirut", [], "windows-1256"),
    "legacy_iso8859_6": ("موريتانيا ومالي تتفقان على تشكيل لجنة أمنية مشتركة لمراقبة الحدود", "2023-11-20", "text",
                         None, "Nouakchott", [], "iso-8859-6"),
    "utf16_bom": ("الحكومة اليمنية تسلم الأمم المتحدة قائمة بـ1400 محتجز تمهيدا لجولة تبادل جديدة", "2024-01-21",
                  "text", None, "Aden", [], "utf-16"),
    "maghreb_outlet": ("تونس وليبيا تتفقان على إعادة فتح معبر رأس جدير تدريجيا بعد أشهر من الغلق", "2024-06-05",
                       "text", None, None, ["سنية الجلاصي"], "utf-8"),
    "no_title_wire": (None, "2024-07-09", "text", "Xinhua News Agency", "N'Djamena", [], "utf-8"),
}  # fmt: skip


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict[str, object]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["extract", str(EXAMPLES)]) == 0
    return {r["doc_id"]: r for r in map(json.loads, out.getvalue().splitlines())}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_metadata(extracted: dict[str, dict[str, object]], name: str) -> None:
    title, published, source, agency, dateline, authors, encoding = EXPECTED[name]
    record = extracted[name]
    got = (
        record["title"],
        record["published"],
        record["published_source"],
        record["agency"],
        record["dateline"],
    )
    assert got == (title, published, source, agency, dateline)
    assert record["authors"] == authors
    assert record["source"]["encoding"] == encoding  # type: ignore[index]


def test_example_boilerplate_lines_are_gone(extracted: dict[str, dict[str, object]]) -> None:
    expected = (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", expected, flags=re.M)[1:]
    checked = 0
    for section in sections:
        name = section.split("\n", 1)[0].strip().rsplit(".", 1)[0]
        if name not in extracted or "- Boilerplate" not in section:
            continue
        block = section.split("- Boilerplate", 1)[1].split("\n- ", 1)[0]
        text = fold(str(extracted[name]["text"]))
        lines = {line.strip() for line in text.splitlines()}
        for line in re.findall(r"^\s+- `(.+)`$", block, flags=re.M):
            folded = fold(line).strip()
            # a short line may occur inside a sentence ("دولي"); it must not stand as a line
            assert folded not in lines and (len(folded.split()) < 4 or folded not in text), (name, line)
            checked += 1
    assert checked >= 30


def test_the_feed_keeps_all_four_records(extracted: dict[str, dict[str, object]]) -> None:
    feed = [r for r in extracted.values() if r["source"]["format"] == "jsonl"]  # type: ignore[index]
    assert len(feed) == 4 and all(r["published_source"] == "metadata" for r in feed)


def test_readme_quickstart_is_two_make_targets_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- quickstart -->", 1)[1].split("<!-- /quickstart -->", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith("make")]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, flags=re.M)


def test_demo_steps_work(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    """The marsad commands `make demo` runs, on a fresh store."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip().split("marsad ", 1)[1] for line in recipe.splitlines() if "/marsad " in line]
    assert steps and steps[0].startswith("ingest examples")
    db = str(tmp_path / "demo.db")
    for step in steps:
        args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', step.replace("$(DEMO_DB)", db))]
        args = [str(ROOT / a) if a == "examples" else a for a in args]
        code, out, err = cli(*args)
        assert code == 0, (step, err)
    assert "aa_dateline" in out or "reuters_style" in out or "result" in err
