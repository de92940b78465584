"""Prove that ``threadtui parse`` output is unchanged by a refactor.

Runs ``threadtui parse FILE`` once per file (the samples, the seed and every file
under shared/realdata) and records a SHA-256 of its standard output, standard
error and exit status. ``--write`` stores the digests; ``--check`` compares
against them and lists every file whose output changed.

    # before the change, with the old checkout's console script
    python bench/parse_identity.py --threadtui /tmp/base/.venv/bin/threadtui --write /tmp/ids.json
    # after it
    python bench/parse_identity.py --check /tmp/ids.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """shared/ beside the checkout (as CI lays it out), else /work/shared."""
    for candidate in (HERE.parent / "shared", Path("/work/shared")):
        if candidate.is_dir():
            return candidate
    return None


def inputs() -> Iterator[Path]:
    """Every file whose parse output is pinned, in a stable order."""
    yield from sorted((HERE / "samples").iterdir())
    shared = shared_dir()
    if shared is None:
        return
    yield from sorted((shared / "seeds").glob("*"))
    for root, dirs, files in os.walk(shared / "realdata"):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".md"):
                yield Path(root) / name


def label(path: Path) -> str:
    """The file's name relative to the checkout or to shared/, stable across machines."""
    shared = shared_dir()
    if shared is not None and path.is_relative_to(shared):
        return str(path.relative_to(shared))
    return str(path.relative_to(HERE))


def digest(command: str, path: Path) -> str:
    """SHA-256 over what ``command parse path`` prints and how it exits."""
    done = subprocess.run(
        [command, "parse", str(path)], capture_output=True, timeout=300, check=False
    )
    h = hashlib.sha256()
    for part in (done.stdout, b"\0", done.stderr, b"\0", str(done.returncode).encode()):
        h.update(part)
    return h.hexdigest()


def default_command() -> str:
    """The console script beside this Python (the checkout's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "threadtui"
    return str(beside) if beside.exists() else shutil.which("threadtui") or "threadtui"


def main() -> int:
    """Write or check the digests; exit 1 when any file's output changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threadtui", default=default_command())
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="FILE")
    mode.add_argument("--check", metavar="FILE")
    args = parser.parse_args()
    paths = list(inputs())
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        found = dict(
            zip(
                (label(p) for p in paths),
                pool.map(lambda p: digest(args.threadtui, p), paths),
                strict=True,
            )
        )
    if args.write:
        Path(args.write).write_text(json.dumps(found, indent=1, sort_keys=True))
        print(f"{len(found)} files recorded")
        return 0
    expected = json.loads(Path(args.check).read_text())
    changed = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    for name in changed:
        print(f"changed: {name}", file=sys.stderr)
    print(f"{len(found)} files, {len(changed)} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
