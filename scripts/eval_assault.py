"""Event coding on the UniversalPetrarch Arabic ASSAULT sentences.

Usage: python scripts/eval_assault.py [--shared ../shared] [--json PATH] [--show N]

Each sentence of ``data/up-arabic-events/assault.xml`` is one document published on its
``date``. We report the share of sentences that yield an ASSAULT event, and, where the
file codes a country for the source or the target ("PAK OPP" → PAK), how often our
ASSAULT event has that country on that side (accuracy over the coded sentences where we
found an event with that side filled, and over all coded sentences). The file lives
beside the repository, which a user's clone does not have; without it this says so and
exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from marsad.pipeline import Pipeline, make_document

ROOT = Path(__file__).resolve().parents[1]


def _country(code: str | None) -> str | None:
    first = (code or "").split()[0] if (code or "").split() else ""
    return (
        first
        if len(first) == 3 and first.isalpha() and first.isupper() and first not in ("IGO", "NON")
        else None
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show", type=int, default=0, help="print N sentences that yield no ASSAULT event")
    args = parser.parse_args()
    path = args.shared / "data" / "up-arabic-events" / "assault.xml"
    if not path.exists():
        print(f"assault evaluation skipped: {path} not found")
        return 0
    pipeline = Pipeline.default()
    total = hits = 0
    sides = {"source": [0, 0, 0], "target": [0, 0, 0]}  # coded, ours filled, right
    misses: list[str] = []
    for sent in ET.parse(path).getroot().iter("Sentence"):
        text = (sent.findtext("Text") or "").strip()
        if not text:
            continue
        total += 1
        raw = sent.get("date") or ""
        published = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])) if len(raw) == 8 else None
        doc = pipeline.process(make_document(text, published=published, doc_id=sent.get("id")))
        assaults = [e for e in doc.events if e.type == "ASSAULT"]
        hits += bool(assaults)
        if not assaults and len(misses) < args.show:
            misses.append(text)
        coding = sent.find("EventCoding")
        for side in ("source", "target"):
            want = _country(coding.get(f"{side}code") if coding is not None else None)
            if want is None:
                continue
            sides[side][0] += 1
            got = {getattr(e, side).country for e in assaults if getattr(e, side) is not None}
            got.discard(None)
            if got:
                sides[side][1] += 1
                sides[side][2] += want in got
    figures = {
        "sentences": total,
        "with_assault": hits,
        "share_with_assault": hits / total if total else 0.0,
        **{
            f"{side}_{k}": v
            for side, (coded, filled, right) in sides.items()
            for k, v in (
                ("coded", coded),
                ("filled", filled),
                ("accuracy_when_filled", right / filled if filled else 0.0),
                ("accuracy_over_coded", right / coded if coded else 0.0),
            )
        },
    }
    print("| figure | value |\n|---|---|")
    for k, v in figures.items():
        print(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    for text in misses:
        print("no ASSAULT:", text)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
