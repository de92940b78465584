"""``threadtui search``: output, every flag, exit statuses, grep's pattern syntax, colour,
hostile text kept harmless."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regex
from _support import REALDATA, SAMPLES, run_cli, sample_paths

from threadtui import cli
from threadtui.cli import search as search_module
from threadtui.cli.search import cmd_search
from threadtui.cli.search_output import use_colour
from threadtui.library import discover
from threadtui.parsing import ParseError, parse_path
from threadtui.search import ThreadIndex, compile_query
from threadtui.search import folder as folder_module
from threadtui.search.folder import PARALLEL_MIN_FILES
from threadtui.search.grep import PatternError, bre_to_regex, build_query, ere_to_regex
from threadtui.search.hits import FolderHit
from threadtui.search.prefilter import prefilter_fallbacks

HIT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<title>.*):#(?P<number>\d+): (?P<text>.*)$")
SGR = re.compile(r"\x1b\[[0-9;]*m")

#: A file no reader takes: every search reports it (an empty file it passes over).
BINARY = bytes(range(256)) * 64


def search(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    """Run ``threadtui search ARGS`` in-process: (status, stdout lines, stderr)."""
    status = cmd_search(list(args))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def expected_hits(paths: list[str], text: str, **options: bool) -> list[tuple[str, int]]:
    """(file, post number) of every match, from the reader's own in-thread search."""
    query = compile_query(text, **options)
    out: list[tuple[str, int]] = []
    for path in discover(paths):
        thread = parse_path(path)
        replies = [p for p, _ in thread.walk_replies()]
        result = ThreadIndex(thread).search(query)
        assert result is not None
        for k in range(len(result)):
            hit = result.hit(k)
            number = 1 if hit.location < 0 else replies[hit.location].number
            out.append((path, number))
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three small threads in a folder tree, one of them in a subfolder."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(
        "Kettle descaling\n\nThe kettle is furred up.\n\u00a0\nbob\nJan 2, 2024 #2\n"
        "Vinegar works. A Straße of kettles.\n"
    )
    (tmp_path / "b.txt").write_text("Bread tins\n\nNothing about the thing here.\n")
    (tmp_path / "sub" / "c.txt").write_text(
        "Regex corner\n\nA literal a+b and (x) and a|b and a.b here; axb too.\n"
    )
    (tmp_path / "notes.bin").write_bytes(b"ignored: not a thread suffix")
    return tmp_path


# ----------------------------------------------------------------------------- output


def test_one_line_per_hit_with_file_title_post_number_and_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, lines, err = search(capsys, "ridge", str(SAMPLES))
    assert status == 0 and not err
    expected = expected_hits([str(SAMPLES)], "ridge", case_sensitive=True)
    assert len(lines) == len(expected) > 3
    for line, (path, number) in zip(lines, expected, strict=True):
        match = HIT_LINE.match(line)
        assert match, line
        assert match["file"] == path
        assert int(match["number"]) == number
        assert "ridge" in match["text"]
        assert parse_path(path).title.startswith(match["title"].rstrip("…"))


