"""The file system misbehaving: permissions, vanishing files, loops, FIFOs, sockets, odd names.

None of it may stop the rest of a folder from loading, block, or reach the
user as anything but one line naming the file and the cause. The reader's
side of the same cases is in ``tests/ui/test_hostile_reader.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import threadtui.parsing as parsing
from threadtui.files import read_bytes
from threadtui.library import ThreadCache, discover, folders, scan, summarize
from threadtui.parsing import ParseError, parse_path

GOOD = "A good thread\n\nalice\n\nalice\n\nHello there.\n\u00a0\nbob\nMay 4, 2023 #2\nA reply.\n"
ROOT = os.name == "posix" and os.geteuid() == 0
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file system features")


def _good(path: Path, title: str = "A good thread") -> Path:
    path.write_text(GOOD.replace("A good thread", title), encoding="utf-8")
    return path


def _rows(folder: Path) -> dict[str, str | None]:
    """file name -> error (None when it read fine), after a full scan."""
    rows = [row for batch, _, _ in scan([str(folder)], ThreadCache()) for row in batch]
    return {row.name: row.error for row in rows}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "threadtui", *args],
        capture_output=True,
        timeout=30,
        check=False,
        env={**os.environ, **(env or {})},
    )


def _finishes(work: Callable[[], object], seconds: float = 5.0) -> object:
    """Run ``work`` in a thread; fail (rather than hang) if it is still running after ``seconds``.

    Returns what ``work`` returned, or raises what it raised.
    """
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed to the caller
            outcome.append((False, exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds}s: it blocked"
    ok, value = outcome[0]
    if not ok:
        raise value  # type: ignore[misc]
    return value


# ------------------------------------------------------------------ permission denied


@posix_only
@pytest.mark.skipif(ROOT, reason="root reads any file; see the simulated test below")
def test_unreadable_file_is_an_error_row_and_the_rest_loads(tmp_path: Path) -> None:
    _good(tmp_path / "a.txt")
    locked = _good(tmp_path / "b.txt")
    locked.chmod(0)
    try:
        assert _rows(tmp_path) == {"a.txt": None, "b.txt": "permission denied"}
    finally:
        locked.chmod(0o644)


@posix_only
@pytest.mark.skipif(ROOT, reason="root can list any folder; see the simulated test below")
def test_unlistable_folder_is_an_error_row_and_the_rest_loads(tmp_path: Path) -> None:
    _good(tmp_path / "a.txt")
    closed = tmp_path / "closed"
    closed.mkdir()
    _good(closed / "inside.txt")
    closed.chmod(0)
    try:
        assert _rows(tmp_path) == {"a.txt": None, "closed": "permission denied"}
    finally:
        closed.chmod(0o755)


def test_unlistable_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every folder can be listed, so the listing is made to fail as it would."""
    _good(tmp_path / "a.txt")
    closed = tmp_path / "closed"
    closed.mkdir()
    _good(closed / "inside.txt")
    (tmp_path / "open").mkdir()
    _good(tmp_path / "open" / "b.txt")
    real_scandir = os.scandir

    def deny(path: str) -> Iterator[os.DirEntry[str]]:
        if os.fspath(path) == str(closed):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[return-value]

    monkeypatch.setattr(folders.os, "scandir", deny)
    rows = [row for batch, _, _ in scan([str(tmp_path)], ThreadCache()) for row in batch]
    assert {row.name: row.error for row in rows} == {
        "a.txt": None,
        "b.txt": None,
        "closed": "permission denied",
    }
    (folder_row,) = [row for row in rows if row.error]
    assert folder_row.path == str(closed)
    assert folder_row.title == "closed/"  # a folder, not a file, at a glance
    # discover() keeps its contract (thread files only) and hands the folder to on_error.
    failed: list[folders.WalkError] = []
    found = list(discover([str(tmp_path)], on_error=failed.append))
    assert found == [str(tmp_path / "a.txt"), str(tmp_path / "open" / "b.txt")]
    assert failed == [folders.WalkError(str(closed), "permission denied")]
    assert list(discover([str(tmp_path)])) == found


