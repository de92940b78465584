"""Hostile and broken input, without a terminal: placeholders, sizes, nesting, JSON depth.

The terminal side (the real reader and ``show`` on a pty) is in
``tests/ui/test_terminal_bytes.py``; the reader's panes in
``tests/ui/test_hostile_reader.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from _accounting import unaccounted
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.cli import main
from threadtui.files import MAX_BYTES, read_bytes
from threadtui.library import ThreadCache, scan
from threadtui.model import Paragraph, Quote, Thread, thread_to_json
from threadtui.parsing import ParseError, parse_bytes, parse_path
from threadtui.parsing.common.decode import decode
from threadtui.parsing.json import native as threadtui_json
from threadtui.safe import one_line, safe_text, visible
from threadtui.view.render import thread_lines

NBSP = "\u00a0"
HEAD = "A thread title\n\nalice\n\nalice\n\n"

# ------------------------------------------------------------------ safe.visible

#: Format characters that are drawn as visible signs (Unicode's Prepended_Concatenation_Mark).
PREPENDED_MARKS = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2}
PREPENDED_MARKS |= {0x110BD, 0x110CD}
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _unsafe(char: str) -> bool:
    code = ord(char)
    return (
        char != "\n"
        and unicodedata.category(char) in UNSAFE_CATEGORIES
        and code not in PREPENDED_MARKS
    )


def test_every_control_format_and_surrogate_code_point_is_made_visible() -> None:
    """All of C0, C1, DEL, format characters (bidi, zero-width, tags...) and lone surrogates."""
    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if _unsafe(chr(code)) and visible(chr(code)) == chr(code)
    ]
    assert missed == []


def test_placeholders_for_the_usual_suspects() -> None:
    assert visible("\x1b[2J") == "␛[2J"
    assert visible("\x00\x07\x7f") == "␀␇␡"
    assert visible("\x9b31m") == "⟨U+009B⟩31m"
    assert visible("\u202eevil\u202c") == "⟨U+202E⟩evil⟨U+202C⟩"
    assert visible("a\u200bb\u2066c") == "a⟨U+200B⟩b⟨U+2066⟩c"
    assert visible("tab\there") == "tab    here"


def test_a_non_utf8_file_name_byte_is_shown_as_that_byte() -> None:
    name = os.fsdecode(b"caf\xe9 \xff.txt")  # how Python hands over a latin-1 name
    assert visible(name) == "caf⟨0xE9⟩ ⟨0xFF⟩.txt"
    assert one_line(name).encode("utf-8")  # encodable: no surrogate left
    text = safe_text(name)
    assert text.plain == "caf⟨0xE9⟩ ⟨0xFF⟩.txt"
    assert [(s.start, s.end) for s in text.spans] == [(3, 9), (10, 16)]  # both styled


def test_emoji_sequences_and_flags_stay_whole() -> None:
    for emoji in ("👩\u200d🍳", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"):
        assert visible(emoji) == emoji
    assert visible("a\u200db") == "a⟨U+200D⟩b"


_ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_visible_leaves_nothing_unsafe_and_is_stable(text: str) -> None:
    shown = visible(text)
    flag_or_emoji = set()
    for i, char in enumerate(shown):
        if _unsafe(char):
            flag_or_emoji.add(char)
            # Only a ZWJ between pictographs or a tag inside a flag may stay.
            assert char == "\u200d" or 0xE0020 <= ord(char) <= 0xE007F, (shown, i)
    assert visible(shown) == shown
    assert "\n" not in one_line(text)
    shown.encode("utf-8")  # never a lone surrogate


# ------------------------------------------------------------------ markup stays literal

MARKUP = "[bold]b[/] [link=http://x]l[/link] [@click=app.quit]q[/] [ \\[x] [red"


def test_markup_lookalikes_render_literally(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(
        f"{MARKUP} title\n\nalice\n\nalice\n\n{MARKUP} body\n{NBSP}\nbob\nMay 4, 2023 #2\n"
        f"{MARKUP} reply\n"
    )
    thread = parse_path(path)
    plain = [line.plain.strip() for line in thread_lines(thread, 100)]
    for where in ("title", "body", "reply"):
        assert f"{MARKUP} {where}" in plain
    assert main(["show", "--width", "100", str(path)]) == 0
    out = capsys.readouterr().out
    for where in ("title", "body", "reply"):
        assert f"{MARKUP} {where}" in out


@pytest.mark.parametrize("width", [1, 2, 3])
def test_tiny_widths_keep_wide_characters(width: int) -> None:
    thread = parse_bytes(f"T\n\nalice\n\nalice\n\n茶 tea\n{NBSP}\nbob\n茶 reply\n".encode())
    drawn = "".join(line.plain for line in thread_lines(thread, width))
    assert drawn.count("茶") == 2


# ------------------------------------------------------------------ sizes


def test_one_megabyte_single_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    words = "word " * 200_000
    path = tmp_path / "one-line.txt"
    path.write_text(HEAD + words + "\n", encoding="utf-8")
    thread = parse_path(path)
    assert thread.article.blocks == (Paragraph(words.strip()),)
    lines = list(thread_lines(thread, 80))
    assert sum(len(line.plain.split()) for line in lines) >= 200_000
    assert max(line.cell_len for line in lines) <= 80
    assert main(["show", "--width", "80", str(path)]) == 0
    assert capsys.readouterr().out.count("word") == 200_000


def test_one_megabyte_without_a_space_folds(tmp_path: Path) -> None:
    path = tmp_path / "one-word.txt"
    path.write_text(HEAD + "x" * 1_000_000 + "\n", encoding="utf-8")
    lines = list(thread_lines(parse_path(path), 80))
    assert sum(line.plain.count("x") for line in lines) == 1_000_000
    assert max(line.cell_len for line in lines) <= 80


DEPTH = 100_000


def _deep_said(depth: int) -> str:
    """``u0 said:`` ... ``u99999 said:`` then the innermost text, then every end marker."""
    opens = "".join(f"u{i} said:\n" for i in range(depth))
    return HEAD + opens + "the innermost words\n" + "Click to expand...\n" * depth + "after\n"


def _deep_gt(depth: int) -> str:
    reply = f"{NBSP}\nbob\nMay 4, 2023 #2\n"
    return HEAD + ">" * depth + " the innermost words\n" + reply + ">" * depth + " x\n"


def _depth_of(block: object) -> int:
    depth = 0
    while isinstance(block, Quote):
        depth += 1
        block = block.blocks[0]
    return depth


def test_deep_said_quotes_parse_without_recursion() -> None:
    thread = parse_bytes(_deep_said(DEPTH).encode(), source="deep.txt")
    assert _depth_of(thread.article.blocks[0]) == DEPTH


def test_deep_said_quotes_lose_nothing() -> None:
    """The accounting is quadratic in quote authors: checked at a depth it can afford."""
    text = _deep_said(1_000)
    assert unaccounted(text, parse_bytes(text.encode(), source="deep.txt")) == []


@pytest.fixture(scope="module")
def deep_gt() -> tuple[str, Thread]:
    text = _deep_gt(DEPTH)
    return text, parse_bytes(text.encode(), source="deep.txt")


def test_deep_gt_quotes_parse_and_render(deep_gt: tuple[str, Thread]) -> None:
    text, thread = deep_gt
    assert _depth_of(thread.article.blocks[0]) == DEPTH
    assert _depth_of(thread.replies[0].blocks[0]) == DEPTH
    assert unaccounted(text, thread) == []
    for width in (40, 200):
        plain = "\n".join(line.plain for line in thread_lines(thread, width))
        assert "the innermost words" in plain
        assert f"▎{DEPTH} " in plain  # the depth is shown as a number, not 100,000 bars


def test_deep_quotes_json_round_trip() -> None:
    thread = parse_bytes((HEAD + ">" * DEPTH + " the innermost words\n").encode())
    text = threadtui_json.dumps(thread)
    again = parse_bytes(text.encode(), source="deep.json")
    assert again.title == "A thread title"  # read as JSON, not as a one-line dump
    block = again.article.blocks[0]
    assert _depth_of(block) == DEPTH
    for _ in range(DEPTH):
        block = block.blocks[0]  # type: ignore[union-attr]
    assert block == Paragraph("the innermost words")


def test_deep_quotes_show(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "deep.txt"
    path.write_text(_deep_gt(DEPTH), encoding="utf-8")
    assert main(["show", "--width", "80", str(path)]) == 0
    assert capsys.readouterr().out.count("the innermost words") == 1


def test_deep_quotes_parse_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "deep.txt"
    depth = 5_000  # already past what json.dumps can nest
    path.write_text(_deep_gt(depth), encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    doc = capsys.readouterr().out
    assert _depth_of(parse_bytes(doc.encode()).replies[0].blocks[0]) == depth


def test_deeply_nested_brackets_are_text_or_one_clean_error() -> None:
    brackets = "[" * DEPTH + "]" * DEPTH
    assert parse_bytes(brackets.encode()).title == brackets  # not our JSON: a one-line dump
    with pytest.raises(ParseError) as info:
        parse_bytes(('{"schema": "threadtui/1", "a": ' + "[" * DEPTH).encode())
    assert str(info.value) == "invalid JSON: Expecting value at line 1"


# ------------------------------------------------------------------ the JSON encoder and decoder

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.sampled_from([None, 0, 1, 2, 4]))
def test_deep_encoder_and_decoder_agree_with_json(data: object, indent: int | None) -> None:
    """The iterative fallbacks are the json module, minus the recursion."""
    expected = json.dumps(data, ensure_ascii=False, indent=indent)
    assert threadtui_json.encode_deep(data, indent) == expected
    assert threadtui_json.decode_deep(expected) == json.loads(expected)
    ascii_doc = json.dumps(data, indent=indent)
    assert threadtui_json.decode_deep(ascii_doc) == json.loads(ascii_doc)


@pytest.mark.parametrize(
    "doc",
    ["", "[", "[1,]", '{"a" 1}', '{"a": 1,}', "[1 2]", '"\\x"', "nul", "{} x", '{"a": [}', "-"],
)
def test_deep_decoder_rejects_what_json_rejects(doc: str) -> None:
    with pytest.raises(json.JSONDecodeError) as ours:
        threadtui_json.decode_deep(doc)
    with pytest.raises(json.JSONDecodeError) as theirs:
        json.loads(doc)
    assert ours.value.msg == theirs.value.msg


def test_pretty_printing_deep_json_stays_bounded() -> None:
    """Indenting 100,000 levels in full would be gigabytes of spaces: indentation stops growing."""
    depth = 5_000  # beyond what json.dumps can nest, so the fallback runs
    thread = parse_bytes((HEAD + ">" * depth + " the innermost words\n").encode())
    text = threadtui_json.dumps(thread, 2)
    widest = max(len(line) - len(line.lstrip(" ")) for line in text.splitlines())
    assert widest == 2 * threadtui_json.MAX_INDENT_DEPTH
    assert threadtui_json.dumps(parse_bytes(text.encode())) == threadtui_json.dumps(thread)


def test_a_folder_of_20000_files_scans_with_progress(tmp_path: Path) -> None:
    count = 20_000
    for i in range(count):
        (tmp_path / f"t{i:05d}.txt").write_bytes(b"Thread %d\n\nposter\n\nposter\n\nHi.\n" % i)
    (tmp_path / "z-huge.txt").write_bytes(b"")
    os.truncate(tmp_path / "z-huge.txt", 2**30)
    batches = list(scan([str(tmp_path)], ThreadCache()))
    assert len(batches[0][0]) == 1  # the first row goes out at once
    assert {total for _, _, total in batches} == {count + 1}
    done = [seen for _, seen, _ in batches]
    assert done == sorted(done) and done[-1] == count + 1
    rows = [row for batch, _, _ in batches for row in batch]
    assert len(rows) == count + 1
    assert [row.name for row in rows if row.error] == ["z-huge.txt"]


# ------------------------------------------------------------------ too large, growing


def test_a_huge_file_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(2**30)  # sparse: no gigabyte is written or allocated
    import threadtui.files as files

    def no_read(*args: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(files.os, "read", no_read)
    monkeypatch.setattr(files.os, "open", no_read)
    with pytest.raises(ParseError) as info:
        read_bytes(path)
    assert str(info.value) == "file too large (1,024 MiB; the limit is 256 MiB)"


def test_the_size_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ParseError, match="file too large"):
        read_bytes(path)


def test_huge_file_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(2**30)
    assert main(["parse", str(path)]) == 1
    assert main(["show", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"threadtui: {path}: file too large (1,024 MiB; the limit is 256 MiB)"] * 2


def test_a_file_that_grows_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stat says small, but the read goes on past the limit: it stops there and refuses."""
    import threadtui.files as files

    path = tmp_path / "growing.txt"
    path.write_bytes(HEAD.encode() + b"x" * 5000)
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 500, *st[7:]))

    monkeypatch.setattr(files.os, "stat", lambda p: small_fstat(os.open(p, os.O_RDONLY)))
    monkeypatch.setattr(files.os, "fstat", small_fstat)
    with pytest.raises(ParseError, match="file grew too large while being read"):
        read_bytes(path)


