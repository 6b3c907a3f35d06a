"""A `marsad ingest` killed with SIGKILL mid-run leaves a consistent store that the next run completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SENTENCE = "أعلنت وزارة الخارجية في أرنور أن الوفد رقم {n} وصل إلى العاصمة غوندور لإجراء محادثات تستمر يومين."


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_9_then_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    total = 600
    for n in range(total):
        (folder / f"a{n:04d}.txt").write_text(f"خبر رقم {n}\n\n" + SENTENCE.format(n=n), encoding="utf-8")
    db = tmp_path / "m.db"
    command = [
        sys.executable,
        "-m",
        "marsad.cli",
        "ingest",
        str(folder),
        "--db",
        str(db),
        "--batch-size",
        "10",
    ]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored:
                break
        time.sleep(0.01)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert partial % 10 == 0 and partial == conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == total
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == total