def _deep_nest(root: Path, depth: int, name_len: int, every: int) -> list[str]:
    """Folders ``depth`` deep under ``root`` (each name ``name_len`` long), a thread file
    every ``every`` levels; the files' paths. Made through folder descriptors: their paths
    are longer than the system lets a path be."""
    files: list[str] = []
    parts: list[str] = []
    fd = os.open(root, os.O_RDONLY)
    try:
        for level in range(depth + 1):
            if level % every == 0:
                name = f"t{level:03d}.txt"
                handle = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
                os.write(handle, GOOD.encode("utf-8"))
                os.close(handle)
                files.append("/".join([str(root), *parts, name]))
            if level == depth:
                break
            folder = f"{level:03d}".ljust(name_len, "d")
            os.mkdir(folder, dir_fd=fd)
            inner = os.open(folder, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            parts.append(folder)
    finally:
        os.close(fd)
    return files


@posix_only
def test_a_path_past_path_max_is_an_error_row(tmp_path: Path) -> None:
    """200 folders deep, the path outgrows PATH_MAX: the folder where it does is a row
    saying so, instead of the files below it vanishing without a word."""
    root = tmp_path / "nest"
    root.mkdir()
    files = _deep_nest(root, depth=200, name_len=30, every=50)
    assert len(files[-1].encode()) > 4096  # past Linux's PATH_MAX
    try:
        rows = [row for batch, _, _ in scan([str(root)], ThreadCache()) for row in batch]
    finally:
        shutil.rmtree(root)
    read = {row.path for row in rows if row.error is None}
    failed = [row for row in rows if row.error is not None]
    assert failed and {row.error for row in failed} == {"path too long"}
    assert len(failed) <= 2  # the folder where the path gets too long (and its last file)
    for path in files:
        assert path in read or any(
            path == row.path or path.startswith(row.path + "/") for row in failed
        ), f"{path} vanished"
    assert len(read) == 3


@posix_only
def test_a_path_too_long_to_read_says_path_too_long(tmp_path: Path) -> None:
    """And a name over NAME_MAX is still "file name too long"."""
    long_path = str(tmp_path) + "/d" * 2100 + ".txt"
    with pytest.raises(ParseError, match="^path too long$"):
        read_bytes(long_path)
    with pytest.raises(ParseError, match="^file name too long$"):
        read_bytes(tmp_path / ("n" * 300 + ".txt"))


@posix_only
def test_the_reader_given_a_symlink_loop_says_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = _cli(str(loop))
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [f"threadtui: {loop}: symbolic link loop"]


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root nothing is unreadable, so the open itself is made to fail as it would."""
    _good(tmp_path / "a.txt")
    locked = _good(tmp_path / "b.txt")
    real_open = os.open

    def deny(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == str(locked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parsing.os, "open", deny)
    assert _rows(tmp_path) == {"a.txt": None, "b.txt": "permission denied"}
    with pytest.raises(ParseError, match="^permission denied$"):
        parse_path(locked)


@posix_only
@pytest.mark.skipif(ROOT, reason="root reads any file")
def test_permission_denied_through_the_command(tmp_path: Path) -> None:
    locked = _good(tmp_path / "b.txt")
    locked.chmod(0)
    try:
        result = _cli("parse", str(locked))
    finally:
        locked.chmod(0o644)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"threadtui: {locked}: permission denied"]


# ------------------------------------------------------------------ vanishing and changing files


def test_file_vanishing_between_scan_and_open(tmp_path: Path) -> None:
    _good(tmp_path / "a.txt")
    gone = _good(tmp_path / "b.txt")
    assert list(discover([str(tmp_path)])) == [str(tmp_path / "a.txt"), str(gone)]
    gone.unlink()
    summary = summarize(str(gone))
    assert summary.error == "no such file"
    assert summary.title == "b.txt"


def test_file_vanishing_between_stat_and_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _good(tmp_path / "a.txt")

    def vanish(*args: object, **kwargs: object) -> int:
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(parsing.os, "open", vanish)
    with pytest.raises(ParseError, match="^file vanished while being read$"):
        read_bytes(path)


def test_file_changing_between_two_reads_gives_the_new_content(tmp_path: Path) -> None:
    path = _good(tmp_path / "a.txt", "First version")
    assert parse_path(path).title == "First version"
    _good(path, "Second version")
    assert parse_path(path).title == "Second version"


def test_cache_notices_a_changed_file(tmp_path: Path) -> None:
    path = _good(tmp_path / "a.txt", "First version")
    cache = ThreadCache()
    st = path.stat()
    cache.put(str(path), parse_path(path), st.st_size, st.st_mtime)
    assert cache.get(str(path)) is not None
    _good(path, "Second, longer version")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert cache.get(str(path)) is None


def test_cache_notices_a_changed_file_with_the_same_mtime(tmp_path: Path) -> None:
    path = _good(tmp_path / "a.txt", "First version")
    cache = ThreadCache()
    st = path.stat()
    cache.put(str(path), parse_path(path), st.st_size, st.st_mtime)
    _good(path, "Second, longer version")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p or rsync -t leave it
    assert path.stat().st_size != st.st_size
    assert cache.get(str(path)) is None


# ------------------------------------------------------------------ links, FIFOs, sockets, devices


@posix_only
def test_symlink_loops(tmp_path: Path) -> None:
    """Folder loops are walked once; links in a loop and dangling links are error rows."""
    _good(tmp_path / "a.txt")
    sub = tmp_path / "sub"
    sub.mkdir()
    _good(sub / "b.txt")
    (sub / "again").symlink_to(tmp_path, target_is_directory=True)  # folder loop
    (tmp_path / "self").symlink_to(tmp_path / "self")  # a link to itself
    (tmp_path / "ping.txt").symlink_to(tmp_path / "pong.txt")
    (tmp_path / "pong.txt").symlink_to(tmp_path / "ping.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    rows = _finishes(lambda: _rows(tmp_path))
    loop = "symbolic link loop"
    assert rows == {
        "a.txt": None,
        "b.txt": None,
        "dangling.txt": "no such file",
        "self": loop,
        "ping.txt": loop,
        "pong.txt": loop,
    }
    for name in ("self", "ping.txt"):
        with pytest.raises(ParseError, match="^symbolic link loop$"):
            parse_path(tmp_path / name)


@posix_only
def test_symlink_loop_through_the_command(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = _cli("show", str(loop))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"threadtui: {loop}: symbolic link loop"]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.txt"  # a thread-like name: only its type may keep it out
    os.mkfifo(path)
    yield path
    # Free anything that did block on it (a reader waits for a writer).
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_fifo_in_a_folder_is_skipped_without_blocking(tmp_path: Path, fifo: Path) -> None:
    _good(tmp_path / "a.txt")
    assert _finishes(lambda: _rows(tmp_path)) == {"a.txt": None}


def test_fifo_named_explicitly_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(ParseError, match="^not a regular file$"):
        _finishes(lambda: read_bytes(fifo))
    _finishes(lambda: summarize(str(fifo)))
    assert summarize(str(fifo)).error == "not a regular file"


def test_fifo_swapped_in_after_the_stat_is_refused_without_blocking(
    fifo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: stat sees a regular file, then a FIFO takes its place before the open."""
    regular = os.stat(_good(tmp_path / "a.txt"))
    monkeypatch.setattr(parsing.os, "stat", lambda path: regular)

    def read() -> str:
        try:
            read_bytes(fifo)
        except ParseError as exc:
            return str(exc)
        return "read"

    assert _finishes(read) == "not a regular file"


def test_fifo_through_the_command(fifo: Path) -> None:
    result = _cli("parse", str(fifo))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [f"threadtui: {fifo}: not a regular file"]


@posix_only
def test_unix_socket_in_a_folder_is_skipped(tmp_path: Path) -> None:
    _good(tmp_path / "a.txt")
    path = tmp_path / "s.txt"
    if len(str(path)) > 100:
        pytest.skip("socket path too long for AF_UNIX")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        assert stat.S_ISSOCK(path.stat().st_mode)
        assert _finishes(lambda: _rows(tmp_path)) == {"a.txt": None}
        with pytest.raises(ParseError, match="^not a regular file$"):
            read_bytes(path)
    finally:
        server.close()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_devices_are_never_read(tmp_path: Path) -> None:
    """/dev/zero would fill memory forever; as a link in a folder or named, it is refused."""
    _good(tmp_path / "a.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert _finishes(lambda: _rows(tmp_path)) == {"a.txt": None}
    with pytest.raises(ParseError, match="^not a regular file$"):
        _finishes(lambda: read_bytes(tmp_path / "zero.txt"))


# ------------------------------------------------------------------ names that are not UTF-8

BAD_NAMES = [b"caf\xe9.txt", b"\xff\xfe thread.txt"]


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    if sys.platform in ("darwin", "win32"):
        pytest.skip("this file system insists on valid UTF-8 names")
    folder = os.fsencode(tmp_path)
    for raw in BAD_NAMES:
        with open(os.path.join(folder, raw), "wb") as handle:
            handle.write(GOOD.replace("A good thread", raw.decode("latin-1")).encode("utf-8"))
    with open(os.path.join(folder, b"broken \xff.txt"), "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    return tmp_path


def test_non_utf8_names_are_listed_and_read(odd_names: Path) -> None:
    rows = _rows(odd_names)
    assert {os.fsencode(name) for name in rows} == {*BAD_NAMES, b"broken \xff.txt"}
    assert sorted(error or "" for error in rows.values()) == [
        "",
        "",
        "binary file, not a text thread",
    ]


@pytest.mark.parametrize("encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_parse_prints_valid_utf8_json_for_a_non_utf8_name(odd_names: Path, encoding: str) -> None:
    path = os.path.join(os.fsencode(odd_names), b"caf\xe9.txt")
    result = _cli("parse", os.fsdecode(path), env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    (line,) = result.stdout.decode("utf-8").splitlines()  # strict: valid UTF-8
    doc = json.loads(line)
    assert doc["title"] == "café.txt"
    assert doc["source"] == os.fsdecode(odd_names) + "/caf\\xe9.txt"


@pytest.mark.parametrize("encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_errors_name_a_non_utf8_file_with_a_visible_placeholder(
    odd_names: Path, encoding: str
) -> None:
    folder = os.fsencode(odd_names)
    broken = os.fsdecode(os.path.join(folder, b"broken \xff.txt"))
    missing = os.fsdecode(os.path.join(folder, b"missing \xfe.txt"))
    env = {"PYTHONIOENCODING": encoding}
    for args, cause in [
        (("parse", broken), "binary file, not a text thread"),
        (("show", broken), "binary file, not a text thread"),
        (("show", missing), "no such file"),
    ]:
        result = _cli(*args, env=env)
        assert result.returncode == 1
        shown = args[1].encode("utf-8", "surrogateescape").decode("latin-1")
        shown = os.fsdecode(folder) + "/" + shown.rsplit("/", 1)[1]
        shown = shown.replace("\xff", "⟨0xFF⟩").replace("\xfe", "⟨0xFE⟩")
        assert result.stderr.decode("utf-8").splitlines() == [f"threadtui: {shown}: {cause}"]
    result = _cli(os.fsdecode(os.path.join(folder, b"nowhere \xff")), env=env)
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").splitlines() == [
        f"threadtui: {odd_names}/nowhere ⟨0xFF⟩: no such file or folder"
    ]


def test_show_reads_a_non_utf8_name(odd_names: Path) -> None:
    path = os.path.join(os.fsencode(odd_names), b"\xff\xfe thread.txt")
    result = _cli("show", "--width", "80", os.fsdecode(path), env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines()[0] == "ÿþ thread.txt"