def test_a_file_shorter_than_stat_said_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threadtui.files as files

    path = tmp_path / "short.txt"
    data = HEAD.encode() + b"body\n"
    path.write_bytes(data)
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert read_bytes(path) == data


# ------------------------------------------------------------------ text that is not quite text


def test_escapes_and_controls_in_content_are_kept_in_the_model() -> None:
    text = HEAD + "CSI \x1b[2J OSC \x1b]52;c;eA==\x07 C1 \x9b1m bidi \u202e end\n"
    thread = parse_bytes(text.encode(), source="x.txt")
    assert thread.article.blocks == (Paragraph(text.splitlines()[-1]),)
    assert unaccounted(text, thread) == []


def test_a_short_text_thread_with_escapes_and_a_nul_is_still_text() -> None:
    text = HEAD + "Colour \x1b[31mred\x1b[0m, title \x1b]0;x\x07, and a NUL \x00 here.\n"
    thread = parse_bytes(text.encode(), source="x.txt")
    assert "\x00" in thread.article.blocks[0].text  # type: ignore[union-attr]


def test_a_real_binary_is_still_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    with pytest.raises(ParseError, match="binary file"):
        parse_bytes(png)


@pytest.mark.parametrize(
    "data,encoding",
    [
        (("\ufeff" + HEAD + "café\n").encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + (HEAD + "café\n").encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + (HEAD + "café\n").encode("utf-16-be"), "utf-16-be"),
        ((HEAD + "caf\u00e9 \u201cquoted\u201d\n").encode("cp1252"), "cp1252"),
        ((HEAD + "caf\u00e9 \x81\n").encode("latin-1"), "latin-1"),
        ((HEAD + "café\n").encode() + "naïve \u201cx\u201d\n".encode("cp1252"), "mixed"),
    ],
)
def test_encodings_are_named_in_json_and_the_header(data: bytes, encoding: str) -> None:
    thread = parse_bytes(data, source="enc.txt")
    assert thread.encoding.startswith(encoding)
    assert thread_to_json(thread)["encoding"] == thread.encoding
    header = [line.plain for line in thread_lines(thread, 80)][1]
    if encoding not in ("utf-8-sig",):
        assert thread.encoding in header
    assert unaccounted(decode(data).text, thread) == []


