"""Every sample parses to its hand-checked expected JSON (tests/expected/<stem>.json).

Regenerate with ``python tests/make_expected.py`` and read the diff by hand:
the expected files are the specification.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _support import EXPECTED, sample_paths
from make_expected import expected_for

from threadtui.model import thread_from_json

SAMPLES = sample_paths()


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 10


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_matches_expected(sample: Path) -> None:
    expected_file = EXPECTED / f"{sample.stem}.json"
    assert expected_file.is_file(), f"missing {expected_file}; run tests/make_expected.py"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert expected_for(sample) == expected


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_expected_reads_back(sample: Path) -> None:
    """The expected document is valid threadtui/1 and survives a round trip."""
    from threadtui.model import thread_to_json

    data = json.loads((EXPECTED / f"{sample.stem}.json").read_text(encoding="utf-8"))
    assert thread_to_json(thread_from_json(data)) == data


def test_no_orphan_expected_files() -> None:
    stems = {p.stem for p in SAMPLES}
    orphans = [p.name for p in EXPECTED.glob("*.json") if p.stem not in stems]
    assert orphans == []


# A few facts from the samples, spelled out so a regenerated expected file
# cannot quietly bless a regression in them.


def _load(stem: str) -> dict:
    path = EXPECTED / f"{stem}.json"
    if not path.is_file():
        pytest.skip(f"{path.name} not present")
    return json.loads(path.read_text(encoding="utf-8"))


def test_crlf_sample_has_no_carriage_returns() -> None:
    text = json.dumps(_load("07-chess-club-crlf"))
    assert "\\r" not in text


def test_partial_capture_date_is_kept() -> None:
    assert _load("06-birding-partial-date")["date"] == "2021-09"


def test_nested_quotes_three_deep() -> None:
    reply = _load("03-hiking-quotes")["replies"][3]
    quote = reply["blocks"][0]
    assert quote["author"] == "Rowan"
    assert quote["blocks"][0]["author"] == "fellwalker_jo"
    assert quote["blocks"][0]["blocks"][0]["author"] == "Sam Ellery"


def test_bracketed_names_are_authors() -> None:
    data = _load("12-markup-lookalikes")
    assert data["article"]["author"] == "[NL]Daan"
    assert [r["author"] for r in data["replies"]] == [
        "b[r]acket_bob",
        "[NL]Daan",
        "quietmode",
        "[NL]Daan",
    ]


def test_long_thread_numbers_are_consecutive() -> None:
    data = _load("13-long-thread")
    numbers = [r["number"] for r in data["replies"]]
    assert len(numbers) >= 300
    assert numbers == list(range(2, len(numbers) + 2))


def test_long_thread_is_what_its_generator_writes(tmp_path: Path) -> None:
    """samples/13 is made by bench/make_long_sample.py; the file and the script must agree."""
    import subprocess
    import sys

    from _support import ROOT

    script = ROOT / "bench" / "make_long_sample.py"
    sample = ROOT / "samples" / "13-long-thread.txt"
    if not (script.is_file() and sample.is_file()):
        pytest.skip("generator or long sample not present")
    out = tmp_path / "long.txt"
    subprocess.run([sys.executable, str(script), str(out)], check=True, timeout=60)
    assert out.read_bytes() == sample.read_bytes()
