"""Candidate document pairs for labelling story thresholds, drawn from SaudiNewsNet.

Usage:
    python benchmarks/story_pairs.py [--shared ../shared] [--first 2015-08-01] [--last 2015-08-07]
                                     [--out build/story_pairs.candidates.tsv] [--seed 13]
    python benchmarks/story_pairs.py --show build/story_pairs.candidates.tsv [--start 0] [--count 20]
                                     [--chars 500] [--blind]

The articles of the SaudiNewsNet zips from ``--first`` to ``--last`` (days of collection,
contiguous, so that several reports of one story are among them) run through the default
pipeline, each published on the day it was collected. For every pair of documents the
story rule (``benchmarks/story_thresholds.py``) looks at four features:

* ``jaccard``: the Jaccard similarity of the documents' word 4-gram shingles of token stems,
  built as :class:`marsad.corpus.stories.StoryBuilder` builds them (exact here, where the
  builder estimates it by MinHash);
* ``happening``: whether a happening of each (:func:`marsad.corpus.stories.signatures`: events
  in the lead, as many sentences as the builder's default settings read, places put in
  countries by the bundled KB) has the same type and actor countries, the same place and
  dates within the window, as the builder matches them;
* ``cos``: the cosine of the documents' lead embeddings (:class:`marsad.corpus.similarity.LeadEmbedder`
  of :func:`marsad.corpus.similarity.lead` of the document's title and text);
* ``gap``: how many days apart the documents were collected.

Pairs are drawn, with a fixed seed, from strata that cover the rule's decision space
(see :data:`QUOTAS`): Jaccard bands found by MinHash LSH at a low threshold, pairs matching
on a happening with low, middling and high cosine, pairs within two days with a high cosine
but no happening match and low Jaccard, and random same-day pairs of moderate cosine. The
candidates file (ignored by git) names each article by its zip file and its ``url`` (or its
index in the zip when it has none) and holds the features and the stratum, in a shuffled
order (so that a reader does not meet the strata one after another); no article text.

``--show`` prints candidate pairs with each article's title and opening for reading by hand;
nothing of it is written anywhere. Skips with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import textwrap
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]
from saudinewsnet import zips, zips_or_skip

from marsad.corpus.happenings import Signature, near, signatures
from marsad.corpus.similarity import LeadEmbedder, lead
from marsad.corpus.stories import StorySettings
from marsad.kb.base import KnowledgeBase
from marsad.model import Document
from marsad.pipeline import Pipeline, make_document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "build" / "story_pairs.candidates.tsv"
#: How many texts are embedded at a time.
BATCH = 256
#: The widest story window swept; happening matches are looked for within it.
MAX_WINDOW = 3
#: The builder's defaults: shingle length, MinHash permutations, lead sentences.
SETTINGS = StorySettings()

#: Stratum name -> how many pairs to draw from it (about 300 in all).
QUOTAS: dict[str, int] = {
    "jaccard 0.2-0.5": 40,
    "jaccard 0.5-0.8": 35,
    "jaccard >=0.8": 30,
    "happening, cos <0.3": 25,
    "happening, cos 0.3-0.5": 25,
    "happening, cos >=0.5": 25,
    "no happening, cos 0.6-0.7": 20,
    "no happening, cos 0.7-0.8": 20,
    "no happening, cos 0.8-0.9": 20,
    "no happening, cos >=0.9": 20,
    "same day, cos 0.3-0.6": 40,
}

Key = tuple[str, str]  # (zip file name, article id)


@dataclass(frozen=True, slots=True)
class Article:
    """One SaudiNewsNet article: where it is, its record, and what the story rule reads of it."""

    file: str
    id: str
    record: dict[str, Any]
    day: dt.date | None
    shingles: frozenset[str]
    signatures: tuple[Signature, ...]
    lead: str

    @property
    def key(self) -> Key:
        return self.file, self.id


def article_id(record: Mapping[str, Any], index: int) -> str:
    """An article's id within its zip: its URL, or its index in the zip when it has none."""
    return str(record.get("url") or index)


def day(record: Mapping[str, Any]) -> dt.date | None:
    """The day an article was collected: its publication day, near enough."""
    text = (record.get("date_extracted") or "")[:10]
    return dt.date.fromisoformat(text) if text else None


