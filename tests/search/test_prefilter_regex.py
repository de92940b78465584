"""The prefilter's one adapter over ``regex._regex_core``, pinned to the ``regex`` releases
pyproject.toml allows.

The adapter (:func:`threadtui.search.prefilter.parse_regex`) reads a private API. These
tests hold what it reads, node by node, for patterns that take each of its paths, so a
``regex`` release that changes those internals fails here, loudly, instead of quietly
costing every regular-expression search its prefilter. When one does: read the
release's ``_regex_core``, mend the adapter, and widen the bound in pyproject.toml.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import regex

from threadtui.search import prefilter
from threadtui.search.anchors import RegexNode
from threadtui.search.folder import FolderHit, search_paths
from threadtui.search.query import compile_query

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _allowed() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The ``regex>=LOW,<HIGH`` bound of pyproject.toml's dependencies."""
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    (spec,) = [d for d in dependencies if re.match(r"regex\b", d)]
    match = re.fullmatch(r"regex>=([\d.]+),<([\d.]+)", spec.replace(" ", ""))
    assert match, f"update this test for the new form of the bound: {spec!r}"
    return _version(match[1]), _version(match[2])


def test_the_installed_regex_is_one_pyproject_allows() -> None:
    low, high = _allowed()
    assert low <= _version(regex.__version__) < high, (
        f"regex {regex.__version__} is outside {low}..{high}: the tests below pin the "
        "internals the prefilter reads for the allowed releases only"
    )


def _shape(node: RegexNode) -> str:
    """A node and its children in one line: ``Kind(attributes)[children]``."""
    marks = []
    if node.char is not None:
        marks.append(repr(chr(node.char)))
    if node.case_flags:
        marks.append(f"case={node.case_flags}")
    if not node.positive:
        marks.append("negated")
    if node.zerowidth:
        marks.append("zerowidth")
    if node.min_count is not None:
        marks.append(f"min={node.min_count}")
    if node.fuzzy:
        marks.append("fuzzy")
    text = node.kind + (f"({','.join(marks)})" if marks else "")
    if node.children:
        text += "[" + ", ".join(_shape(child) for child in node.children) + "]"
    return text


IGNORE = int(regex.IGNORECASE)
FOLD = int(regex.IGNORECASE | regex.FULLCASE)

#: (pattern, case-sensitive, the tree the adapter must give, the needs' texts, field-local)
CASES = [
    ("ab", True, "Sequence[Character('a'), Character('b')]", [("ab",)], True),
    (
        "ab",
        False,
        f"Sequence[Character('a',case={FOLD}), Character('b',case={FOLD})]",
        [("ab",)],
        True,
    ),
    # An inline flag: the module stops its parse, and it is parsed again with the flag.
    (
        "(?i)Ab",
        True,
        f"Sequence[Character('A',case={IGNORE}), Character('b',case={IGNORE})]",
        [("Ab",)],
        True,
    ),
    ("(?x) a b # c", True, "Sequence[Character('a'), Character('b')]", [("ab",)], True),
    (
        "a(b|cd)+e?",
        True,
        "Sequence[Character('a'), GreedyRepeat(min=1)[Group[Branch[Sequence[Character('b')], "
        "Sequence[Character('c'), Character('d')]]]], GreedyRepeat(min=0)[Character('e')]]",
        [("a",), ("b", "cd")],
        True,
    ),
    (
        "(?>x)y{2,}?z*+",
        True,
        "Sequence[Atomic[Sequence[Character('x')]], LazyRepeat(min=2)[Character('y')], "
        "PossessiveRepeat(min=0)[Character('z')]]",
        [("y",), ("x",)],
        True,
    ),
    (
        r"(?:painted|oiled) the rusty \w+",
        True,
        "Sequence[Branch[Sequence["
        + ", ".join(f"Character({c!r})" for c in "painted")
        + "], Sequence["
        + ", ".join(f"Character({c!r})" for c in "oiled")
        + "]], "
        + ", ".join(f"Character({c!r})" for c in " the rusty ")
        + ", GreedyRepeat(min=1)[Property]]",
        [
            ("painted the rusty", "oiled the rusty"),
            ("the rusty",),
            ("rusty",),
            ("painted", "oiled"),
            ("the",),
        ],
        True,
    ),
    ("q[^u]", True, "Sequence[Character('q'), Character('u',negated)]", [("q",)], True),
    ("a[bc]", True, "Sequence[Character('a'), SetUnion[Character('b'), Character('c')]]", [("a",)], True),
    ("a(?=b)", True, "Sequence[Character('a'), LookAround[Sequence[Character('b')]]]", [("a",)], False),
    (r"\Aab", True, "Sequence[StartOfString, Character('a'), Character('b')]", [("ab",)], False),
    (r"^ab$", True, "Sequence[StartOfLine, Character('a'), Character('b'), EndOfLine]", [("ab",)], True),
    ("(?:ab){e<=1}", True, "Sequence[Fuzzy(fuzzy)[Sequence[Character('a'), Character('b')]]]", [], False),
    (
        "(a)?(?(1)a|b)",
        True,
        "Sequence[GreedyRepeat(min=0)[Group[Sequence[Character('a')]]], "
        "Conditional[Sequence[Character('a')], Sequence[Character('b')]]]",
        [],
        False,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "case", "shape", "needs", "local"), CASES)
