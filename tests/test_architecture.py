"""The model, parsers, rendering and library import no Textual (issue 2)."""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import subprocess
import sys

import threadtui.parsing
import threadtui.search

CORE = [
    "threadtui.model",
    "threadtui.render",
    "threadtui.safe",
    "threadtui.search",
    "threadtui.library",
    "threadtui.early_scan",
    "threadtui.cli",
    "threadtui.reply_layout",
]


def _core_modules() -> list[str]:
    parsing = ["threadtui.parsing"] + [
        f"threadtui.parsing.{info.name}"
        for info in pkgutil.iter_modules(threadtui.parsing.__path__)
    ]
    search = [
        f"threadtui.search.{info.name}" for info in pkgutil.iter_modules(threadtui.search.__path__)
    ]
    present = [name for name in CORE if importlib.util.find_spec(name) is not None]
    return present + parsing + search


def test_there_is_something_to_check() -> None:
    modules = _core_modules()
    assert {"threadtui.model", "threadtui.render", "threadtui.safe"} <= set(modules)
    assert "threadtui.parsing.text_dump" in modules
    assert "threadtui.parsing.decode" in modules
    assert "threadtui.search.thread_index" in modules
    assert "threadtui.reply_layout" in modules


def test_core_imports_no_textual() -> None:
    modules = _core_modules()
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_check_would_notice_textual() -> None:
    """Guard against a vacuous pass: importing the app does pull Textual in."""
    if importlib.util.find_spec("threadtui.app") is None:
        import pytest

        pytest.skip("no app module yet")
    code = "import sys, threadtui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "True", result.stderr
