"""kill -9 in the middle of an ingest leaves a consistent store that a rerun completes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from marsad.store import Store

from .helpers import work_batch

BATCH = 20
BATCHES = 200  # far more than get written before the kill

_CHILD = textwrap.dedent(
    """
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("store_test_helpers", sys.argv[2])
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    from marsad.store import Store
    batch, batches = int(sys.argv[3]), int(sys.argv[4])
    with Store(sys.argv[1]) as store:
        for index in range(batches):
            store.write_batch(helpers.work_batch(index, batch), [("feed/bad-%d" % index, "MRS011", "empty")])
    """
)


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not created or migrated yet
        return 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_ingest_is_safe_and_resumable(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    helpers = Path(__file__).with_name("helpers.py")
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db), str(helpers), str(BATCH), str(BATCHES)],
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while _documents(db) == 0:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the writer never committed"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    with Store(db) as store:
        conn = store.connection
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")  # raises if bad
        done = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        assert 0 < done < BATCH * BATCHES, "the kill did not land mid-run"
        assert done % BATCH == 0, "a batch was half written"
        sources = int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
        errors = int(conn.execute("SELECT count(*) FROM errors").fetchone()[0])
        assert sources == done and errors == done // BATCH

        # the rerun skips what is stored and completes the rest
        for index in range(BATCHES):
            todo = [
                (doc, raw)
                for doc, raw in work_batch(index, BATCH)
                if not store.is_known(doc.source.origin, raw)
            ]
            assert len(todo) in (0, BATCH), "partial batch found"
            if todo:
                store.write_batch(todo, [])
        total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        assert total == BATCH * BATCHES
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == total
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
