"""Shared paths and helpers for the parser and CLI tests (imported, not a conftest)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = Path(__file__).resolve().parent / "expected"
# shared/ lies beside the checkout (as CI lays it out) or at /work/shared (a developer's
# machine); tests that read it skip when it is in neither place.
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()),
    ROOT.parent / "shared",
)
SEED = SHARED / "seeds" / "000_8b6e764532954fd9.txt"
REALDATA = SHARED / "realdata"


def seed_path() -> Path:
    """The real seed dump; a test that needs it is skipped where it is absent."""
    if not SEED.is_file():
        pytest.skip(f"seed file {SEED} not present")
    return SEED


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def realdata_text_paths() -> list[Path]:
    return sorted(REALDATA.glob("*_text*/*.txt"))


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``python -m threadtui ARGS`` in a fresh interpreter, capturing bytes."""
    return subprocess.run(
        [sys.executable, "-m", "threadtui", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )
