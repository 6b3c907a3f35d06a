"""Story thresholds chosen on hand-labelled SaudiNewsNet pairs: a sweep of the story rule.

Usage: python benchmarks/story_thresholds.py [--shared ../shared] [--labels benchmarks/data/story_pairs.tsv]
                                             [--errors]

Two documents are taken to be one story when

    jaccard >= near_duplicate
    or (happening match within window_days and cos >= similar)
    or (cos >= same_text and collected at most window_days apart)

with the features of ``benchmarks/story_pairs.py``: the exact Jaccard of the documents'
word 4-gram shingles of stems (the story builder estimates it by MinHash), a happening
match as :class:`marsad.corpus.stories.StoryBuilder` makes it, and the cosine of the lead
embeddings (:class:`marsad.corpus.similarity.LeadEmbedder`). The labelled pairs
(``benchmarks/data/story_pairs.tsv``) name their articles only; every article they name is
read from the corpus and run through the default pipeline again, so the features always
come from the code as it is.

The sweep covers near_duplicate 0.5–0.9, similar 0–0.7, same_text 0.75–0.95 and 1.01
(off), window_days 1–3, and prints markdown tables: the labels by stratum, the best
settings, each parameter varied alone around the chosen setting (with the best F1 any
setting reaches with that value), and what each part of the rule adds at the chosen
setting. The chosen setting has the highest pair-level F1; ties go to higher precision,
then to the more conservative setting (higher near_duplicate, similar and same_text, in
that order, then the smaller window). ``--errors`` also lists the pairs the chosen setting
gets wrong, with their notes. Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from saudinewsnet import zips, zips_or_skip
from story_pairs import Key, embed, gap, happening_match, jaccard, process, read, stratum

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "story_pairs.tsv"

NEAR_DUPLICATE = (0.5, 0.6, 0.7, 0.8, 0.9)
SIMILAR = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
SAME_TEXT = (0.75, 0.8, 0.85, 0.9, 0.95, 1.01)  # 1.01: off (a cosine is at most 1)
WINDOW_DAYS = (1, 2, 3)
PARAMETERS = ("near_duplicate", "similar", "same_text", "window_days")


@dataclass(frozen=True, slots=True)
class Pair:
    """A labelled pair and its features."""

    a: Key
    b: Key
    label: bool
    note: str
    jaccard: float
    cos: float
    gap: int | None
    happening: dict[int, bool]  # by window in days


@dataclass(frozen=True, slots=True)
class Setting:
    near_duplicate: float
    similar: float
    same_text: float
    window_days: int

    def parts(self, pair: Pair) -> tuple[bool, bool, bool]:
        """Whether each part of the rule (near duplicate, happening, same text) joins the pair."""
        return (
            pair.jaccard >= self.near_duplicate,
            pair.happening[self.window_days] and pair.cos >= self.similar,
            pair.cos >= self.same_text and pair.gap is not None and pair.gap <= self.window_days,
        )

    def same_story(self, pair: Pair) -> bool:
        return any(self.parts(pair))

    def show(self) -> str:
        same_text = "off" if self.same_text > 1 else f"{self.same_text:g}"
        return f"{self.near_duplicate:g} | {self.similar:g} | {same_text} | {self.window_days}"


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def show(self) -> str:
        return f"{self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} | {self.tp} | {self.fp} | {self.fn}"


def score(setting: Setting, pairs: Iterable[Pair]) -> Score:
    tp = fp = fn = 0
    for pair in pairs:
        said = setting.same_story(pair)
        tp += said and pair.label
        fp += said and not pair.label
        fn += pair.label and not said
    return Score(tp, fp, fn)


def rank(item: tuple[Setting, Score]) -> tuple[float, float, float, float, float, int]:
    """Highest F1, then precision, then the more conservative setting."""
    setting, s = item
    return (
        round(s.f1, 9),
        round(s.precision, 9),
        setting.near_duplicate,
        setting.similar,
        setting.same_text,
        -setting.window_days,
    )


def read_labels(path: Path) -> list[tuple[Key, Key, bool, str]]:
    with path.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        return [
            ((r["file_a"], r["id_a"]), (r["file_b"], r["id_b"]), r["label"] == "1", r["note"])
            for r in csv.DictReader(lines, delimiter="\t")
        ]


def features(shared: Path, labels: Sequence[tuple[Key, Key, bool, str]]) -> list[Pair]:
    """The labelled pairs with their features, from the corpus and the pipeline."""
    wanted = {key for a, b, _, _ in labels for key in (a, b)}
    files = [p for p in zips(shared) if p.name in {k[0] for k in wanted}]
    articles = process(read(files, wanted))
    missing = wanted - {a.key for a in articles}
    if missing:
        raise SystemExit(f"{len(missing)} labelled articles are not in the corpus, e.g. {sorted(missing)[0]}")
    vectors = embed(articles)
    index = {a.key: i for i, a in enumerate(articles)}
    out = []
    for a, b, label, note in labels:
        i, j = index[a], index[b]
        x, y = articles[i], articles[j]
        out.append(
            Pair(
                a,
                b,
                label,
                note,
                jaccard(x.shingles, y.shingles),
                float(vectors[i] @ vectors[j]),
                gap(x, y),
                {w: happening_match(x.signatures, y.signatures, w) for w in WINDOW_DAYS},
            )
        )
    return out


def strata_table(pairs: Sequence[Pair]) -> list[str]:
    groups: dict[str, list[Pair]] = {}
    for p in pairs:
        name = stratum(p.jaccard, p.happening[max(WINDOW_DAYS)], p.cos, p.gap) or "other"
        groups.setdefault(name, []).append(p)
    lines = ["| stratum (recomputed features) | pairs | same story |", "|---|---:|---:|"]
    for name, members in sorted(groups.items()):
        lines.append(f"| {name} | {len(members)} | {sum(p.label for p in members)} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--top", type=int, default=10, help="how many of the best settings to show")
    parser.add_argument("--errors", action="store_true", help="list the pairs the chosen setting gets wrong")
    args = parser.parse_args()
    if not zips_or_skip(args.shared):
        return 0
    start = time.perf_counter()
    pairs = features(args.shared, read_labels(args.labels))
    seconds = time.perf_counter() - start
    positives = sum(p.label for p in pairs)
    print(
        f"{len(pairs)} labelled pairs: {positives} same story, {len(pairs) - positives} different "
        f"({len({k for p in pairs for k in (p.a, p.b)})} articles; features in {seconds:.0f} s)"
    )
    print()
    print("\n".join(strata_table(pairs)))

    grid = [Setting(*values) for values in itertools.product(NEAR_DUPLICATE, SIMILAR, SAME_TEXT, WINDOW_DAYS)]
    results = sorted(((s, score(s, pairs)) for s in grid), key=rank, reverse=True)
    chosen, best = results[0]
    head = "| near_duplicate | similar | same_text | window_days | precision | recall | F1 | TP | FP | FN |"
    print()
    print(f"Best {args.top} of {len(grid)} settings:")
    print()
    print(head)
    print("|" + "---:|" * 10)
    for setting, s in results[: args.top]:
        print(f"| {setting.show()} | {s.show()} |")

    for name in PARAMETERS:
        values = {
            "near_duplicate": NEAR_DUPLICATE,
            "similar": SIMILAR,
            "same_text": SAME_TEXT,
            "window_days": WINDOW_DAYS,
        }[name]
        print()
        print(f"{name} varied alone (the others as chosen); best F1: over all settings with that value")
        print()
        print(f"| {name} | precision | recall | F1 | TP | FP | FN | best F1 |")
        print("|" + "---:|" * 8)
        for value in values:
            alone = Setting(**{**{p: getattr(chosen, p) for p in PARAMETERS}, name: value})
            top = max(s.f1 for setting, s in results if getattr(setting, name) == value)
            shown = "off" if name == "same_text" and value > 1 else f"{value:g}"
            mark = " (chosen)" if value == getattr(chosen, name) else ""
            print(f"| {shown}{mark} | {score(alone, pairs).show()} | {top:.3f} |")

    print()
    print("What each part of the rule joins at the chosen setting (alone; pairs)")
    print()
    print("| part | joins | same story | different | only this part | only this part, different |")
    print("|---|---:|---:|---:|---:|---:|")
    names = ("near duplicate (jaccard)", "happening and cos >= similar", "cos >= same_text within window")
    parts = [(p, chosen.parts(p)) for p in pairs]
    for n, name in enumerate(names):
        joined = [p for p, flags in parts if flags[n]]
        only = [p for p, flags in parts if flags[n] and sum(flags) == 1]
        print(
            f"| {name} | {len(joined)} | {sum(p.label for p in joined)} | {sum(not p.label for p in joined)} "
            f"| {len(only)} | {sum(not p.label for p in only)} |"
        )

    print()
    print(
        f"chosen: near_duplicate={chosen.near_duplicate:g} similar={chosen.similar:g} "
        f"same_text={'off' if chosen.same_text > 1 else f'{chosen.same_text:g}'} "
        f"window_days={chosen.window_days}: precision {best.precision:.3f}, recall {best.recall:.3f}, "
        f"F1 {best.f1:.3f}"
    )
    if args.errors:
        wrong = [p for p in pairs if chosen.same_story(p) != p.label]
        print()
        print("| label | jaccard | happening | cos | gap | note |")
        print("|---:|---:|---|---:|---:|---|")
        for p in sorted(wrong, key=lambda p: (p.label, -p.cos)):
            print(
                f"| {int(p.label)} | {p.jaccard:.2f} | {p.happening[chosen.window_days]} | {p.cos:.2f} "
                f"| {p.gap} | {p.note} |"
            )
    print()
    print(f"total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
