"""The batch commands: marsad batch, then marsad ingest-parquet and the query commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_articles import write_articles

from marsad.batch import run_batch
from marsad.errors import BatchError, Code

pytest.importorskip("dask.distributed")
pytest.importorskip("pyarrow")

Cli = Callable[..., tuple[int, str, str]]


def test_batch_then_ingest_parquet_then_queries(tmp_path: Path, cli: Cli) -> None:
    inputs = write_articles(tmp_path / "in", count=24)
    out, db = tmp_path / "out", tmp_path / "news.db"
    code, stdout, stderr = cli("batch", *inputs, "--out", str(out), "--workers", "2", "--no-dashboard",
                               "--files-per-partition", "2")  # fmt: skip
    assert code == 0, stderr
    assert stdout.startswith("8 partitions (0 already done): 24 documents in")  # 4 feeds, 8 files by 2
    code, stdout, stderr = cli(
        "batch", *inputs, "--out", str(out), "--no-dashboard", "--files-per-partition", "2"
    )
    assert code == 0 and stdout.startswith("8 partitions (8 already done): 24 documents in")
    code, stdout, stderr = cli("ingest-parquet", str(out), "--db", str(db))
    assert code == 0, stderr
    loaded = stdout.split("\n")[0]  # "24 documents: N new, M duplicates, 0 already stored ..."
    new, duplicates = int(loaded.split()[2]), int(loaded.split()[4])
    assert loaded.startswith("24 documents:") and new + duplicates == 24 and "stories" in stdout
    code, stdout, _ = cli("stats", "--db", str(db), "--format", "json")
    assert json.loads(stdout)["documents"] == new
    code, stdout, _ = cli("stories", "--db", str(db), "--format", "json")
    assert code == 0 and json.loads(stdout)


def test_batch_with_other_inputs_in_the_same_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    first = write_articles(tmp_path / "a", count=10)
    other = write_articles(tmp_path / "b", count=10, seed=3)
    out = tmp_path / "out"
    assert cli("batch", *first, "--out", str(out), "--no-dashboard")[0] == 0
    code, _, stderr = cli("batch", *other, "--out", str(out), "--no-dashboard")
    assert code == 2 and "MRS081" in stderr and "holds a batch of other inputs" in stderr


def test_ingest_parquet_of_a_folder_that_is_no_batch(tmp_path: Path, cli: Cli) -> None:
    code, _, stderr = cli("ingest-parquet", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert code == 2 and "MRS082" in stderr


def test_without_dask_the_batch_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if it were not installed
    inputs = write_articles(tmp_path / "in", count=5)
    with pytest.raises(BatchError) as caught:
        run_batch(inputs, tmp_path / "out", dashboard=False)
    assert caught.value.code is Code.NO_DASK and "marsad[batch]" in str(caught.value)


def test_batch_on_a_running_scheduler(tmp_path: Path, cli: Cli) -> None:
    from dask.distributed import LocalCluster

    inputs = write_articles(tmp_path / "in", count=12)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        code, stdout, stderr = cli("batch", *inputs, "--out", str(tmp_path / "out"), "--no-dashboard",
                                   "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert code == 0, stderr
    assert "12 documents in" in stdout and (tmp_path / "out" / "stories" / "stories.parquet").exists()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_killed_batch_resumes_to_the_same_result(tmp_path: Path) -> None:
    inputs = write_articles(tmp_path / "in", count=120)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "marsad.cli", "batch", *inputs, "--out", str(out), "--workers", "1",
               "--files-per-partition", "4", "--no-dashboard"]  # fmt: skip
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None and not list(out.glob("_partitions/*.json")):
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)  # the command, its scheduler and its worker, at once
    child.wait()
    finished = len(list(out.glob("_partitions/*.json")))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"({finished} already done)" in done.stdout and 0 < finished < 10  # 4 feeds, 24 files by 4
    whole = run_batch(inputs, tmp_path / "whole", workers=1, files_per_partition=4, dashboard=False)
    assert f"{whole.documents} documents in {whole.stories} stories" in done.stdout
    for table in ("events", "claims", "doc_stories"):
        assert tables(out, table) == tables(tmp_path / "whole", table), table


def tables(folder: Path, table: str) -> list[dict[str, object]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, object]] = []
    for path in sorted((folder / table).glob("month=*/*.parquet")):
        rows += pq.read_table(str(path)).to_pylist()
    return sorted(rows, key=lambda r: (str(r["doc_id"]), str(r.get("index"))))


def test_adding_an_archive_runs_only_its_partition(tmp_path: Path) -> None:
    inputs = [p for p in write_articles(tmp_path / "in", count=60) if p.endswith(".jsonl")]
    out = tmp_path / "out"
    first = run_batch(inputs[:3], out, workers=1, dashboard=False)
    second = run_batch(inputs, out, workers=1, dashboard=False)  # a fourth feed came in
    assert (first.partitions, second.partitions, second.skipped) == (3, 4, 3)
    assert second.documents == first.documents + 12  # 48 dated reports in four feeds
