"""The head-rule table: each rule taking its kind of line and leaving others, silent
answers that change nothing, and first-character hints that never skip a rule."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

import pytest
from _dump_strategies import HEAD_WORDS, head_lines, spellings
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.model import Byline
from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump import head_rules
from threadtui.parsing.text_dump.head import HEAD_RULES, Head, HeadRule, read_head

TITLE = "A thread title"
RULES = {rule.name: rule for rule in HEAD_RULES}
FIELDS = ("author", "date", "title", "number", "byline")


@dataclass
class Case:
    """Rule ``rule`` on ``lines[0]`` in a head set up as said: it takes ``taken`` lines,
    leaves the fields ``fields`` and sets ``chrome`` aside."""

    rule: str
    lines: list[str]
    taken: int = 1
    fields: dict[str, Any] = field(default_factory=dict)
    chrome: list[str] = field(default_factory=list)
    opening: bool = False
    known: dict[str, Any] = field(default_factory=dict)  # fields known before the line

    def head(self) -> Head:
        h = Head(SiteChrome(), TITLE, self.opening)
        for name, value in self.known.items():
            setattr(h, name, value)
        h.lines = self.lines
        return h

    def __str__(self) -> str:
        return f"{self.rule}: {self.lines[0]!r}"


def _no(rule: str, *lines: str, **setup: Any) -> Case:
    return Case(rule, list(lines), taken=0, **setup)


ALICE = {"author": "alice"}
TAKES = [
    Case("title again", [TITLE], opening=True),
    Case("author again", ["alice"], known=ALICE),
    Case("site label", ["What's new"], chrome=["What's new"]),
    Case("site label", ["log in REGISTER"], chrome=["log in REGISTER"]),
    Case("markdown author", ["#### alice"], fields={"author": "alice"}),
    Case("markdown author", ["## Reply #3"], fields={"number": 3}, chrome=["## Reply #3"]),
    Case("rank", ["Senior Member"], chrome=["Senior Member"]),
    Case("rank", ["##### Hop - AC8NS"], chrome=["##### Hop - AC8NS"]),
    Case("stats", ["Joined: Mar 3, 2019"], chrome=["Joined: Mar 3, 2019"]),
    Case("stats", ["Posts 3342"], chrome=["Posts 3342"], opening=True),
    Case("stats", ["Location", "", "Guangzhou"], taken=3, chrome=["Location", "Guangzhou"]),
    Case("stats", ["Joined", ""], taken=2, chrome=["Joined"], known=ALICE, opening=True),
    Case(
        "arrow header",
        ["Beren -> RE: subject (12/10/2011 5:56:36 PM)"],
        fields={
            "author": "Beren",
            "title": "RE: subject",
            "date": dates.normalise("12/10/2011 5:56:36 PM"),
        },
        chrome=["Beren -> RE: subject (12/10/2011 5:56:36 PM)"],
    ),
    Case(
        "post subject",
        ["Post subject: Rules"],
        fields={"title": "Rules"},
        chrome=["Post subject: Rules"],
    ),
    Case("post subject", ["Post subject:"], chrome=["Post subject:"]),
    Case(
        "posted",
        ["PostPosted: Wed Aug 08, 2007 7:52 pm"],
        fields={"date": dates.normalise("Wed Aug 08, 2007 7:52 pm")},
        chrome=["PostPosted: Wed Aug 08, 2007 7:52 pm"],
    ),
    Case(
        "thread starter",
        ["Thread starter bob"],
        fields={"author": "bob"},
        chrome=["Thread starter bob"],
        opening=True,
    ),
    Case(
        "thread starter",  # the name already known stays
        ["Thread Starter bob"],
        chrome=["Thread Starter bob"],
        opening=True,
        known=ALICE,
    ),
    Case(
        "start date",
        ["Start date May 4, 2023"],
        fields={"date": "2023-05-04"},
        chrome=["Start date May 4, 2023"],
        opening=True,
    ),
    Case("date", ["May 4, 2023"], fields={"date": "2023-05-04"}),
    Case(
        "date",
        ["May 4, 2023 at 7:19 AM #2"],
        fields={"date": dates.normalise("May 4, 2023 at 7:19 AM"), "number": 2},
        chrome=["May 4, 2023 at 7:19 AM #2"],
    ),
    Case("date", ["May 5, 2023"], chrome=["May 5, 2023"], known={"date": "2023-05-04"}),
    Case("date", ["March 2, 2018", "1,204"], chrome=["March 2, 2018"], known=ALICE),  # joined
    Case("post number", ["#2"], fields={"number": 2}, chrome=["#2"]),
    Case("post number", ["Post #3 of 30"], chrome=["Post #3 of 30"], known={"number": 2}),
    Case("message count", ["1,204"], chrome=["1,204"], known=ALICE),
    Case(
        "byline",
        ["• Peter Martin - Bloomberg News", "", "• May 4, 2023"],
        taken=3,
        fields={
            "byline": Byline(author="Peter Martin", publisher="Bloomberg News", date="2023-05-04")
        },
        opening=True,
    ),
    Case("byline", ["• May 4, 2023"], fields={"byline": Byline(date="2023-05-04")}, opening=True),
    Case("name", ["alice", "", "Senior Member"], fields={"author": "alice"}),
    Case("name", ["[NL]Daan", "Aug 12, 2024 #2"], fields={"author": "[NL]Daan"}),
    Case("name", ["[b]user[/b]", "", "[b]user[/b]"], fields={"author": "[b]user[/b]"}),
    Case("name", ["*user*", "Senior Member"], fields={"author": "*user*"}),
    Case("name", ["alice", TITLE], fields={"author": "alice"}, opening=True),
]
LEAVES = [
    _no("title again", TITLE),  # over a reply
    _no("title again", "Another title", opening=True),
    _no("author again", "alice"),
    _no("author again", "bob", known=ALICE),
    _no("site label", "What's new in Lisbon this spring"),
    _no("markdown author", "#### alice", known={"author": "bob"}),
    _no("markdown author", "# A title"),
    _no("markdown author", "##### Moderator"),
    _no("rank", "Senior Members meet on Fridays"),
    _no("rank", "#### alice"),
    _no("stats", "Location matters more than price"),
    _no("stats", "Location", "bob", opening=True),  # may be the opening post's author
    _no("arrow header", "Beren -> RE: subject (12/10/2011)", known=ALICE),
    _no("arrow header", "a -> b"),
    _no("post subject", "Post subjects are hard"),
    _no("posted", "Posted: whenever"),
    _no("posted", "Posted: Wed Aug 08, 2007 7:52 pm", known={"date": "2007-08-01"}),
    _no("thread starter", "Thread starter bob"),  # over a reply
    _no("start date", "Start date soon", opening=True),
    _no("start date", "Start date May 4, 2023"),
    _no("date", "Mayday is a song"),
    _no("date", "4 o'clock"),
    _no("post number", "#hashtag"),
    _no("post number", "Post #3 was right"),
    _no("message count", "1,204"),
    _no("message count", "12 monkeys", known=ALICE),
    _no("byline", "• Peter Martin - Bloomberg News", opening=True),  # no date bullet after it
    _no("byline", "• May 4, 2023"),
    _no("byline", "• May 4, 2023", opening=True, known={"byline": Byline(date="2023-05-04")}),
    _no("name", "alice", "Hello there, everyone."),
    _no("name", "A sentence that ends.", "Senior Member"),
    _no("name", "closes nothing]", "Senior Member"),
    _no("name", "* a list item", "Senior Member"),
    _no("name", "alice", "Senior Member", known={"author": "bob"}),
]


def _state(h: Head) -> tuple[object, ...]:
    return (*(getattr(h, name) for name in FIELDS), tuple(h.chrome.seen))


@pytest.mark.parametrize("case", TAKES + LEAVES, ids=str)
def test_a_rule_takes_its_lines_and_only_those(case: Case) -> None:
    h = case.head()
    before = {name: getattr(h, name) for name in FIELDS}
    assert RULES[case.rule].take(h, case.lines[0], 0, False) == case.taken
    after = {name: getattr(h, name) for name in FIELDS}
    assert {k: v for k, v in after.items() if v != before[k]} == case.fields
    assert list(h.chrome.seen) == case.chrome


@pytest.mark.parametrize("case", TAKES + LEAVES, ids=str)
def test_a_silent_rule_answers_and_changes_nothing(case: Case) -> None:
    h = case.head()
    before = _state(h)
    assert RULES[case.rule].take(h, case.lines[0], 0, True) == case.taken
    assert _state(h) == before


@pytest.mark.parametrize("case", TAKES, ids=str)
def test_the_table_hints_let_a_rule_try_every_line_it_takes(case: Case) -> None:
    known = case.known.get("author") is not None
    assert RULES[case.rule].may_take(case.lines[0][0], case.opening, known)


def test_every_rule_is_in_the_table_once_and_has_cases() -> None:
    signature = ["h", "line", "i", "silent"]
    functions = {
        fn
        for name, fn in inspect.getmembers(head_rules, inspect.isfunction)
        if fn.__module__ == head_rules.__name__
        and not name.startswith("_")
        and list(inspect.signature(fn).parameters) == signature
    }
    takes = [rule.take for rule in HEAD_RULES]
    assert sorted(takes, key=id) == sorted(functions, key=id)
    assert len(RULES) == len(HEAD_RULES)
    assert {c.rule for c in TAKES} == {c.rule for c in LEAVES} == set(RULES)


def test_the_order_is_the_documented_one() -> None:
    """The order is behaviour (the first rule that takes a line wins): a change to it
    must be a change to this list too."""
    assert [rule.name for rule in HEAD_RULES] == [
        "title again",
        "author again",
        "site label",
        "markdown author",
        "rank",
        "stats",
        "arrow header",
        "post subject",
        "posted",
        "thread starter",
        "start date",
        "date",
        "post number",
        "message count",
        "byline",
        "name",
    ]


def _read_without_hints(h: Head, lines: list[str], pos: int) -> int:
    """:func:`read_head` as the table defines it: every rule tried on every line."""
    h.lines = lines
    while pos < len(lines):
        if not lines[pos]:
            pos += 1
            continue
        taken = next((n for rule in HEAD_RULES if (n := rule.take(h, lines[pos], pos, False))), 0)
        if not taken:
            break
        pos += taken
    return pos


@settings(max_examples=1500, deadline=None)
@given(head_lines(), st.booleans(), st.sampled_from([None, "alice", "Senior Member"]))
def test_the_hints_skip_only_rules_that_would_say_no(
    lines: list[str], opening: bool, title: str | None
) -> None:
    title = lines[0] if lines and title == "alice" else title
    fast, slow = Head(SiteChrome(), title, opening), Head(SiteChrome(), title, opening)
    assert read_head(fast, lines, 0) == _read_without_hints(slow, lines, 0)
    assert _state(fast) == _state(slow)


@pytest.mark.parametrize("word", [*HEAD_WORDS, *sorted(L.CHROME | L.RANKS)])
def test_the_hints_admit_every_spelling_of_the_words_the_rules_look_up(word: str) -> None:
    for line in spellings(word):
        for after in ["", "bob", "May 4, 2023", line]:
            for opening in (False, True):
                for author in (None, "alice"):
                    fast, slow = (
                        Head(SiteChrome(), None, opening),
                        Head(SiteChrome(), None, opening),
                    )
                    fast.author = slow.author = author
                    lines = [line, after]
                    assert read_head(fast, lines, 0) == _read_without_hints(slow, lines, 0), line
                    assert _state(fast) == _state(slow)


def test_a_hint_is_characters_or_a_test() -> None:
    rule = HeadRule("x", head_rules.name, "#P")
    assert rule.may_take("#", False, False) and not rule.may_take("p", False, False)
    assert not HeadRule("x", head_rules.name, opening=True).may_take("a", False, False)
    assert not HeadRule("x", head_rules.name, author=True).may_take("a", True, False)
    assert HeadRule("x", head_rules.name, str.isdigit).may_take("٣", False, True)