def test_folders_are_searched_recursively_and_only_thread_files(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    status, lines, _ = search(capsys, "-i", "a", str(folder))
    assert status == 0
    files = {HIT_LINE.match(line)["file"] for line in lines}  # type: ignore[index]
    assert files == {str(folder / "a.txt"), str(folder / "b.txt"), str(folder / "sub" / "c.txt")}


def test_default_path_is_the_current_folder(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    status, lines, _ = search(capsys, "Vinegar")
    assert status == 0
    assert [HIT_LINE.match(line)["number"] for line in lines] == ["2"]  # type: ignore[index]


def test_long_titles_are_clipped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("T" + "itle " * 40 + "\n\nbody word\n")
    _, lines, _ = search(capsys, "word", str(tmp_path))
    title = HIT_LINE.match(lines[0])["title"]  # type: ignore[index]
    assert len(title) == 60 and title.endswith("…")


# ----------------------------------------------------------------------------- flags


def test_case_sensitive_by_default_and_i_folds_fully(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    assert search(capsys, "KETTLE", str(folder))[0] == 1
    status, lines, _ = search(capsys, "-i", "KETTLE", str(folder))
    assert status == 0
    assert len(lines) == len(expected_hits([str(folder)], "kettle", case_sensitive=False)) == 3
    # Full case folding: STRASSE finds Straße (grep -i does not).
    assert search(capsys, "-i", "STRASSE", str(folder))[0] == 0
    assert search(capsys, "--ignore-case", "strasse", str(folder))[0] == 0


def test_w_matches_whole_words_only(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, lines, _ = search(capsys, "-i", "-w", "kettle", str(folder))
    assert status == 0
    assert len(lines) == len(
        expected_hits([str(folder)], "kettle", case_sensitive=False, whole_word=True)
    )
    assert len(lines) == 2  # not "kettles"
    assert search(capsys, "-w", "ettle", str(folder))[0] == 1
    assert search(capsys, "--word-regexp", "furred", str(folder))[0] == 0


def test_basic_extended_and_fixed_patterns(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    c = str(folder / "sub" / "c.txt")

    def count(*args: str) -> int:
        status, lines, _ = search(capsys, "-c", *args, c)
        assert status in (0, 1)
        return int(lines[0].rsplit(":", 1)[1])

    # BRE: + | ( ) are plain characters; \| is alternation; . is any character.
    assert count("a+b") == 1
    assert count("(x)") == 1
    assert count("a|b") == 1
    assert count(r"a\.b") == 1
    assert count("a.b") == 4  # a+b, a|b, a.b and axb
    assert count(r"Regex\|literal") == 2
    assert count(r"\(a\)\1") == 0
    assert count("-G", "a+b") == 1
    # ERE: + | ( ) are operators.
    assert count("-E", "a+b") == 0  # "ab", "aab"... none here
    assert count("-E", r"a\+b") == 1
    assert count("-E", "Regex|literal") == 2
    assert count("-E", r"\(x\)") == 1
    # Fixed strings: nothing is special.
    assert count("-F", "a.b") == 1
    assert count("--fixed-strings", "a|b") == 1


def test_several_patterns_with_e_or_line_breaks(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    status, lines, _ = search(capsys, "-e", "Vinegar", "-e", "furred", str(folder))
    assert status == 0 and len(lines) == 2
    status, lines2, _ = search(capsys, "Vinegar\nfurred", str(folder))
    assert lines2 == lines
    # -e lets a pattern start with a dash.
    (folder / "d.txt").write_text("Dash\n\nthe -v flag\n")
    assert search(capsys, "-e", "-v", str(folder))[0] == 0
    assert search(capsys, "-F", "-e", "-v", "-e", "zzz", str(folder))[0] == 0


def test_count_prints_every_file_with_its_number_of_matches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, lines, _ = search(capsys, "-c", "-i", "tea", str(SAMPLES))
    assert status == 0
    expected = expected_hits([str(SAMPLES)], "tea", case_sensitive=False)
    want = {str(p): 0 for p in sample_paths()}
    for path, _ in expected:
        want[path] += 1
    got = dict(line.rsplit(":", 1) for line in lines)
    assert {k: int(v) for k, v in got.items()} == want
    assert 0 in want.values() and any(v > 1 for v in want.values())


def test_files_with_matches(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = search(capsys, "-l", "-i", "tea", str(SAMPLES))
    assert status == 0
    expected = sorted({p for p, _ in expected_hits([str(SAMPLES)], "tea", case_sensitive=False)})
    assert lines == expected
    assert search(capsys, "-l", "zzz-nothing", str(SAMPLES))[:2] == (1, [])


def test_files_with_matches_stops_at_each_file_s_first_hit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = folder_module.folder_hit

    def counted(*fields: Any) -> FolderHit:
        made.append(fields[0])
        return real(*fields)

    monkeypatch.setattr(folder_module, "folder_hit", counted)
    status, lines, _ = search(capsys, "-l", "-i", "the", str(SAMPLES))
    assert status == 0 and len(lines) > 3
    assert made == lines  # one hit made per file with a match, however many it holds


def test_files_with_matches_is_the_one_pooled_search(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """-l is one search over all the files, shared out among the worker processes like
    any other (it used to search each file on its own, in this process)."""
    names = [tmp_path / f"t{n:03}.txt" for n in range(PARALLEL_MIN_FILES + 20)]
    for n, path in enumerate(names):
        body = "kettle and kettle again" if n % 3 == 0 else "nothing here"
        path.write_text(f"Thread {n}\n\n{body}\n")
    calls: list[bool] = []
    real_search = search_module.search_paths

    def one_search(*args: Any, **kwargs: Any) -> Iterator[object]:
        calls.append(kwargs.get("first_per_file", False))
        return real_search(*args, **kwargs)

    pooled: list[bool] = []
    real_map = folder_module.ordered_map

    def pool(fn: Any, tasks: Any, workers: int, **kwargs: Any) -> Any:
        watched = (pooled.append(task.first_per_file) or task for task in tasks)
        return real_map(fn, watched, workers, **kwargs)

    monkeypatch.setattr(search_module, "search_paths", one_search)
    monkeypatch.setattr(folder_module, "ordered_map", pool)
    # This test process may run threads of its own, and then search_paths never forks.
    monkeypatch.setattr(folder_module, "fork_workers", lambda _jobs: 2)
    status, lines, _ = search(capsys, "-l", "kettle", str(tmp_path))
    assert status == 0
    assert lines == [str(path) for n, path in enumerate(names) if n % 3 == 0]
    assert calls == [True]
    assert pooled and set(pooled) == {True}


def test_stats_show_the_prefilter_and_its_fallbacks(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    fallbacks = prefilter_fallbacks()  # this process's: other tests may have made some
    status, lines, err = search(capsys, "--stats", "-c", "kettle", str(folder))
    assert status == 0 and len(lines) == 3
    stats = f"files=3 errors=0 prefilter_needs=1 prefilter_fallbacks={fallbacks}"
    assert err == f"threadtui: search: {stats}\n"
    (folder / "image.txt").write_bytes(BINARY)
    _, _, err = search(capsys, "--stats", "-s", "[0-9][0-9]*", str(folder))
    # No literal text to look for: every file is parsed.
    stats = f"files=4 errors=1 prefilter_needs=0 prefilter_fallbacks={fallbacks}"
    assert err == f"threadtui: search: {stats}\n"
    assert search(capsys, "-s", "kettle", str(folder))[2] == ""  # nothing without --stats


def test_quiet_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert search(capsys, "-q", "ridge", str(SAMPLES)) == (0, [], "")
    assert search(capsys, "-q", "zzz-nothing", str(SAMPLES)) == (1, [], "")


# ----------------------------------------------------------------------------- exit statuses


def test_exit_status_zero_one_two(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    assert search(capsys, "kettle", str(folder))[0] == 0
    assert search(capsys, "zzz-nothing", str(folder))[0] == 1
    status, lines, err = search(capsys, "kettle", str(folder / "missing.txt"))
    assert (status, lines) == (2, [])
    assert err == f"threadtui: {folder / 'missing.txt'}: no such file\n"


def test_an_unreadable_file_makes_the_status_2_even_with_matches_as_grep(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "image.txt").write_bytes(BINARY)
    status, lines, err = search(capsys, "kettle", str(folder))
    assert status == 2
    assert len(lines) == 2  # the matches are still printed
    assert err == f"threadtui: {folder / 'image.txt'}: binary file, not a text thread\n"
    # -s hides the message, not the status; -q with a match gives 0 (GNU grep's rule).
    assert search(capsys, "-s", "kettle", str(folder))[::2] == (2, "")
    assert search(capsys, "-q", "kettle", str(folder))[0] == 0
    assert search(capsys, "-q", "zzz-nothing", str(folder))[0] == 2
    # -c gives no count for the file it could not read.
    _, counts, _ = search(capsys, "-c", "kettle", str(folder))
    assert not any("image.txt" in line for line in counts)


@pytest.mark.parametrize(
    "args",
    [
        ["-E", "("],
        ["a\\{x\\}"],
        ["[abc"],
        ["[:alpha:]"],
        ["a\\"],
        [""],
        ["-e", ""],
        [],
        ["-E", "-F", "x"],
        ["--color=sometimes", "x"],
        ["--no-such-flag", "x"],
    ],
)
def test_bad_patterns_and_usage_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], folder: Path
) -> None:
    status, lines, err = search(capsys, *args, str(folder)) if args else search(capsys)
    assert status == 2
    assert lines == []
    assert err.strip()


def test_a_rejected_argument_is_shown_with_placeholders(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    """A file name from a shell glob that argparse takes for an unknown option."""
    status, lines, err = search(capsys, "kettle", str(folder), "--\x1b]0;PWN\x07.txt")
    assert (status, lines) == (2, [])
    assert "\x1b" not in err and "\x07" not in err
    assert "unrecognized arguments: --␛]0;PWN␇.txt" in err


def test_help_documents_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = search(capsys, "--help")
    text = "\n".join(lines)
    assert status == 0
    needles = ("-i", "-w", "-E", "-F", "-c", "-l", "-q", "--color", "--stats", "Exit status")
    for needle in (*needles, "NO_COLOR", "prefilter_fallbacks"):
        assert needle in text


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("threadtui.cli.search.search_paths", interrupted)
    assert cli.main(["search", "x", str(SAMPLES)]) == 130


def test_end_to_end_exit_statuses() -> None:
    assert run_cli("search", "ridge", str(SAMPLES)).returncode == 0
    assert run_cli("search", "zzz-nothing", str(SAMPLES)).returncode == 1
    missing = run_cli("search", "x", "/nonexistent/folder")
    assert missing.returncode == 2
    assert missing.stderr == b"threadtui: /nonexistent/folder: no such file\n"


# ----------------------------------------------------------------------------- grep syntax


# Patterns that exercise each rule; GNU grep itself says what they should match.
GREP_PATTERNS = [
    ("G", "a+b"), ("G", r"a\+b"), ("G", "a?"), ("G", r"a\?b"), ("G", "a|b"), ("G", r"a\|x"),
    ("G", "(x)"), ("G", r"\(a\)\1"), ("G", r"a\{2\}"), ("G", r"a\{,2\}b"), ("G", "a{2}"),
    ("G", "*star"), ("G", "star*"), ("G", r"\(*a\)"), ("G", "^^"), ("G", "^caret"), ("G", "a^b"),
    ("G", "r$"), ("G", "$x"), ("G", "end$x"), ("G", "[br]"), ("G", "[]]"), ("G", "[^a-z]"),
    ("G", r"[\]"), ("G", "[[:digit:]]"), ("G", "[[:alpha:]]*1"), ("G", "a.b"), ("G", r"a\.b"),
    ("G", r"\w\W"), ("G", r"\<bo"), ("G", r"ry\>"), ("G", r"\bb"), ("G", r"\{1\}"),
    ("G", "a**"), ("G", r"a\{1\}\{2\}"), ("G", r"back\\slash"), ("G", "-"), ("G", "[a-]"),
    ("E", "a+b"), ("E", r"a\+b"), ("E", "a|b"), ("E", "(x)"), ("E", r"\(x\)"), ("E", "x)"),
    ("E", "a{2}"), ("E", "a{,2}b"), ("E", "a{x"), ("E", "{1}"), ("E", "(a)\\1"), ("E", "a+?"),
    ("E", "a{1}{2}"), ("E", "+a"), ("E", "a|*b"), ("E", "^caret|r$"), ("E", "[|]"), ("E", "a$*"),
    ("E", "(ab)+"), ("E", "a\\b*"), ("E", "[[:upper:]]"), ("E", "b{0}a"),
]  # fmt: skip
GREP_LINES = [
    "a+b", "aab", "a{2}", "aa", "(x)", "x", "a|b", "|", "*star", "star*", "^caret", "a^b", "$x",
    "end$x", "[br]", "]", "back\\slash", "word boundary", "foo.bar", "a.b", "axb", "abab", "aaa",
    "1", "a1", "A1", "{1}", "-", "ax", "bob", "ferry", "Regex", "AB", "a?", "ab?",
]  # fmt: skip


def _gnu_grep() -> str:
    grep = shutil.which("grep")
    if grep is None:
        pytest.skip("no grep to compare with")
    version = subprocess.run([grep, "--version"], capture_output=True, text=True).stdout
    if "GNU grep" not in version:
        pytest.skip("grep is not GNU grep")
    return grep


@pytest.mark.parametrize(("mode", "pattern"), GREP_PATTERNS)
def test_patterns_match_the_lines_gnu_grep_matches(mode: str, pattern: str, tmp_path: Path) -> None:
    grep = _gnu_grep()
    corpus = tmp_path / "lines.txt"
    corpus.write_text("\n".join(GREP_LINES) + "\n")
    run = subprocess.run(
        [grep, "-n", f"-{mode}", "-e", pattern, str(corpus)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert run.returncode in (0, 1), run.stderr
    by_grep = [GREP_LINES[int(line.split(":", 1)[0]) - 1] for line in run.stdout.splitlines()]
    translated = (ere_to_regex if mode == "E" else bre_to_regex)(pattern)
    compiled = regex.compile(translated, regex.MULTILINE | regex.V0)
    by_us = [
        line for line in GREP_LINES if any(m.end() > m.start() for m in compiled.finditer(line))
    ]
    # Our search never reports an empty match, so a line grep matches only through one
    # ("a?" on "x") is missing here; the expression must still match it (emptily).
    assert set(by_us) <= set(by_grep), (translated, set(by_us) - set(by_grep))
    for line in set(by_grep) - set(by_us):
        assert compiled.search(line) is not None, (translated, line)


@pytest.mark.parametrize(
    ("mode", "pattern"),
    [("G", "[abc"), ("G", r"\(a"), ("G", r"a\)"), ("G", r"a\{1"), ("G", r"a\{2,1\}"),
     ("G", "[:space:]"), ("G", "[[:nope:]]"), ("E", "(a"), ("E", "a{}"), ("G", r"\1"),
     ("E", "(a)\\2"), ("G", "a\\")],
)  # fmt: skip
def test_patterns_grep_refuses_are_refused(mode: str, pattern: str) -> None:
    grep = shutil.which("grep")
    if grep is not None:
        run = subprocess.run(
            [grep, f"-{mode}", "-e", pattern, os.devnull], capture_output=True, text=True
        )
        assert run.returncode == 2, f"grep accepts {pattern!r}"
    with pytest.raises(PatternError):
        (ere_to_regex if mode == "E" else bre_to_regex)(pattern)


def test_a_pattern_without_operators_is_a_plain_query() -> None:
    assert not build_query(["kettle"]).is_regex
    assert not build_query(["a+b|(c)"]).is_regex  # plain characters in a BRE
    assert build_query(["a+b"], extended=True).is_regex
    assert not build_query(["a.b"], fixed=True).is_regex
    assert build_query(["a", "b"], fixed=True).is_regex
    assert build_query(["x"], ignore_case=True).case_sensitive is False
    assert build_query(["X"]).case_sensitive is True


# ----------------------------------------------------------------------------- colour


def test_colour_always_highlights_and_never_and_pipes_are_plain(folder: Path) -> None:
    plain = run_cli("search", "kettle", str(folder))
    assert b"\x1b" not in plain.stdout and plain.stdout
    never = run_cli("search", "--color=never", "kettle", str(folder))
    assert never.stdout == plain.stdout
    coloured = run_cli("search", "--color=always", "kettle", str(folder))
    text = coloured.stdout.decode()
    assert "\x1b[" in text
    # The match itself is styled, and taking the styles away gives the plain output.
    assert re.search(r"\x1b\[[0-9;]*31[0-9;]*mkettle\x1b\[0m", text)
    assert SGR.sub("", text) == plain.stdout.decode()
    assert run_cli("search", "--colour", "always", "kettle", str(folder)).stdout == coloured.stdout


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """Run ``threadtui ARGS`` with its stdout on a pseudo-terminal; return what it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "threadtui", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks)


def test_colour_on_a_terminal_unless_no_color_or_dumb(folder: Path) -> None:
    args = ["search", "kettle", str(folder)]
    clean = {"NO_COLOR": "", "TERM": "xterm-256color"}
    assert b"\x1b[" in _on_a_terminal(args, clean)
    assert b"\x1b" not in _on_a_terminal(args, {**clean, "NO_COLOR": "1"})
    assert b"\x1b" not in _on_a_terminal(args, {**clean, "TERM": "dumb"})
    assert b"\x1b[" in _on_a_terminal(["search", "--color=always", *args[1:]], {"NO_COLOR": "1"})


def test_use_colour_rules() -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    tty = Tty()
    assert use_colour("auto", tty, {})  # type: ignore[arg-type]
    assert not use_colour("auto", tty, {"NO_COLOR": "1"})  # type: ignore[arg-type]
    assert use_colour("auto", tty, {"NO_COLOR": ""})  # type: ignore[arg-type]  # empty: unset
    assert not use_colour("auto", tty, {"TERM": "dumb"})  # type: ignore[arg-type]
    assert use_colour("always", tty, {"NO_COLOR": "1"})  # type: ignore[arg-type]
    assert not use_colour("never", tty, {})  # type: ignore[arg-type]

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert not use_colour("auto", Pipe(), {})  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- hostile text

HOSTILE = (
    "Title \x1b]0;pwned\x07 with \u202egnp.exe and \x9b31m C1\n\n"
    "needle \x1b[2J\x1b[31m red \x1b[0m\x00 \x08\x08 \u2028 \u200b \ud800?\n\n"
    + "Enough plain words that the controls above do not make it look binary. "
    * 40
)


def _assert_terminal_safe(data: bytes, *, colour: bool) -> None:
    text = data.decode("utf-8")  # valid UTF-8: no raw C1 bytes, no lone surrogates
    if colour:
        text = SGR.sub("", text)
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0]
    assert not bad, bad
    assert "\u202e" not in text and "\u2028" not in text and "\u200b" not in text


@pytest.mark.parametrize("colour", ["never", "always"])
def test_hostile_names_titles_and_text_reach_the_terminal_as_placeholders(
    tmp_path: Path, colour: str
) -> None:
    (tmp_path / "evil\x1b[31m\nname.txt").write_bytes(HOSTILE.encode("utf-8", "surrogatepass"))
    (tmp_path / "bad\x1b]0;x\x07.txt").write_bytes(BINARY)  # an error line names it
    run = run_cli("search", f"--color={colour}", "needle", str(tmp_path))
    assert run.returncode == 2  # a match, and an unreadable (binary) file
    _assert_terminal_safe(run.stdout, colour=colour == "always")
    _assert_terminal_safe(run.stderr, colour=False)
    out = run.stdout.decode()
    assert out.count("\n") == 1  # the newline in the file name did not split the hit line
    assert "␛" in out and "⟨U+202E⟩" in out and "needle" in out
    assert "␛" in run.stderr.decode()


def test_a_non_utf8_stdout_gets_escapes_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Tea ☕ thread\n\nneedle ☕ and ␛\n")
    run = subprocess.run(
        [sys.executable, "-m", "threadtui", "search", "needle", str(tmp_path)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert b"needle \\u2615" in run.stdout


# ----------------------------------------------------------------------------- real data


def test_real_dumps_count_as_the_reader_counts(capsys: pytest.CaptureFixture[str]) -> None:
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} not present")
    files = list(discover([str(REALDATA)]))
    assert files
    for word in ("the", "Reply"):
        status, lines, err = search(capsys, "-c", "-i", word, str(REALDATA))
        assert status in (0, 2)
        got = {path: int(n) for path, n in (line.rsplit(":", 1) for line in lines)}
        for path in files:
            try:
                thread = parse_path(path)
            except ParseError:
                assert path not in got
                assert path in err
                continue
            result = ThreadIndex(thread).search(compile_query(word, case_sensitive=False))
            assert result is not None
            assert got[path] == len(result), path
        assert any(got.values())
    # Every printed line is safe for a terminal.
    run = run_cli("search", "--color=always", "-i", "the", str(REALDATA))
    _assert_terminal_safe(run.stdout, colour=True)
    _assert_terminal_safe(run.stderr, colour=False)


def test_search_names_a_folder_it_cannot_list_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """grep's way: one line for the unreadable folder, the other hits still printed, status 2."""
    import os

    from threadtui.library import folders

    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "t.txt").write_text("A kettle thread\n\nalice\n\nThe kettle sang.\n")
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "u.txt").write_text("Another kettle\n\nbob\n\nkettle\n")
    real_scandir = os.scandir

    def deny(path):  # we run as root here, so chmod cannot shut a folder
        if os.fspath(path) == str(closed):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(folders.os, "scandir", deny)
    assert cli.main(["search", "kettle", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "t.txt" in out and "u.txt" not in out
    assert err.splitlines() == [f"threadtui: {closed}: permission denied"]
    assert cli.main(["search", "-s", "kettle", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ""


def test_search_passes_over_empty_files_in_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty file holds no match and nothing is wrong with it: no line, and status 0."""
    for i in range(50):
        (tmp_path / f"empty{i}.txt").write_bytes(b"" if i % 2 else b" \n\n")
    (tmp_path / "t.txt").write_text("A kettle thread\n\nalice\n\nThe kettle sang.\n")
    assert cli.main(["search", "kettle", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.count("kettle") >= 1
    assert cli.main(["search", "-c", "kettle", str(tmp_path)]) == 0
    counts = capsys.readouterr().out.splitlines()
    assert len(counts) == 51 and sum(line.endswith(":0") for line in counts) == 50
