"""Train the packaged CRF named-entity model on ANERcorp and record how well it does.

Usage: python scripts/train_ner.py [--shared ../shared] [--dev-fraction 0.1] [--folds 5]
                                   [--fold-limit N] [--only NAME,NAME] [--no-ship]
                                   [--out src/marsad/data/models] [--jobs 2] [--quick]

ANERcorp (the train part of the CAMeL Lab split) lives in the shared folder beside the
repository, which a user's clone does not have; without it the script says so and
exits 0. The corpus is third-party research data: only the trained weights ship.

Steps:
1. Cross-validation: cut the sentences into ``--folds`` contiguous folds (articles stay
   whole but for the cut points); for each fold, train on the others and score on it:
   exact-span entity precision/recall/F1, micro-averaged, overall and per type. A row
   of the grid is judged by the mean F1 over the folds. ``--fold-limit N`` scores only
   the first N folds (a quicker, rougher comparison; such rows are not chosen from).
   Two-stage settings (``consistency`` > 0) train their second stage on first-stage
   tags from models that did not see those sentences (jackknife over the other folds),
   and are scored twice: on each fold as running text (``tag_sentences``) and sentence
   by sentence (``tag``, which gives a lone sentence the first stage's tags: the second
   stage alone on lone sentences scored below the first stage, 0.717 against 0.724).
2. Train every configuration of the grid (or those named by ``--only``; rows of the
   others are kept from the settings file already in ``--out``); ``--quick`` trains
   only the default configuration.
3. Dev estimate of the best row: train on all but the last ``--dev-fraction`` of the
   sentences (contiguous) and score on that slice, as earlier versions did.
4. Retrain the best row on all of the corpus and write ``ner_crf.crfsuite`` (and
   ``ner_crf.stage2.crfsuite`` for a two-stage model) and ``ner_crf.json`` (settings,
   data sizes, cross-validation and dev scores, the grid table, model size and tagging
   speed) to ``--out``. ``--no-ship`` stops after the grid and only updates the table.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.ner.conll import bio_spans, read_tagged_conll, score_entities  # noqa: E402
from marsad.ner.features import (  # noqa: E402
    FeatureConfig,
    FeatureExtractor,
    NameLexicon,
    consistency_features,
)
from marsad.ner.model import MODEL_FILE, SETTINGS_FILE, NerModel, stage2_path, train_crf  # noqa: E402

CORPUS = Path("data") / "anercorp" / "train.conll"
TYPES = ("PERS", "LOC", "ORG", "MISC")
Tagged = list[tuple[list[str], list[str]]]
Scores = dict[str, dict[str, float | int]]


@dataclass(frozen=True)
class Setting:
    """One row of the grid: features, CRFsuite algorithm and parameters, identity dropout."""

    name: str
    features: FeatureConfig = field(default_factory=FeatureConfig)
    c1: float = 0.1
    c2: float = 0.01
    forget_rare: int = 1
    transitions: bool = True
    algorithm: str = "lbfgs"
    max_iterations: int = 300

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "max_iterations": self.max_iterations,
            "feature.possible_transitions": self.transitions,
        }
        if self.algorithm == "lbfgs":
            params.update(c1=self.c1, c2=self.c2)
        return params

    def first_stage(self) -> Setting:
        """The same setting with one stage only (the first stage of a two-stage setting)."""
        return replace(self, name=f"{self.name}/stage1", features=replace(self.features, consistency=0))

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "features": self.features.to_dict(),
            "algorithm": self.algorithm,
            "params": self.params(),
            "forget_rare": self.forget_rare,
        }


DEFAULT = "lexicon"
AFFIX4 = FeatureConfig(affixes=4)
GRID: tuple[Setting, ...] = (
    Setting("no-lexicon", FeatureConfig(lexicon=False)),
    Setting("lexicon-no-dropout", forget_rare=0),
    Setting("lexicon-no-transitions", transitions=False),
    Setting(DEFAULT),
    Setting("lexicon-c1-0.05", c1=0.05),
    Setting("lexicon-c1-0.2", c1=0.2),
    Setting("lexicon-c2-0.1", c2=0.1),
    Setting("lexicon-window-3", FeatureConfig(window=3)),
    Setting("lexicon-context-affixes", FeatureConfig(context_affixes=True)),
    Setting("lexicon-bigrams-stem-affixes", FeatureConfig(bigrams=True, stem_affixes=True)),
    Setting("lexicon-affixes-4", AFFIX4),
    Setting("lexicon-affixes-4-stem-affixes", FeatureConfig(affixes=4, stem_affixes=True)),
    Setting("lexicon-forget-2", forget_rare=2),
    Setting("lexicon-forget-3", forget_rare=3),
    Setting("lexicon-ap", algorithm="ap", max_iterations=100),
    Setting("lexicon-pa", algorithm="pa", max_iterations=100),
    Setting("lexicon-arow", algorithm="arow", max_iterations=100),
    Setting("lexicon-consistency-5", FeatureConfig(consistency=5)),
    Setting("lexicon-consistency-20", FeatureConfig(consistency=20)),
    Setting("lexicon-affixes-4-c1-0.05-consistency-5", FeatureConfig(affixes=4, consistency=5), c1=0.05),
    Setting(
        "lexicon-affixes-4-c1-0.05-forget-3-consistency-5",
        FeatureConfig(affixes=4, consistency=5),
        c1=0.05,
        forget_rare=3,
    ),
)


def split(data: Tagged, fraction: float) -> tuple[Tagged, Tagged]:
    n_dev = max(1, round(len(data) * fraction))
    return data[:-n_dev], data[-n_dev:]


def fold_bounds(n: int, folds: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each contiguous fold of ``n`` sentences."""
    cuts = [round(n * i / folds) for i in range(folds + 1)]
    return list(itertools.pairwise(cuts))


