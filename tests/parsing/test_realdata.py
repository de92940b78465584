"""Every real file under /work/shared/realdata goes through ``parse`` and ``show`` cleanly.

Cleanly means: exit 0 with a valid threadtui/1 document (or a laid-out
thread), or exit 1 with exactly one line ``threadtui: FILE: cause`` on stderr.
Formats we do not parse yet (forum JSON, mbox, HTML) may be read as plain
text or refused with such a line; a traceback is never acceptable. The
files are third-party data: they are read in place and never copied.
Skipped where the folder does not exist.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from _support import REALDATA

from threadtui.cli import main
from threadtui.parsing import parse_bytes
from threadtui.parsing.json import native as threadtui_json

#: Beyond this many files, a deterministic sample keeps the run short.
SAMPLE = 60


def _files() -> list[Path]:
    if not REALDATA.is_dir():
        return []
    files = sorted(
        p
        for p in REALDATA.rglob("*")
        if p.is_file() and p.parent != REALDATA  # not the docs
    )
    if len(files) > SAMPLE:  # the same sample every run: by a hash of the name
        files = sorted(files, key=lambda p: zlib.crc32(str(p).encode()))[:SAMPLE]
    return files


FILES = _files()
pytestmark = pytest.mark.skipif(not FILES, reason=f"{REALDATA} not present")
ESCAPES = re.compile("[\x1b\x9b]")


def _check_error(err: str, path: Path) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"threadtui: {path}: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_parse_and_show(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["parse", str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1)
    if status == 0:
        assert err == ""
        (line,) = out.splitlines()
        doc = json.loads(line)
        assert doc["schema"] == "threadtui/1"
        thread = parse_bytes(line.encode(), source="again.json")
        assert threadtui_json.dumps(thread) == line  # reads back to the same document
    else:
        assert out == ""
        _check_error(err, path)

    status = main(["show", "--width", "80", str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1)
    if status == 0:
        assert err == ""
        assert out.strip()
        assert not ESCAPES.search(out)
    else:
        _check_error(err, path)


def test_the_command_itself_over_every_file() -> None:
    """One real ``threadtui parse`` process over all of them: a line out or a line of error each."""
    result = subprocess.run(
        [sys.executable, "-m", "threadtui", "parse", *map(str, FILES)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1)
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("utf-8").splitlines()
    err = result.stderr.decode("utf-8").splitlines()
    assert len(out) + len(err) == len(FILES)
    assert all(line.startswith("threadtui: ") for line in err)
    for line in out:
        json.loads(line)