def test_the_adapter_reads_the_parse_the_prefilter_was_written_for(
    pattern: str, case: bool, shape: str, needs: list[tuple[str, ...]], local: bool
) -> None:
    before = prefilter.prefilter_fallbacks()
    query = compile_query(pattern, is_regex=True, case_sensitive=case)
    parsed = prefilter.parse_regex(query)
    assert parsed is not None, "the adapter could not read the regex module's parse"
    assert _shape(parsed.tree) == shape
    assert parsed.flags & regex.MULTILINE
    got = [tuple(anchor.text for anchor in need) for need in prefilter.prefilter_for(query).needs]
    assert got == needs
    assert prefilter.field_local(query) is local
    assert prefilter.prefilter_fallbacks() == before


def test_the_verbose_flag_is_read_from_the_pattern() -> None:
    parsed = prefilter.parse_regex(compile_query("(?x) a b", is_regex=True))
    assert parsed is not None and parsed.flags & regex.VERBOSE


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """The adapter's answers are cached per query: start and end with none."""

    def clear() -> None:
        for cached in (prefilter.parse_regex, prefilter.prefilter_for, prefilter.field_local):
            cached.cache_clear()

    clear()
    yield
    clear()


def test_a_parse_it_cannot_read_is_counted_logged_and_searched_in_full(
    fresh_caches: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    """What a ``regex`` release that renamed its classes would do: no prefilter and no
    search view (every file parsed in full, the same hits), and it shows."""
    path = tmp_path / "t.txt"
    path.write_text("Kettle notes\n\nThe kettle is furred up; descale the kettle.\n")
    query = compile_query("kettle|descale", is_regex=True)
    expected = [h for h in search_paths([str(path)], query) if isinstance(h, FolderHit)]
    assert len(expected) == 4  # the title too: smart case
    prefilter.parse_regex.cache_clear()
    prefilter.prefilter_for.cache_clear()
    prefilter.field_local.cache_clear()
    before = prefilter.prefilter_fallbacks()
    renamed = SimpleNamespace(Sequence=None)  # a module without the classes we read
    monkeypatch.setattr(prefilter, "import_module", lambda _name: renamed)
    with caplog.at_level(logging.DEBUG, logger="threadtui.search.prefilter"):
        assert prefilter.prefilter_for(query).needs == ()
        assert prefilter.field_local(query) is False
        hits = [h for h in search_paths([str(path)], query) if isinstance(h, FolderHit)]
    assert hits == expected
    assert prefilter.prefilter_fallbacks() == before + 1  # once per query: the parse is cached
    assert any("kettle|descale" in r.getMessage() for r in caplog.records), caplog.records
