"""What the reader's start does not import: each module here costs time before the first screen."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from threadtui import cli


def _imported_after(code: str) -> set[str]:
    probe = f"import json as _j, sys\n{code}\nprint(_j.dumps(sorted(sys.modules)))"
    # json itself is imported by the probe: look at what else was.
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(result.stdout))


def test_the_cli_imports_neither_argparse_nor_the_parser() -> None:
    modules = _imported_after("import threadtui.cli")
    assert not {"argparse", "threadtui.parsing", "threadtui.model", "dateutil"} & modules


def test_the_parser_leaves_dateutil_until_an_odd_date_needs_it() -> None:
    modules = _imported_after(
        "from threadtui.parsing import parse_bytes\nparse_bytes(b'A title\\n\\nMay 4, 2023\\n')"
    )
    assert "threadtui.parsing.text_dump" in modules
    assert "dateutil" not in modules
    modules = _imported_after(
        "from threadtui.parsing import dates\nassert dates.normalise('4.5.2023 10:00 UTC')"
    )
    assert "dateutil" in modules


_ARG = st.text(st.sampled_from("ab-./ é"), max_size=6).filter(lambda a: not a.startswith("-"))


@given(st.lists(_ARG, max_size=4))
def test_plain_paths_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    """cmd_reader skips argparse when no argument starts with '-'; the result is the same."""
    assert cli._parser().parse_args(argv).paths == argv


def test_the_reader_leaves_the_regex_module_until_the_first_query() -> None:
    modules = _imported_after("import threadtui.app")
    assert "threadtui.screens.main" in modules
    assert "regex" not in modules, "regex costs ~6 ms before the first frame"
    modules = _imported_after(
        "from threadtui.search import compile_query\ncompile_query('strasse').pattern"
    )
    assert "regex" in modules
