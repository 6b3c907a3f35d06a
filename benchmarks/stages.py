"""Time per pipeline stage over SaudiNewsNet: seconds, tokens/s, articles/s and the ratio to
the tokenize-only floor for each stage, and peak RSS after 10,000 articles and at the end.

Usage: python benchmarks/stages.py [--shared ../shared] [--limit N] [--json PATH] [--digest]

Articles run through the default pipeline as :meth:`Pipeline.stream` runs them: groups of
``GROUP_SIZE`` documents, one stage at a time, the garbage collector paused; each stage's calls are timed on their own, so the table shows where the time goes. ``tokens`` are those of the
cleaned text (the tokenize stage's output), the unit every stage's rate is given in. Rows
marked "+" add up several stages (e.g. dates + claims, which issue targets name together).
The floor is the tokenize stage alone (cleaned text in, tokens out): ``× floor`` says how
many times its time a stage, or the whole pipeline, takes.
``--digest`` also hashes every document's output record, tokens and sentences (outside the
timed calls), so two versions of the code can be checked for the same output.
SaudiNewsNet sits in the shared folder beside the repository, which a user's clone does
not have; without it the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from saudinewsnet import zips_or_skip

from marsad.arabic.phrases import forget_documents
from marsad.pipeline import GROUP_SIZE, Pipeline, batched, gc_paused, make_document, run_stage

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {
    "dates + claims": ("dates", "claims"),
    "entities + roles": ("entities", "roles"),
    "entities + roles + names": ("entities", "roles", "names"),
}


def records(files: list[Path], limit: int) -> Iterator[dict[str, Any]]:
    """The SaudiNewsNet records with some content, at most ``limit`` (0: all)."""
    n = 0
    for path in files:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                for record in json.loads(z.read(name)):
                    if limit and n >= limit:
                        return
                    if (record.get("content") or "").strip():
                        n += 1
                        yield record


def articles(files: list[Path], limit: int) -> Iterator[str]:
    """The content of :func:`records`."""
    return (record["content"] for record in records(files, limit))


def run(files: list[Path], limit: int, digest: bool = False) -> dict[str, object]:
    pipeline = Pipeline.default()
    outputs = hashlib.sha256()
    seconds = dict.fromkeys(pipeline.names, 0.0)
    docs = tokens = chars = 0
    early: float | None = None
    clock = time.perf_counter
    for group in batched(map(make_document, articles(files, limit)), GROUP_SIZE):
        with gc_paused():  # as Pipeline.stream runs a group, until it is handled
            for stage in pipeline.stages:
                t = clock()
                group = run_stage(stage, group)
                seconds[stage.name] += clock() - t
            forget_documents()  # as Pipeline.process_many does after a group
            if digest:
                for doc in group:
                    record = json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True)
                    outputs.update(f"{record}\n{doc.tokens!r}\n{doc.sentences!r}\n".encode())
            docs += len(group)
            tokens += sum(len(doc.tokens) for doc in group)
            chars += sum(len(doc.text) for doc in group)
            del group
        if early is None and docs >= 10_000:
            early = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": docs,
        "tokens": tokens,
        "chars": chars,
        "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_mb_10k": early,
        "digest": outputs.hexdigest() if digest else None,
        # Marsad modules loaded from compiled extensions (see benchmarks/compiled.py)
        "compiled_modules": sorted(
            name for name, module in sys.modules.items()
            if name.startswith("marsad") and str(getattr(module, "__file__", "")).endswith((".so", ".pyd"))
        ),
    }  # fmt: skip


def table(result: dict[str, object]) -> str:
    seconds: dict[str, float] = result["seconds"]  # type: ignore[assignment]
    tokens = int(result["tokens"])  # type: ignore[call-overload]
    docs = int(result["articles"])  # type: ignore[call-overload]
    total = sum(seconds.values())
    rows = [(name, s) for name, s in seconds.items()]
    rows += [
        (group, sum(seconds[n] for n in names))
        for group, names in GROUPS.items()
        if set(names) <= set(seconds)
    ]
    rows.append(("all stages", total))
    floor = seconds.get("tokenize") or float("nan")
    lines = [
        "| stage | seconds | tokens/s | articles/s | share | × floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        rate = tokens / s if s else float("inf")
        lines.append(f"| {name} | {s:.2f} | {rate:,.0f} | {docs / s if s else 0:,.0f} | {s / total:.0%} "
                     f"| {s / floor:.1f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="stop after N articles (0: all)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--digest", action="store_true", help="hash the output of every document")
    args = parser.parse_args()
    files = zips_or_skip(args.shared)
    if not files:
        return 0
    result = run(files, args.limit, args.digest)
    print(f"{platform.machine()}, Python {platform.python_version()}, one process")
    early = result["peak_rss_mb_10k"]
    print(f"{result['articles']} articles, {result['tokens']:,} tokens, peak RSS {result['peak_rss_mb']:.0f} MB"
          + (f" ({early:.0f} MB after 10,000 articles)" if early else ""))  # fmt: skip
    if result["digest"]:
        print(f"output digest {result['digest']}")
    print()
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