def tokens_of(part: Tagged) -> int:
    return sum(len(tokens) for tokens, _ in part)


def entity_counts(part: Tagged) -> dict[str, int]:
    counts = dict.fromkeys(TYPES, 0)
    for _, tags in part:
        for _start, _end, kind in bio_spans(tags):
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def extractor_for(setting: Setting, lexicon: NameLexicon) -> FeatureExtractor:
    return FeatureExtractor(setting.features, lexicon if setting.features.lexicon else NameLexicon())


def train_and_tag(
    setting: Setting,
    train: Tagged,
    lexicon: NameLexicon,
    to_tag: Sequence[Sequence[Sequence[str]]] = (),
    extra: Sequence[Sequence[Sequence[str]]] | None = None,
) -> tuple[bytes, list[list[list[str]]], float]:
    """Train one CRF (with ``extra`` features: a second stage); its weights, its tags of each group of ``to_tag``, seconds."""
    extractor = extractor_for(setting, lexicon)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MODEL_FILE
        start = time.perf_counter()
        model = train_crf(
            [t for t, _ in train],
            [g for _, g in train],
            extractor,
            path,
            setting.params(),
            algorithm=setting.algorithm,
            forget_rare=setting.forget_rare,
            extra=extra,
        )
        seconds = time.perf_counter() - start
        blob = path.read_bytes()
    tags = [model.tag_sentences(group) for group in to_tag] if extra is None else []
    return blob, tags, seconds


