"""The scan begun before the UI: every row is handed out exactly once, in scan order."""

from __future__ import annotations

import time
from pathlib import Path

from threadtui.library import scan
from threadtui.library.early_scan import EarlyScan


def _folder(tmp_path: Path, count: int) -> Path:
    for i in range(count):
        (tmp_path / f"t{i:02}.txt").write_text(f"Thread {i}\nby someone\n\nA post.\n")
    return tmp_path


def _wait_ready(early: EarlyScan) -> tuple:
    deadline = time.monotonic() + 10
    while (first := early.ready()) is None:
        assert time.monotonic() < deadline, "the first batch never came"
        time.sleep(0.001)
    return first


def _paths(batches) -> list[str]:
    return [row.path for batch, _, _ in batches for row in batch]


def test_ready_then_iterate_hands_out_every_row_once(tmp_path):
    folder = _folder(tmp_path, 12)
    early = EarlyScan([str(folder)])
    first = _wait_ready(early)
    assert first[0], "the first batch holds the first file"
    assert first[2] == 12, "the total is known from the first batch"
    assert early.ready() is None, "the first batch is handed out once"
    rest = list(early)
    assert _paths([first, *rest]) == _paths(scan([str(folder)]))
    assert rest[-1][1:] == (12, 12)


def test_iterating_alone_gives_every_row(tmp_path):
    folder = _folder(tmp_path, 5)
    early = EarlyScan([str(folder)])
    batches = list(early)
    assert sorted(_paths(batches)) == sorted(str(p) for p in folder.iterdir())
    assert early.ready() is None


def test_empty_folder(tmp_path):
    early = EarlyScan([str(tmp_path)])
    assert [b for b, _, _ in early] == [[]]


def test_shares_its_cache(tmp_path):
    from threadtui.library import ThreadCache

    cache = ThreadCache()
    assert EarlyScan([str(tmp_path)], cache).cache is cache
