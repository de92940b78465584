"""The layers: Textual only in threadtui.tui, and no layer imports one above it.

The rules themselves are the import-linter contracts in pyproject.toml; these
tests run them, and prove that they would fail on a module that breaks them.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is a test dependency"
    return subprocess.run(
        [command, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("view/leak.py", "import textual.widget\n", "Textual only in the UI package"),
        ("parsing/leak.py", "import threadtui.library\n", "Layers"),
        ("search/leak.py", "import threadtui.view.render\n", "Layers"),
        ("tui/controllers/leak.py", "import textual.message\n", "Textual-free"),
    ],
)
def test_the_contracts_catch_a_stray_import(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    """Guard against a vacuous pass: a copy of the tree with one bad import fails."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "src", copy / "src")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "src" / "threadtui" / module).write_text(line)
    env_path = f"{copy / 'src'}"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command(['--no-cache']))",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": env_path, "PATH": ""},
    )
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout


def test_the_reader_does_load_textual() -> None:
    """The UI package really is where Textual is: importing the app pulls it in."""
    assert importlib.util.find_spec("threadtui.tui.app") is not None
    code = "import sys, threadtui.tui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "True", result.stderr