def scores_of(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Scores:
    scores = score_entities(gold, predicted)
    return {kind: scores[kind].as_dict() for kind in ("ALL", *TYPES) if kind in scores}


def sum_scores(parts: Sequence[Scores]) -> Scores:
    """Pool the entity counts of several folds and recompute P/R/F1 (micro over the folds)."""
    from marsad.ner.conll import Score

    out: Scores = {}
    for kind in ("ALL", *TYPES):
        counts = [sum(int(p[kind][k]) for p in parts if kind in p) for k in ("gold", "predicted", "correct")]
        out[kind] = Score(*counts).as_dict()
    return out


class Runner:
    """Trains first-stage models once per (setting, held-out sentences) and shares them between rows."""

    def __init__(self, data: Tagged, lexicon: NameLexicon, pool: Executor) -> None:
        self.data = data
        self.lexicon = lexicon
        self.pool = pool
        self._jobs: dict[tuple[Setting, tuple[tuple[int, int], ...]], Future[Any]] = {}

    def first_stage(self, setting: Setting, held_out: Sequence[tuple[int, int]]) -> Future[Any]:
        """A model trained on all sentences but the ``held_out`` ranges, tagging each of them."""
        key = (setting.first_stage(), tuple(sorted(held_out)))
        if key not in self._jobs:
            ranges = key[1]
            train = [pair for i, pair in enumerate(self.data) if not any(a <= i < b for a, b in ranges)]
            groups = [[t for t, _ in self.data[a:b]] for a, b in ranges]
            self._jobs[key] = self.pool.submit(train_and_tag, key[0], train, self.lexicon, groups)
        return self._jobs[key]

    def tags_of(
        self, setting: Setting, held_out: Sequence[tuple[int, int]], part: tuple[int, int]
    ) -> list[list[str]]:
        blob_tags = self.first_stage(setting, held_out).result()
        return blob_tags[1][sorted(held_out).index(part)]


def stacked_extra(
    extractor: FeatureExtractor,
    sentences: Sequence[Sequence[str]],
    first: Sequence[Sequence[str]],
    window: int,
) -> list[list[list[str]]]:
    return consistency_features([extractor.stems(t) for t in sentences], first, window)


def fit(
    runner: Runner, setting: Setting, held_out: Sequence[tuple[int, int]], inner: Sequence[tuple[int, int]]
) -> tuple[Future[Any], Future[Any] | None]:
    """Start training a model on all sentences but the ``held_out`` ranges: first stage, second stage.

    A two-stage setting trains its second stage on first-stage tags of each ``inner`` range
    (together they cover the training sentences) from a model that saw neither that range
    nor the held-out ones.
    """
    stage1 = runner.first_stage(setting, held_out)
    if setting.features.consistency <= 0:
        return stage1, None
    for part in inner:
        runner.first_stage(setting, [*held_out, part])
    train: Tagged = []
    first: list[list[str]] = []
    for part in inner:
        a, b = part
        train += runner.data[a:b]
        first += runner.tags_of(setting, [*held_out, part], part)
    extractor = extractor_for(setting, runner.lexicon)
    extra = stacked_extra(extractor, [t for t, _ in train], first, setting.features.consistency)
    return stage1, runner.pool.submit(train_and_tag, setting, train, runner.lexicon, (), extra)


def complement(n: int, held_out: Sequence[tuple[int, int]], folds: int) -> list[tuple[int, int]]:
    """``folds`` contiguous ranges covering the sentences outside ``held_out`` (one held-out range at most)."""
    if not held_out:
        return fold_bounds(n, folds)
    ((a, b),) = held_out
    inside = [i for i in range(n) if not a <= i < b]
    out = []
    for lo, hi in fold_bounds(len(inside), folds):
        # a range of the complement that straddles the held-out part is split in two
        ids = inside[lo:hi]
        start = ids[0]
        for prev, cur in itertools.pairwise(ids):
            if cur != prev + 1:
                out.append((start, prev + 1))
                start = cur
        out.append((start, ids[-1] + 1))
    return out


def evaluate(
    runner: Runner, setting: Setting, held: tuple[int, int], jobs: tuple[Future[Any], Future[Any] | None]
) -> tuple[Scores, Scores | None, float, int]:
    """Scores on the held-out range (and sentence by sentence for two stages), seconds, model bytes."""
    a, b = held
    gold = [g for _, g in runner.data[a:b]]
    sentences = [t for t, _ in runner.data[a:b]]
    stage1_blob, tags, seconds = jobs[0].result()
    if jobs[1] is None:
        return scores_of(gold, tags[0]), None, seconds, len(stage1_blob)
    stage2_blob, _none, seconds2 = jobs[1].result()
    model = NerModel(stage1_blob, extractor=extractor_for(setting, runner.lexicon), stage2_bytes=stage2_blob)
    return (
        scores_of(gold, model.tag_sentences(sentences)),
        scores_of(gold, [model.tag(s) for s in sentences]),
        seconds + seconds2,
        len(stage1_blob) + len(stage2_blob),
    )


def cross_validate(
    runner: Runner, setting: Setting, folds: int, used: int
) -> tuple[list[Scores], list[Scores], float, int]:
    """Per-fold scores on the first ``used`` of ``folds`` folds (for a two-stage setting also
    when each sentence is tagged on its own), mean training seconds and model bytes."""
    bounds = fold_bounds(len(runner.data), folds)
    started = [fit(runner, setting, [bounds[f]], [r for r in bounds if r != bounds[f]]) for f in range(used)]
    per_fold: list[Scores] = []
    single: list[Scores] = []
    seconds = 0.0
    size = 0
    for f, jobs in enumerate(started):
        scores, alone, sec, size = evaluate(runner, setting, bounds[f], jobs)
        per_fold.append(scores)
        if alone is not None:
            single.append(alone)
        seconds += sec
    return per_fold, single, seconds / used, size


def cv_record(
    per_fold: Sequence[Scores], single: Sequence[Scores], folds: int, seconds: float
) -> dict[str, Any]:
    f1s = [p["ALL"]["f1"] for p in per_fold]
    record: dict[str, Any] = {
        "folds": folds,
        "scored_folds": len(per_fold),
        "mean_f1": round(statistics.fmean(f1s), 4),
        "fold_f1": f1s,
        "pooled": sum_scores(per_fold),
        "train_seconds_per_fold": round(seconds, 1),
    }
    if single:
        record["sentence_by_sentence"] = {
            "mean_f1": round(statistics.fmean(p["ALL"]["f1"] for p in single), 4),
            "fold_f1": [p["ALL"]["f1"] for p in single],
        }
    return record


def tagging_speed(
    model_path: Path, sentences: Sequence[Sequence[str]], lexicon: NameLexicon
) -> dict[str, int]:
    """Tokens per second of feature extraction + tagging: a fresh model (cold caches), then again (warm)."""
    model = NerModel.load(model_path, lexicon=lexicon)
    n = sum(len(s) for s in sentences)
    figures = {}
    for label in ("cold", "warm"):  # the lexicon is built beforehand; caches start empty
        start = time.perf_counter()
        model.tag_sentences(sentences)
        figures[f"tokens_per_second_{label}"] = round(n / (time.perf_counter() - start))
    start = time.perf_counter()
    for tokens in sentences:
        model.tag(tokens)
    figures["tokens_per_second_sentence_by_sentence"] = round(n / (time.perf_counter() - start))
    figures["tokens"] = n
    return figures


def print_row(row: dict[str, Any]) -> None:
    cv = row["cross_validation"]
    pooled = cv["pooled"]
    per_type = "  ".join(f"{k} {pooled[k]['f1']:.3f}" for k in TYPES if k in pooled)
    folds = " ".join(f"{f:.3f}" for f in cv["fold_f1"])
    alone = cv.get("sentence_by_sentence")
    extra = f"  (sentence by sentence {alone['mean_f1']:.4f})" if alone else ""
    print(
        f"{row['name']:<32} mean F1 {cv['mean_f1']:.4f} [{folds}]  pooled P {pooled['ALL']['precision']:.3f} "
        f"R {pooled['ALL']['recall']:.3f}  {per_type}  {cv['train_seconds_per_fold']:.0f}s  "
        f"{row['model_bytes'] / 1e6:.1f} MB{extra}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fold-limit", type=int, default=0, help="score only the first N folds (0: all)")
    parser.add_argument("--only", default="", help="comma-separated grid rows to train (others are kept)")
    parser.add_argument("--no-ship", action="store_true", help="update the grid table only")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models")
    parser.add_argument("--jobs", type=int, default=2, help="models trained at once")
    parser.add_argument(
        "--quick", action="store_true", help=f"train only the default configuration ({DEFAULT})"
    )
    args = parser.parse_args()
    corpus = args.shared / CORPUS
    if not corpus.is_file():
        print(f"NER training skipped: {CORPUS} not found under {args.shared} (the shared folder is not here)")
        return 0
    if not 0 < args.dev_fraction < 0.5:
        parser.error("--dev-fraction must be between 0 and 0.5")
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    used = args.fold_limit if 0 < args.fold_limit < args.folds else args.folds
    with corpus.open(encoding="utf-8") as handle:
        data: Tagged = list(read_tagged_conll(handle))
    train, dev = split(data, args.dev_fraction)
    dev_range = (len(train), len(data))
    lexicon = NameLexicon.load()
    print(
        f"ANERcorp: {len(data)} sentences, {tokens_of(data)} tokens; {args.folds} contiguous folds "
        f"({used} scored); dev = last {len(dev)} sentences ({tokens_of(dev)} tokens); "
        f"lexicon from {len(lexicon.sources)} files",
        flush=True,
    )
    settings_path = args.out / SETTINGS_FILE
    previous: dict[str, Any] = {}
    if settings_path.is_file():
        previous = json.loads(settings_path.read_text(encoding="utf-8"))
    kept = {row["name"]: row for row in previous.get("experiments", [])}
    names = {n.strip() for n in args.only.split(",") if n.strip()}
    if args.quick:
        names = {DEFAULT}
    unknown = names - {s.name for s in GRID}
    if unknown:
        parser.error(f"unknown grid rows: {', '.join(sorted(unknown))}")
    grid = [s for s in GRID if not names or s.name in names]

    rows: dict[str, dict[str, Any]] = {}
    fold_scores: dict[str, list[Scores]] = {}
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runner = Runner(data, lexicon, pool)
        for setting in grid:  # start everything first, so that the pool stays busy
            bounds = fold_bounds(len(data), args.folds)
            for f in range(used):
                fit(runner, setting, [bounds[f]], [r for r in bounds if r != bounds[f]])
        for setting in grid:
            per_fold, single, seconds, size = cross_validate(runner, setting, args.folds, used)
            row = {
                **setting.describe(),
                **{k: v for k, v in kept.get(setting.name, {}).items() if k == "dev"},
            }
            row["cross_validation"] = cv_record(per_fold, single, args.folds, seconds)
            row["model_bytes"] = size
            rows[setting.name] = row
            fold_scores[setting.name] = per_fold
            print_row(row)
        table = [rows.get(s.name) or kept[s.name] for s in GRID if s.name in rows or s.name in kept]
        complete = [r for r in table if r.get("cross_validation", {}).get("scored_folds") == args.folds]
        if not complete:
            print("no row has a full cross-validation; nothing chosen")
            return 0
        best_row = max(complete, key=lambda r: (r["cross_validation"]["mean_f1"], r["name"] == DEFAULT))
        best = next(s for s in GRID if s.name == best_row["name"])
        print(
            f"best by cross-validation: {best.name} (mean F1 {best_row['cross_validation']['mean_f1']:.4f})"
        )
        if args.no_ship:
            previous["experiments"] = table
            settings_path.write_text(
                json.dumps(previous, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            print(f"updated the table in {settings_path.name}")
            return 0

        bounds = fold_bounds(len(data), args.folds)
        final_jobs = fit(runner, best, [], bounds)
        dev_jobs = fit(runner, best, [dev_range], complement(len(data), [dev_range], args.folds))
        dev_scores, dev_single, _sec, _size = evaluate(runner, best, dev_range, dev_jobs)
        best_row["dev"] = dev_scores
        if dev_single is not None:
            best_row["dev_sentence_by_sentence"] = dev_single
        stage1_blob, _tags, seconds = final_jobs[0].result()
        stage2_blob = None
        if final_jobs[1] is not None:
            stage2_blob, _none, seconds2 = final_jobs[1].result()
            seconds += seconds2
        per_fold = fold_scores.get(best.name) if used == args.folds else None

    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / MODEL_FILE
    model_path.write_bytes(stage1_blob)
    second_path = stage2_path(model_path)
    if stage2_blob is not None:
        second_path.write_bytes(stage2_blob)
    elif second_path.exists():
        second_path.unlink()
    model_bytes = len(stage1_blob) + (len(stage2_blob) if stage2_blob else 0)
    cross_validation = dict(best_row["cross_validation"])
    cross_validation["split"] = f"{args.folds} contiguous folds of the sentences, in corpus order"
    cross_validation["setting"] = best.name
    if per_fold is not None:
        cross_validation["per_fold"] = [
            {"sentences": b - a, "tokens": tokens_of(data[a:b]), "scores": p}
            for (a, b), p in zip(fold_bounds(len(data), args.folds), per_fold, strict=True)
        ]
    settings = {
        "model": MODEL_FILE,
        "description": "CRF named-entity tagger for Arabic (BIO over PERS, LOC, ORG, MISC)",
        "features": best.features.to_dict(),
        "trainer": {"algorithm": best.algorithm, "params": best.params(), "forget_rare": best.forget_rare},
        "setting": best.name,
        "lexicon_sources": lexicon.sources,
        "data": {
            "corpus": "ANERcorp (Benajiba et al. 2007), train part of the CAMeL Lab split (Obeid et al. 2020)",
            "sentences": len(data),
            "tokens": tokens_of(data),
            "dev_split": f"last {args.dev_fraction:.0%} of the sentences, contiguous",
            "train_sentences": len(train),
            "train_tokens": tokens_of(train),
            "dev_sentences": len(dev),
            "dev_tokens": tokens_of(dev),
            "dev_entities": entity_counts(dev),
        },
        "scoring": "exact-span entity matching, micro-averaged (conlleval)",
        "selection": "the grid row with the best mean F1 over the cross-validation folds",
        "cross_validation": cross_validation,
        "dev_scores": best_row["dev"],
        "experiments": table,
        "final": {
            "trained_on": "all",
            "sentences": len(data),
            "tokens": tokens_of(data),
            "train_seconds": round(seconds, 1),
            "model_bytes": model_bytes,
        },
        "python_crfsuite": version("python-crfsuite"),
    }
    if stage2_blob is not None:
        settings["stage2_model"] = second_path.name
        settings["dev_scores_sentence_by_sentence"] = best_row.get("dev_sentence_by_sentence")
    settings_path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # measured on the files as written (the loader reads the configuration from the settings file)
    speed = tagging_speed(model_path, [t for t, _ in dev], lexicon)
    settings["final"]["speed_on_dev_tokens"] = speed
    settings_path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"dev F1 {best_row['dev']['ALL']['f1']:.4f}; wrote {model_path.name} ({model_bytes / 1e6:.1f} MB in all) "
        f"and {settings_path.name}; tagging {speed['tokens_per_second_cold']} tokens/s cold, "
        f"{speed['tokens_per_second_warm']} warm"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
