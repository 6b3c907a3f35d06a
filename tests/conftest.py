"""Shared fixtures. Test articles are short texts written for the tests."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from marsad.ingest.lexicon import Lexicon
from marsad.ner.lexicon import NameLexicon
from marsad.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="session")
def pipeline(lexicon: Lexicon) -> Pipeline:
    return Pipeline.default(lexicon)


@pytest.fixture
def cli() -> Callable[..., tuple[int, str, str]]:
    """Run ``marsad`` in-process: returns (exit code, stdout, stderr)."""
    from marsad.cli import main

    def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        if stdin is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
        try:
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse usage errors
                    code = int(exc.code or 0)
        finally:
            sys.stdin = old_stdin
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def lexicon_of(tmp_path: Path) -> Callable[[dict[str, str]], NameLexicon]:
    """Build an NER lexicon from word lists written for a test (file name -> text), no KB."""

    def load(lists: dict[str, str]) -> NameLexicon:
        folder = tmp_path / "ner"
        folder.mkdir(exist_ok=True)
        for name, text in lists.items():
            (folder / name).write_text(text, encoding="utf-8")
        return NameLexicon.load(kb_dir=tmp_path / "absent", lists_dir=folder)

    return load
