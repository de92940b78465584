"""What the reader's start does not import: each module here costs time before the first screen."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from threadtui.cli import read as cli_read


def _imported_after(code: str) -> set[str]:
    # The module names go out one per line: the probe itself imports nothing (not json).
    probe = f"import sys\n{code}\nprint('MODULES'); print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(result.stdout.split("MODULES\n", 1)[1].split())


def test_the_cli_imports_neither_argparse_nor_the_parser() -> None:
    modules = _imported_after("import threadtui.cli\nimport threadtui.cli.read")
    assert not {"argparse", "threadtui.parsing", "threadtui.model", "dateutil"} & modules


def test_the_parser_leaves_dateutil_until_an_odd_date_needs_it() -> None:
    modules = _imported_after(
        "from threadtui.parsing import parse_bytes\nparse_bytes(b'A title\\n\\nMay 4, 2023\\n')"
    )
    assert "threadtui.parsing.text_dump" in modules
    assert "dateutil" not in modules
    modules = _imported_after(
        "from threadtui.parsing.common import dates\nassert dates.normalise('4.5.2023 10:00 UTC')"
    )
    assert "dateutil" in modules


_ARG = st.text(st.sampled_from("ab-./ é"), max_size=6).filter(lambda a: not a.startswith("-"))


@given(st.lists(_ARG, max_size=4))
def test_plain_paths_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    """cmd_reader skips argparse when no argument starts with '-'; the result is the same."""
    assert cli_read._parser().parse_args(argv).paths == argv


def test_the_reader_leaves_the_regex_module_until_the_first_query() -> None:
    modules = _imported_after("import threadtui.tui.app")
    assert "threadtui.tui.screens.main" in modules
    assert "regex" not in modules, "regex costs ~6 ms before the first frame"
    modules = _imported_after(
        "from threadtui.search import compile_query\ncompile_query('strasse').pattern"
    )
    assert "regex" in modules


def test_a_folder_of_text_dumps_opens_without_the_json_reader(tmp_path) -> None:
    """The json module and the threadtui/1 reader load with the first JSON file, not before."""
    (tmp_path / "a.txt").write_text("A title\n\nalice\nalice\nHello.\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(
        '{"schema": "threadtui/1", "title": "T", "posts": []}', encoding="utf-8"
    )
    start = f"from threadtui.cli.read import start_reader\napp = start_reader([{str(tmp_path)!r}])"
    modules = _imported_after(
        f"{start}\nfrom threadtui.parsing import parse_path\n"
        f"parse_path({str(tmp_path / 'a.txt')!r})"
    )
    assert "threadtui.tui.screens.main" in modules and "threadtui.parsing.text_dump" in modules
    assert not {"json", "threadtui.parsing.json.native"} & modules
    # Nor any other format's reader: each loads with the first file of its kind.
    readers = {
        "threadtui.parsing.json.forum",
        "threadtui.parsing.json.reddit",
        "threadtui.parsing.json.hn",
        "threadtui.parsing.json.discourse",
        "threadtui.parsing.mail.mbox",
    }
    assert all(importlib.util.find_spec(name) for name in readers), "a reader was renamed"
    assert not (readers | {"threadtui.parsing.common.html_blocks", "html.parser"}) & modules
    modules = _imported_after(
        "from threadtui.parsing import ParseError, parse_path\n"
        f"try:\n    parse_path({str(tmp_path / 'b.json')!r})\nexcept ParseError:\n    pass"
    )
    assert {"json", "threadtui.parsing.json.native"} <= modules


def test_the_reader_loads_the_search_machinery_with_the_first_search() -> None:
    """Query, index and highlighter (~10 ms of imports) are not part of the first screen."""
    machinery = {
        "threadtui.search.query",
        "threadtui.search.thread_index",
        "threadtui.view.marks",
    }
    samples = str(Path(__file__).resolve().parent.parent / "samples")
    modules = _imported_after(
        f"from threadtui.cli.read import start_reader\nstart_reader([{samples!r}])"
    )
    assert "threadtui.tui.screens.main" in modules
    assert not machinery & modules
    modules = _imported_after(
        "from threadtui import search\nfrom threadtui.view.marks import Highlight\nHighlight(search.compile_query('x'))"
    )
    assert machinery <= modules
