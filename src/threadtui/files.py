"""The only code that opens a user's file: read-only, never blocking, never a FIFO or device.

Everything that reads a thread file comes through here (the parsers, the folder
scan, the folder search), so what we promise a user's files is kept in one place:
nothing is written, moved, locked or re-stamped; only regular files are opened;
a huge file is refused before it fills memory. Failures raise :class:`ParseError`,
whose text is the one line a user sees.
"""

from __future__ import annotations

import errno
import os
import stat as _stat

from threadtui.errors import ParseError

#: Larger files are refused with a clear message instead of filling memory:
#: a thread dump this size is almost surely something else.
MAX_BYTES = 256 * 1024 * 1024


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, read-only, refusing non-regular files and huge ones.

    Only a regular file is ever opened (a FIFO would block, a device could
    act on being opened), and the open is checked again on the descriptor,
    so a file swapped for something else between the two is still refused.

    Raises:
        ParseError: with the user-facing reason (missing, permission, FIFO, size).
    """
    fd, expected = open_regular(path)
    try:
        data = _read_all(fd, expected.st_size)
    except OSError as exc:
        raise _os_error(exc, missing="file vanished while being read") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ParseError(_too_large(len(data), grew=True))
    return data


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A read-only descriptor of a regular file, and its ``fstat``; the caller closes it.

    The open never blocks (``O_NONBLOCK``: a FIFO swapped in after the ``stat``
    cannot hang it) and never makes a terminal ours (``O_NOCTTY``); the kind and
    size are checked on the path first and again on the descriptor.

    Raises:
        ParseError: with the user-facing reason (missing, permission, FIFO, size).
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc, missing="no such file") from None
    _check_kind(st)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc, missing="file vanished while being read") from None
    try:
        expected = os.fstat(fd)
        _check_kind(expected)
    except (OSError, ParseError) as exc:
        os.close(fd)
        if isinstance(exc, ParseError):
            raise
        raise _os_error(exc, missing="file vanished while being read") from None
    return fd, expected


def _read_all(fd: int, expected: int) -> bytes:
    """Read to the end: one call and one buffer when the file is as large as stat said."""
    first = os.read(fd, expected + 1)
    if len(first) == expected:
        return first
    # Shorter (truncated meanwhile, or a file system that reads in parts) or longer
    # (it is growing): read on, but never past the limit.
    chunks = [first]
    size = len(first)
    while size <= MAX_BYTES:
        chunk = os.read(fd, min(MAX_BYTES + 1 - size, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


#: Read size: large enough that a 30 MB dump takes a handful of calls.
_CHUNK = 16 * 2**20


def _check_kind(st: os.stat_result) -> None:
    if _stat.S_ISDIR(st.st_mode):
        raise ParseError("is a folder")
    if not _stat.S_ISREG(st.st_mode):
        # Opening a FIFO would block forever; devices and sockets are not threads.
        raise ParseError("not a regular file")
    if st.st_size > MAX_BYTES:
        raise ParseError(_too_large(st.st_size))


def _too_large(size: int, *, grew: bool = False) -> str:
    what = "file grew too large while being read" if grew else "file too large"
    return f"{what} ({size / 2**20:,.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"


#: OS errors a user meets on a folder of files, in words rather than strerror's.
_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "no such file (a part of the path is not a folder)",
    errno.EIO: "input/output error (a failing disk or network file system)",
}


def _os_error(exc: OSError, *, missing: str) -> ParseError:
    """The user-facing cause for an OS error on a thread file."""
    return ParseError(os_cause(exc, missing=missing))


def os_cause(exc: OSError, *, missing: str) -> str:
    """An OS error in a user's words (``missing``: what to say when the path is not there).

    The one wording for a file that cannot be read, a folder that cannot be walked
    (:mod:`threadtui.library.folders`) and a path the reader cannot open.
    """
    if isinstance(exc, FileNotFoundError):
        return missing
    if exc.errno == errno.ENAMETOOLONG and not _name_too_long(exc.filename):
        return "path too long"  # every name fits: the whole path is over PATH_MAX
    cause = _CAUSES.get(exc.errno or 0)
    if cause is None:
        text = exc.strerror or str(exc) or type(exc).__name__
        cause = text[:1].lower() + text[1:]
    return cause


#: The longest name a folder entry can have (NAME_MAX on Linux, macOS and the BSDs).
_NAME_MAX = 255


def _name_too_long(filename: object) -> bool:
    """Whether one name in the path is too long, rather than the path as a whole.

    Unknown (no file name in the error): say so, as the system's own message does.
    """
    if not isinstance(filename, str | bytes):
        return True
    parts = os.fsencode(filename).split(b"/")
    return any(len(part) > _NAME_MAX for part in parts)


def source_name(path: str | os.PathLike[str]) -> str:
    """``path`` as text that any UTF-8 stream can carry.

    A name that is not valid UTF-8 keeps its odd bytes as ``\\xff`` escapes
    (Python's surrogate escapes cannot be written to JSON or a strict stream).
    """
    name = os.fsdecode(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def stem(source: str) -> str:
    """The file name without its suffix: the title of a thread that names none.

    Only ``/`` separates folders: a backslash in a name is part of the name (and
    :func:`source_name` writes undecodable bytes as ``\\xe9`` escapes).
    """
    name = source.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else (name or "(untitled)")