def test_a_bom_that_lies_is_one_clean_error() -> None:
    with pytest.raises(ParseError, match="byte-order mark"):
        parse_bytes(b"\xff\xfe" + b"\x00\xd8")  # UTF-16 LE BOM, then a lone high surrogate


# ------------------------------------------------------------------ every error, one line


def _error_cases(tmp: Path) -> list[tuple[Path, str]]:
    """(path, cause) for every error parse and show can report about a file."""
    cases: list[tuple[Path, str]] = []

    def case(name: str, data: bytes | None, cause: str) -> None:
        path = tmp / name
        if data is not None:
            path.write_bytes(data)
        cases.append((path, cause))

    case("missing.txt", None, "no such file")
    cases.append(
        (tmp / "empty.txt" / "below.txt", "no such file (a part of the path is not a folder)")
    )
    case("empty.txt", b" \n\t\n", "empty file")
    case("bom-only.txt", b"\xef\xbb\xbf\n", "empty file")
    case(
        "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file, not a text thread"
    )
    case(
        "lying-bom.txt",
        b"\xff\xfe\x00\xd8",
        "starts with a utf-16-le byte-order mark but is not utf-16-le: unexpected end of data",
    )
    case(
        "broken.json",
        b'{"schema": "threadtui/1", "title": ',
        "invalid JSON: Expecting value at line 1",
    )
    case(
        "wrong.json",
        b'{"schema": "threadtui/1", "title": 5}',
        "not a valid threadtui/1 document: 'title' must be a string",
    )
    (tmp / "folder").mkdir()
    cases.append((tmp / "folder", "is a folder"))
    huge = tmp / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BYTES + 2**20)
    cases.append((huge, "file too large (257 MiB; the limit is 256 MiB)"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp / "pipe.txt")
        cases.append((tmp / "pipe.txt", "not a regular file"))
    if os.name == "posix":
        (tmp / "loop.txt").symlink_to(tmp / "loop.txt")
        cases.append((tmp / "loop.txt", "symbolic link loop"))
        (tmp / "dangling.txt").symlink_to(tmp / "nowhere.txt")
        cases.append((tmp / "dangling.txt", "no such file"))
    return cases


def test_every_file_error_is_one_line_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The error table of docs/hostile-input.md, executed: each cause, from parse and from show."""
    for path, cause in _error_cases(tmp_path):
        for command in ("parse", "show"):
            assert main([command, str(path)]) == 1, (command, path)
            out, err = capsys.readouterr()
            assert out == ""
            assert err == f"threadtui: {path}: {cause}\n", (command, path)


def test_parse_goes_on_after_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good = tmp_path / "good.txt"
    good.write_text(HEAD + "Hello.\n")
    assert main(["parse", str(tmp_path / "missing.txt"), str(good)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["title"] == "A thread title"
    assert err.count("\n") == 1


def test_reader_refuses_a_missing_path_with_status_2(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nowhere \x1b]0;x\x07"
    assert main([str(missing)]) == 2
    assert (
        capsys.readouterr().err == f"threadtui: {tmp_path}/nowhere ␛]0;x␇: no such file or folder\n"
    )


@pytest.mark.parametrize("width", ["0", "-5"])
def test_show_with_a_width_under_one(tmp_path: Path, capsys, width: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(HEAD + "Hello there.\n")
    try:
        status = main(["show", "--width", width, str(path)])
    except SystemExit as exc:  # argparse refusing it is fine too
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert (status == 2 and err.count("\n") <= 2) or (status == 0 and "Hello there." in out)


@pytest.mark.parametrize("command", ["parse", "show"])
def test_a_stdout_that_cannot_encode_the_text(tmp_path: Path, command: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(HEAD + "Café ☕ and 茶.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "threadtui", command, str(path)],
        capture_output=True,
        timeout=30,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert b"Traceback" not in result.stderr
    assert result.returncode == 0
