"""Arguments argparse rejects are named in its message: never raw, always with placeholders.

A shell glob (``threadtui parse *``) hands every file name in the folder to the
command line, so a file named ``--<ESC>]0;PWN<BEL>.txt`` becomes an option that
argparse refuses, echoing it. Written raw, that name sets the terminal's title.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from _support import run_cli

from threadtui.cli import main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="ESC in a file name")

#: A name a glob can pick up: an option to argparse, an OSC 0 (set the title) to a terminal.
DASH_NAME = "--\x1b]0;PWN\x07.txt"
DASH_SHOWN = "--␛]0;PWN␇.txt"
#: Other names that are trouble on a terminal: C1 CSI, a bidi override, a line break.
C1_NAME = "x\x9b2J\u202eevil.txt"
C1_SHOWN = "x⟨U+009B⟩2J⟨U+202E⟩evil.txt"
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text("A title\n\nalice\n\nalice\n\nHello.\n", encoding="utf-8")
    return path


def _assert_inert(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert not UNSAFE.findall(text), text
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["parse", "GOOD", DASH_NAME], DASH_SHOWN),  # threadtui parse *
        (["show", "GOOD", DASH_NAME], DASH_SHOWN),  # threadtui show *: every extra name
        (["show", "GOOD", "more.txt", C1_NAME], C1_SHOWN),
        ([DASH_NAME, "GOOD"], DASH_SHOWN),  # the reader, threadtui *
        (["parse", "--indent", "\x1b[2J", "GOOD"], "--indent"),  # a bad option value
        (["show", "--width", C1_NAME, "GOOD"], "--width"),
    ],
    ids=["parse", "show", "show-c1", "reader", "parse-indent", "show-width"],
)
def test_a_rejected_argument_is_shown_with_placeholders(
    argv: list[str], shown: str, good: Path
) -> None:
    result = run_cli(*[str(good) if arg == "GOOD" else arg for arg in argv])
    assert result.returncode == 2
    assert result.stdout == b""
    lines = _assert_inert(result.stderr).splitlines()
    assert lines[0].startswith("usage: threadtui")
    assert ": error: " in lines[-1]
    assert shown in lines[-1]


def test_the_message_is_what_argparse_says_otherwise(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the unsafe characters change: the usage line and the wording stay argparse's."""
    with pytest.raises(SystemExit) as info:
        main(["parse", str(good), "--nope"])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "threadtui parse: error: unrecognized arguments: --nope"
    )
    with pytest.raises(SystemExit):
        main(["parse", str(good), DASH_NAME, "--nope"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"threadtui parse: error: unrecognized arguments: {DASH_SHOWN} --nope"
    )


def test_every_subcommand_parser_is_the_safe_one() -> None:
    """The reader's, parse's and show's parsers all come from threadtui.cli.args."""
    from threadtui.cli import parse, read, show
    from threadtui.cli.args import ArgumentParser

    for parser in (read._parser(), parse._parse_command(), show._show_command()):
        assert isinstance(parser, ArgumentParser)


def test_a_missing_path_named_to_the_reader_is_shown_with_placeholders(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / C1_NAME))
    assert result.returncode == 2
    assert _assert_inert(result.stderr).splitlines() == [
        f"threadtui: {tmp_path}/{C1_SHOWN}: no such file or folder"
    ]
