"""Train the packaged CRF named-entity model on ANERcorp and record how well it does.

Usage: python scripts/train_ner.py [--shared ../shared] [--dev-fraction 0.1]
                                   [--out src/marsad/data/models] [--jobs 2] [--quick]

ANERcorp (the train part of the CAMeL Lab split) lives in the shared folder beside the
repository, which a user's clone does not have; without it the script says so and
exits 0. The corpus is third-party research data: only the trained weights ship.

Steps:
1. Split the sentences: the last ``--dev-fraction`` of them (contiguous, so articles do
   not leak across the split) is the dev set; the rest is the training part.
2. Train every configuration of the grid below on the training part and score it on
   dev: exact-span entity precision/recall/F1, micro-averaged, overall and per type.
   ``--quick`` trains only the configuration marked as the default.
3. Learning curve of the best configuration: train it again on the training part less
   its last dev-sized slice and score on the same dev set. If the larger training set
   scores at least as well, more data helps, and the shipped model is retrained on all
   of the corpus; otherwise the model scored on dev ships as it is.
4. Write ``ner_crf.crfsuite`` and ``ner_crf.json`` (settings, data sizes, dev scores,
   the grid table, the learning curve, model size and tagging speed) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.ner.conll import bio_spans, read_tagged_conll, score_entities  # noqa: E402
from marsad.ner.features import FeatureConfig, FeatureExtractor, NameLexicon  # noqa: E402
from marsad.ner.model import MODEL_FILE, SETTINGS_FILE, NerModel, train_crf  # noqa: E402

CORPUS = Path("data") / "anercorp" / "train.conll"
TYPES = ("PERS", "LOC", "ORG", "MISC")
BASE_PARAMS: dict[str, Any] = {"max_iterations": 300, "feature.possible_transitions": True}
Tagged = list[tuple[list[str], list[str]]]


@dataclass(frozen=True)
class Setting:
    """One row of the grid: features, CRFsuite parameters and identity dropout."""

    name: str
    features: FeatureConfig = field(default_factory=FeatureConfig)
    c1: float = 0.1
    c2: float = 0.01
    forget_rare: int = 1
    transitions: bool = True

    def params(self) -> dict[str, Any]:
        return {**BASE_PARAMS, "c1": self.c1, "c2": self.c2, "feature.possible_transitions": self.transitions}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "features": self.features.to_dict(),
            "params": self.params(),
            "forget_rare": self.forget_rare,
        }


DEFAULT = "lexicon"
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
)


def split(data: Tagged, fraction: float) -> tuple[Tagged, Tagged]:
    n_dev = max(1, round(len(data) * fraction))
    return data[:-n_dev], data[-n_dev:]


def tokens_of(part: Tagged) -> int:
    return sum(len(tokens) for tokens, _ in part)


def entity_counts(part: Tagged) -> dict[str, int]:
    counts = dict.fromkeys(TYPES, 0)
    for _, tags in part:
        for _start, _end, kind in bio_spans(tags):
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def fit(setting: Setting, train: Tagged, lexicon: NameLexicon, model_path: Path) -> tuple[NerModel, float]:
    extractor = FeatureExtractor(setting.features, lexicon if setting.features.lexicon else NameLexicon())
    start = time.perf_counter()
    model = train_crf(
        [t for t, _ in train],
        [g for _, g in train],
        extractor,
        model_path,
        setting.params(),
        forget_rare=setting.forget_rare,
    )
    return model, time.perf_counter() - start


def evaluate(model: NerModel, dev: Tagged) -> dict[str, dict[str, float | int]]:
    predicted = model.tag_sentences([t for t, _ in dev])
    scores = score_entities([g for _, g in dev], predicted)
    return {kind: scores[kind].as_dict() for kind in ("ALL", *TYPES) if kind in scores}


def run_setting(setting: Setting, train: Tagged, dev: Tagged, lexicon: NameLexicon) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MODEL_FILE
        model, seconds = fit(setting, train, lexicon, path)
        size = path.stat().st_size
    return {
        **setting.describe(),
        "dev": evaluate(model, dev),
        "train_seconds": round(seconds, 1),
        "model_bytes": size,
    }


def tagging_speed(
    model_path: Path, sentences: Sequence[Sequence[str]], lexicon: NameLexicon
) -> dict[str, int]:
    """Tokens per second of feature extraction + tagging: a fresh model (cold caches), then again (warm)."""
    model = NerModel.load(model_path, lexicon=lexicon)
    n = sum(len(s) for s in sentences)
    figures = {}
    for label in ("cold", "warm"):
        start = time.perf_counter()
        model.tag_sentences(sentences)
        figures[f"tokens_per_second_{label}"] = round(n / (time.perf_counter() - start))
    figures["tokens"] = n
    return figures


def print_row(row: dict[str, Any]) -> None:
    dev = row["dev"]
    per_type = "  ".join(f"{k} {dev[k]['f1']:.3f}" for k in TYPES if k in dev)
    print(
        f"{row['name']:<30} P {dev['ALL']['precision']:.3f}  R {dev['ALL']['recall']:.3f}  "
        f"F1 {dev['ALL']['f1']:.3f}   {per_type}   {row['train_seconds']:.0f}s  {row['model_bytes'] / 1e6:.1f} MB",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models")
    parser.add_argument("--jobs", type=int, default=2, help="grid configurations trained at once")
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
    with corpus.open(encoding="utf-8") as handle:
        data: Tagged = list(read_tagged_conll(handle))
    train, dev = split(data, args.dev_fraction)
    lexicon = NameLexicon.load()
    print(
        f"ANERcorp: {len(data)} sentences, {tokens_of(data)} tokens; training part {len(train)} sentences, "
        f"dev {len(dev)} sentences ({tokens_of(dev)} tokens); lexicon from {len(lexicon.sources)} files",
        flush=True,
    )
    grid = [s for s in GRID if s.name == DEFAULT] if args.quick else list(GRID)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_setting, s, train, dev, lexicon) for s in grid]
        rows = []
        for future in futures:
            rows.append(future.result())
            print_row(rows[-1])
    best_row = max(rows, key=lambda r: (r["dev"]["ALL"]["f1"], r["name"] == DEFAULT))
    best = next(s for s in grid if s.name == best_row["name"])
    print(f"best on dev: {best.name} (F1 {best_row['dev']['ALL']['f1']:.4f})", flush=True)

    smaller, _ = split(train, len(dev) / len(train))
    curve_row = run_setting(best, smaller, dev, lexicon)
    more_data_helps = best_row["dev"]["ALL"]["f1"] >= curve_row["dev"]["ALL"]["f1"]
    final_data = train + dev if more_data_helps else train
    print(
        f"learning curve: {len(smaller)} sentences F1 {curve_row['dev']['ALL']['f1']:.4f}, "
        f"{len(train)} sentences F1 {best_row['dev']['ALL']['f1']:.4f} -> final model trained on "
        f"{'all' if more_data_helps else 'the training part'} ({len(final_data)} sentences)",
        flush=True,
    )

    args.out.mkdir(parents=True, exist_ok=True)
    model_path = args.out / MODEL_FILE
    _, seconds = fit(best, final_data, lexicon, model_path)
    speed = tagging_speed(model_path, [t for t, _ in dev], lexicon)
    settings = {
        "model": MODEL_FILE,
        "description": "CRF named-entity tagger for Arabic (BIO over PERS, LOC, ORG, MISC)",
        "features": best.features.to_dict(),
        "trainer": {"algorithm": "lbfgs", "params": best.params(), "forget_rare": best.forget_rare},
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
        "dev_scores": best_row["dev"],
        "experiments": rows,
        "learning_curve": [
            {"train_sentences": len(smaller), "dev": curve_row["dev"]["ALL"]},
            {"train_sentences": len(train), "dev": best_row["dev"]["ALL"]},
        ],
        "final": {
            "trained_on": "all" if more_data_helps else "train",
            "sentences": len(final_data),
            "tokens": tokens_of(final_data),
            "train_seconds": round(seconds, 1),
            "model_bytes": model_path.stat().st_size,
            "speed_on_dev_tokens": speed,
        },
        "python_crfsuite": version("python-crfsuite"),
    }
    settings_path = args.out / SETTINGS_FILE
    settings_path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {model_path.name} ({settings['final']['model_bytes'] / 1e6:.1f} MB) and {settings_path.name}; "
        f"tagging {speed['tokens_per_second_cold']} tokens/s cold, {speed['tokens_per_second_warm']} warm"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
