"""The seed dump parses to exactly what issue 2 specifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _support import run_cli, seed_path

from threadtui.cli import main
from threadtui.model import Attachment, Link, Paragraph, Thread, thread_to_json
from threadtui.parsing import parse_path

TITLE = "US seeks meeting with China defense minister after being spurned"


@pytest.fixture(scope="module")
def seed() -> Thread:
    return parse_path(seed_path())


def test_title_once_and_capture_date(seed: Thread) -> None:
    assert seed.title == TITLE
    assert seed.date == "2023-05-06"
    assert "What's new" in seed.site_chrome
    # The repeated title is a heading, not body text.
    texts = [getattr(b, "text", "") for b in seed.article.blocks]
    assert TITLE not in texts
    assert seed.format == "text-dump"
    assert seed.encoding == "utf-8"


def test_article_head(seed: Thread) -> None:
    article = seed.article
    assert article.number == 1
    assert article.author == "beijingwalker"
    assert article.byline is not None
    assert article.byline.author == "Peter Martin"
    assert article.byline.publisher == "Bloomberg News"
    assert article.byline.date == "2023-05-04"


def test_article_body(seed: Thread) -> None:
    blocks = seed.article.blocks
    assert [type(b) for b in blocks] == [Paragraph] * 8 + [Link]
    first = blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text.startswith("WASHINGTON — The Pentagon")
    assert blocks[-1] == Link(
        "U.S. Ambassador to China calls for resumption of high-level talks", None
    )
    # Paragraphs are single lines in the seed: no stray breaks or surrounding spaces.
    for block in blocks[:8]:
        assert isinstance(block, Paragraph)
        assert "\n" not in block.text
        assert block.text == block.text.strip()


def test_replies(seed: Thread) -> None:
    assert [r.number for r in seed.replies] == [2, 3, 4, 5]
    assert all(r.author is None for r in seed.replies)
    assert all(r.replies == () for r in seed.replies)
    assert seed.replies[0].blocks == (
        Paragraph(
            "Obviously, China is telling other countries that China will not compromise with US imperialism."
        ),
    )
    assert seed.replies[-1].blocks == (
        Paragraph("And then there were none."),
        Paragraph("Very funny."),
        Attachment("1694406968291.png"),
    )


def test_parse_command_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = seed_path()
    assert main(["parse", str(path)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    lines = out.out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["schema"] == "threadtui/1"
    assert data["source"] == str(path)
    assert data["title"] == TITLE
    assert data["article"]["byline"] == {
        "author": "Peter Martin",
        "publisher": "Bloomberg News",
        "date": "2023-05-04",
    }
    assert data == thread_to_json(parse_path(path))


def test_parse_command_indent() -> None:
    path = seed_path()
    result = run_cli("parse", "--indent", "2", str(path))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert text.count("\n") > 50
    assert text.startswith('{\n  "schema": "threadtui/1"')
    compact = run_cli("parse", str(path)).stdout.decode("utf-8")
    assert json.loads(text) == json.loads(compact)


def test_round_trip_through_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = seed_path()
    assert main(["parse", str(path)]) == 0
    first = json.loads(capsys.readouterr().out)
    saved = tmp_path / "seed.json"
    saved.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")

    again = parse_path(saved)
    # source, format and encoding are kept from the document, not from the .json file.
    assert thread_to_json(again) == first
    assert again == parse_path(path)
    assert again.format == "text-dump"