def read(files: Iterable[Path], wanted: set[Key] | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(zip name, article id, record) of every article with some content (of ``wanted`` only,
    when given)."""
    for path in files:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for index, record in enumerate(json.loads(z.read(name))):
                    key = (path.name, article_id(record, index))
                    if wanted is not None and key not in wanted:
                        continue
                    if (record.get("content") or "").strip():
                        yield key[0], key[1], record


def countries() -> dict[str, str]:
    """The country of each place id of the bundled KB, as the corpus gives it to stories."""
    kb = KnowledgeBase.load()
    return {e.id: e.country for e in kb.entities.values() if e.country}


def shingles(doc: Document, n: int = SETTINGS.shingle) -> frozenset[str]:
    """Word ``n``-gram shingles of the document's stems, as :class:`StoryBuilder` hashes them."""
    words = [t.stem for t in doc.tokens if t.is_word]
    return frozenset(" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1)))


def process(items: Iterable[tuple[str, str, dict[str, Any]]]) -> list[Article]:
    """Run the articles through the default pipeline; what the story rule reads of each."""
    pipeline = Pipeline.default()
    places = countries()
    items = list(items)
    docs = (
        make_document(record["content"], doc_id=f"{file}#{i}", published=day(record))
        for i, (file, _, record) in enumerate(items)
    )
    out: list[Article] = []
    for (file, ident, record), doc in zip(items, pipeline.stream(docs), strict=True):
        out.append(
            Article(
                file,
                ident,
                record,
                day(record),
                shingles(doc),
                tuple(signatures(doc, places, SETTINGS.lead_sentences)),
                lead(doc.title, doc.text),
            )
        )
    return out


def embed(articles: Sequence[Article]) -> npt.NDArray[np.float32]:
    """The lead embedding of each article, one L2-normalised row each."""
    embedder = LeadEmbedder()
    leads = [a.lead for a in articles]
    rows = [embedder.encode(leads[i : i + BATCH]) for i in range(0, len(leads), BATCH)]
    return np.concatenate(rows) if rows else np.zeros((0, 512), dtype=np.float32)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a or b else 0.0


def happening_match(a: Sequence[Signature], b: Sequence[Signature], window_days: int) -> bool:
    """Whether some happening of ``a`` is one of ``b``, as :meth:`StoryBuilder._matches` decides."""
    window = dt.timedelta(days=window_days)
    return any(s.key() == t.key() and near(s.days, t.days, window) and s.same_place(t) for s in a for t in b)


def gap(a: Article, b: Article) -> int | None:
    """How many days apart two articles were collected (None when a day is unknown)."""
    return abs((a.day - b.day).days) if a.day and b.day else None


# --- drawing candidates ------------------------------------------------------------------


def near_pairs(articles: Sequence[Article], threshold: float = 0.2) -> set[tuple[int, int]]:
    """Pairs of articles whose shingles may overlap by ``threshold`` or more (MinHash LSH)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=SETTINGS.num_perm)
    out: set[tuple[int, int]] = set()
    for i, article in enumerate(articles):
        minhash = MinHash(num_perm=SETTINGS.num_perm)
        minhash.update_batch([s.encode("utf-8") for s in article.shingles])
        out.update((int(j), i) for j in lsh.query(minhash))
        lsh.insert(i, minhash)
    return out


def happening_pairs(articles: Sequence[Article], window_days: int = MAX_WINDOW) -> set[tuple[int, int]]:
    """Pairs of articles that match on a happening within ``window_days``."""
    by_key: dict[tuple[str, frozenset[str]], set[int]] = defaultdict(set)
    for i, article in enumerate(articles):
        for sig in article.signatures:
            by_key[sig.key()].add(i)
    out: set[tuple[int, int]] = set()
    for members in by_key.values():
        ordered = sorted(members)
        for n, i in enumerate(ordered):
            for j in ordered[n + 1 :]:
                if (i, j) not in out and happening_match(
                    articles[i].signatures, articles[j].signatures, window_days
                ):
                    out.add((i, j))
    return out


def close_pairs(
    articles: Sequence[Article], vectors: npt.NDArray[np.float32], low: float, days: int
) -> dict[tuple[int, int], float]:
    """Pairs of articles collected at most ``days`` apart whose cosine is at least ``low``."""
    ordinals = np.array([a.day.toordinal() if a.day else -(10**6) for a in articles])
    out: dict[tuple[int, int], float] = {}
    for start in range(0, len(articles), 1024):
        block = vectors[start : start + 1024] @ vectors.T
        rows, cols = np.nonzero(block >= low)
        for r, j in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if j > i and abs(ordinals[i] - ordinals[j]) <= days:
                out[i, j] = float(block[r, j])
    return out


def _band(cos: float, edges: Sequence[float]) -> str:
    """The name of the cosine band ``cos`` falls in, between ``edges``."""
    inside = [e for e in edges if e <= cos]
    if len(inside) == len(edges):
        return f">={edges[-1]:g}"
    low = inside[-1] if inside else None
    high = edges[len(inside)]
    return f"{low:g}-{high:g}" if low is not None else f"<{high:g}"


def stratum(j: float, happening: bool, cos: float, days: int | None) -> str | None:
    """The stratum of a pair by its features (None: none of interest); the first that fits."""
    if j >= 0.8:
        return "jaccard >=0.8"
    if j >= 0.5:
        return "jaccard 0.5-0.8"
    if happening:
        return f"happening, cos {_band(cos, (0.3, 0.5))}"
    if j >= 0.2:
        return "jaccard 0.2-0.5"
    if days is not None and days <= 2 and cos >= 0.6:
        return f"no happening, cos {_band(cos, (0.6, 0.7, 0.8, 0.9))}"
    if days == 0 and 0.3 <= cos < 0.6:
        return "same day, cos 0.3-0.6"
    return None


def draw(articles: Sequence[Article], vectors: npt.NDArray[np.float32], seed: int) -> list[dict[str, Any]]:
    """About ``sum(QUOTAS.values())`` candidate pairs with their features, stratified."""
    rng = random.Random(seed)
    t = time.perf_counter()
    pairs: set[tuple[int, int]] = near_pairs(articles) | happening_pairs(articles)
    close = close_pairs(articles, vectors, 0.6, 2)
    pairs |= set(close)
    same_day: dict[int, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        same_day[article.day.toordinal() if article.day else 0].append(i)
    collection_days = sorted(same_day)
    for _ in range(200_000):  # random same-day pairs: most have a low cosine, few are kept
        members = same_day[rng.choice(collection_days)]
        i, j = sorted(rng.sample(members, 2))
        cos = float(vectors[i] @ vectors[j])
        if 0.3 <= cos < 0.6:
            pairs.add((i, j))
    print(f"{len(pairs):,} pairs of interest found in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    by_stratum: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i, j in sorted(pairs):
        a, b = articles[i], articles[j]
        if not a.lead.strip() or not b.lead.strip():
            continue
        jac, cos, days = jaccard(a.shingles, b.shingles), float(vectors[i] @ vectors[j]), gap(a, b)
        happening = {w: happening_match(a.signatures, b.signatures, w) for w in range(1, MAX_WINDOW + 1)}
        name = stratum(jac, happening[MAX_WINDOW], cos, days)
        if name is not None:
            row = {
                "file_a": a.file,
                "id_a": a.id,
                "file_b": b.file,
                "id_b": b.id,
                "jaccard": jac,
                "cos": cos,
                "gap": days,
                **{f"happening_{w}": h for w, h in happening.items()},
            }
            by_stratum[name].append({"stratum": name, **row})
    out: list[dict[str, Any]] = []
    for name, quota in QUOTAS.items():
        found = by_stratum.get(name, [])
        print(f"  {name}: {len(found):,} pairs, {min(quota, len(found))} drawn", file=sys.stderr)
        out.extend(rng.sample(found, min(quota, len(found))))
    rng.shuffle(out)  # read in this order, a pair's stratum does not show in its neighbours
    return out


FIELDS = (
    "stratum",
    "file_a",
    "id_a",
    "file_b",
    "id_b",
    "jaccard",
    "cos",
    "gap",
    "happening_1",
    "happening_2",
    "happening_3",
)


def write(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n")
        out.writeheader()
        for row in rows:
            out.writerow({k: f"{v:.3f}" if isinstance(v, float) else v for k, v in row.items()})


def show(path: Path, shared: Path, start: int, count: int, chars: int, blind: bool) -> None:
    """Print candidate pairs ``start`` to ``start + count`` with each article's title and opening
    (``blind``: without their stratum and features, so that they do not sway the reader)."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))[start : start + count]
    wanted = {(r["file_a"], r["id_a"]) for r in rows} | {(r["file_b"], r["id_b"]) for r in rows}
    names = {k[0] for k in wanted}
    found = {(f, i): rec for f, i, rec in read([p for p in zips(shared) if p.name in names], wanted)}
    for n, row in enumerate(rows, start):
        if blind:
            print(f"=== {n}")
        else:
            print(
                f"=== {n} [{row['stratum']}] jaccard {row['jaccard']} cos {row['cos']} gap {row['gap']} "
                f"happening {row['happening_1']}/{row['happening_2']}/{row['happening_3']}"
            )
        for side in "ab":
            record = found[row[f"file_{side}"], row[f"id_{side}"]]
            body = " ".join(record["content"].split())[:chars]
            print(f"  {side.upper()} {record['source']} {record['date_extracted'][:10]}: {record['title']}")
            print(textwrap.indent(textwrap.fill(body, 160), "     "))
        print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--first", default="2015-08-01", help="first day of collection (zip name)")
    parser.add_argument("--last", default="2015-08-07", help="last day of collection (zip name)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the candidates go")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--show", type=Path, help="print the pairs of this candidates file instead")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--chars", type=int, default=500, help="characters of each article shown")
    parser.add_argument("--blind", action="store_true", help="hide each pair's stratum and features")
    args = parser.parse_args()
    every = zips_or_skip(args.shared)
    if not every:
        return 0
    files = [p for p in every if args.first <= p.stem <= args.last]
    if args.show:
        show(args.show, args.shared, args.start, args.count, args.chars, args.blind)
        return 0
    t = time.perf_counter()
    articles = process(read(files))
    print(
        f"{len(articles):,} articles from {len(files)} zips processed in {time.perf_counter() - t:.0f} s",
        file=sys.stderr,
    )
    t = time.perf_counter()
    vectors = embed(articles)
    print(f"embedded in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    rows = draw(articles, vectors, args.seed)
    write(rows, args.out)
    print(f"{len(rows)} candidate pairs written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
