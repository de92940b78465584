"""The command line: parse, show, errors, exit statuses, hostile text."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from _support import run_cli, seed_path
from rich.cells import cell_len

from threadtui import __version__
from threadtui.cli import main

GOOD = "A perfectly ordinary title\n\nalice\n\nalice\n\nHello there.\n\u00a0\nA reply.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
ESCAPES = re.compile("[\x1b\x9b]")  # ESC, or the C1 CSI character


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _stderr_lines(result: object) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()  # type: ignore[attr-defined]


def test_parse_good_and_missing(tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = run_cli("parse", str(good), str(missing))
    assert result.returncode == 1
    out = result.stdout.decode("utf-8").splitlines()
    assert len(out) == 1
    assert json.loads(out[0])["title"] == "A perfectly ordinary title"
    assert _stderr_lines(result) == [f"threadtui: {missing}: no such file"]


def test_parse_binary_then_good(tmp_path: Path, good: Path) -> None:
    binary = tmp_path / "photo.png"
    binary.write_bytes(PNG)
    result = run_cli("parse", str(binary), str(good))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    (line,) = _stderr_lines(result)
    assert line.startswith(f"threadtui: {binary}: ")
    assert "binary" in line
    assert b"Traceback" not in result.stderr


def test_parse_all_good_exits_zero(good: Path) -> None:
    result = run_cli("parse", str(good), str(good))
    assert result.returncode == 0
    assert result.stderr == b""
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == 2 and docs[0] == docs[1]


def test_parse_folder_is_an_error(tmp_path: Path) -> None:
    result = run_cli("parse", str(tmp_path))
    assert result.returncode == 1
    assert _stderr_lines(result) == [f"threadtui: {tmp_path}: is a folder"]


def test_parse_indent(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--indent", "2", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('{\n  "schema": "threadtui/1",\n')
    assert json.loads(out)["article"]["author"] == "alice"


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_exit_zero(flag: str) -> None:
    result = run_cli(flag)
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    if flag == "--version":
        assert text.strip() == f"threadtui {__version__}"
    else:
        assert "usage: threadtui" in text
        assert "parse" in text and "show" in text


@pytest.mark.parametrize("command", ["parse", "show"])
def test_subcommand_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert f"threadtui {command}" in result.stdout.decode("utf-8")


def test_show_missing_file(tmp_path: Path) -> None:
    result = run_cli("show", str(tmp_path / "gone.txt"))
    assert result.returncode == 1
    assert _stderr_lines(result) == [f"threadtui: {tmp_path / 'gone.txt'}: no such file"]
    assert result.stdout == b""


def test_console_script_entry_point_is_main() -> None:
    """``python -m threadtui`` and the ``threadtui`` script run the same function."""
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    if "threadtui" not in scripts:
        pytest.skip("package not installed")
    assert scripts["threadtui"] == "threadtui.cli:main"


# ------------------------------------------------------------------ show on the seed


@pytest.fixture(scope="module")
def seed_show() -> str:
    result = run_cli("show", "--width", "80", str(seed_path()))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def test_show_seed_content(seed_show: str) -> None:
    lines = seed_show.splitlines()
    assert lines[0] == "US seeks meeting with China defense minister after being spurned"
    assert "Peter Martin · Bloomberg News · 2023-05-04" in seed_show
    assert "beijingwalker" in lines[1]
    assert any(line.startswith("#5") for line in lines)
    assert [line.split(" ")[0] for line in lines if line.startswith("#")] == [
        "#2",
        "#3",
        "#4",
        "#5",
    ]
    assert "1694406968291.png" in seed_show
    assert "WASHINGTON — The Pentagon" in seed_show
    assert "U.S. Ambassador to China calls for resumption of high-level talks" in seed_show
    # The title is shown once, not twice.
    assert seed_show.count("US seeks meeting with China defense minister") == 1


def test_show_seed_fits_80_columns(seed_show: str) -> None:
    widths = [cell_len(line) for line in seed_show.splitlines()]
    assert max(widths) <= 80
    assert max(widths) >= 60  # really wrapped at the measure, not at some tiny width


def test_show_piped_is_plain_text(seed_show: str) -> None:
    assert not ESCAPES.search(seed_show)


@pytest.mark.parametrize("width", [20, 40, 120])
def test_show_other_widths(width: int) -> None:
    result = run_cli("show", "--width", str(width), str(seed_path()))
    assert result.returncode == 0
    lines = result.stdout.decode("utf-8").splitlines()
    assert max(cell_len(line) for line in lines) <= width


# ------------------------------------------------------------------ hostile text

HOSTILE = (
    "Title \x1b[31mred\x1b[0m here\n\nmallory\n\nmallory\n\n"
    "Steal the clipboard: \x1b]52;c;aGVsbG8=\x07 done.\n\n"
    "Bidi: \u202eevil\u202c and a bell \x07 and CSI \x9b2J.\n"
    "\u00a0\n\x1b[2J\x1b[H wipes the screen\n"
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_show_hostile_text_is_inert(hostile: Path) -> None:
    result = run_cli("show", "--width", "80", str(hostile))
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")
    assert not ESCAPES.search(out)
    assert "\x07" not in out
    assert "\u202e" not in out and "\u202c" not in out
    assert "Title ␛[31mred␛[0m here" in out
    assert "␛]52;c;aGVsbG8=␇" in out
    assert "⟨U+202E⟩evil⟨U+202C⟩" in out
    assert "␛[2J␛[H wipes the screen" in out


def test_parse_keeps_hostile_text_exactly(hostile: Path) -> None:
    """The JSON is data: control characters are kept (JSON-escaped), never removed."""
    result = run_cli("parse", str(hostile))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout  # json.dumps escapes C0 controls
    data = json.loads(result.stdout)
    assert data["title"] == "Title \x1b[31mred\x1b[0m here"
    assert data["replies"][0]["blocks"][0]["text"] == "\x1b[2J\x1b[H wipes the screen"


@pytest.mark.skipif(sys.platform == "win32", reason="ESC in a file name")
def test_error_line_is_inert(tmp_path: Path) -> None:
    evil = tmp_path / "x\x1b[31m\u202ey.txt"
    evil.write_bytes(PNG)
    result = run_cli("parse", str(evil))
    assert result.returncode == 1
    assert result.stdout == b""
    assert b"\x1b" not in result.stderr
    (line,) = _stderr_lines(result)
    assert "\u202e" not in line
    assert line.startswith(f"threadtui: {tmp_path}/x␛[31m⟨U+202E⟩y.txt: ")
    assert "binary" in line


def test_error_line_is_one_line(tmp_path: Path) -> None:
    evil = tmp_path / "two\nlines.txt"
    result = run_cli("show", str(evil))
    assert result.returncode == 1
    assert len(_stderr_lines(result)) == 1


# ------------------------------------------------------------------ no library warning


def test_no_library_warning_reaches_the_user(tmp_path: Path) -> None:
    """ "10:00 M": dateutil warns that it does not know the zone "M" (UnknownTimezoneWarning,
    with a site-packages path); the date is still read, and the user sees nothing of it."""
    path = tmp_path / "zone.txt"
    path.write_text(
        "A title here\n\nalice\n\nalice\n\nPosted: Jul 14, 2022 10:00 M\n\nHello there.\n",
        encoding="utf-8",
    )
    for args in (("parse", str(path)), ("show", str(path)), ("search", "Hello", str(path))):
        result = run_cli(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == b"", args
    assert json.loads(run_cli("parse", str(path)).stdout)["date"] == "2022-07-14"


def test_python_w_still_shows_warnings(tmp_path: Path) -> None:
    """Silenced for users only: a developer's ``python -W`` is obeyed."""
    import subprocess

    path = tmp_path / "zone.txt"
    path.write_text("A title\n\nalice\n\nalice\n\nPosted: Jul 14, 2022 10:00 M\n\nHi.\n")
    result = subprocess.run(
        [sys.executable, "-W", "always", "-m", "threadtui", "parse", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert b"UnknownTimezoneWarning" in result.stderr
