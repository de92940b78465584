"""In-thread search in the real reader: keystroke to highlights, and to the final count.

Starts ``threadtui`` in tmux on a folder holding only the generated
100,000-reply dump, opens the search bar, types each query in one burst and
polls the pane until (a) a match is drawn highlighted and (b) the bar shows
the final ``k/N``. Beside it, the floor measured in the same run: a plain
``re.finditer`` over the dump's text, and our own search off the UI
(``ThreadIndex.search``), and a plain keystroke's repaint in the same reader
(``k``/``j`` in the reply pane with the bar open and empty), so the highlight
latency can be read against what any repaint costs on this machine now.

Issue 4's targets: visible highlights within 50 ms and the count within 200 ms
of the last keystroke.

    .venv/bin/python bench/search_reader_bench.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_inputs import BIG_TITLE, big_thread  # noqa: E402
from reader_bench import THREADTUI, Tmux, focus_replies, key_repaints  # noqa: E402

from threadtui.parsing import parse_path  # noqa: E402
from threadtui.search import ThreadIndex, compile_query  # noqa: E402

COUNT_RE = re.compile(
    r"(?:(\d[\d,]*)/([\d,]+)(?: · ([\d,]+) in folded replies)?|no matches)\s*$", re.M
)
MATCH_BG = ("48;5;221", "48;5;161")  # the match and current-match backgrounds in 256 colours
QUERIES = [
    ("common word", "the"),
    ("rare word", "zebra-last-reply"),
    ("author name", "Ines Marlowe"),
    ("regex-free miss", "zzqxj"),
]


def _capture_e(tmux: Tmux) -> str:
    return tmux._tmux("capture-pane", "-e", "-p", "-t", "run")


def measure(tmux: Tmux, query: str) -> tuple[float, float, str]:
    """(ms to first highlight on screen, ms to the final count, the count text)."""
    tmux.keys("C-u")
    tmux.wait(lambda s: not COUNT_RE.search(s.splitlines()[-2]), 5, "the bar to clear")
    time.sleep(0.3)
    t0 = tmux.keys("-l", query)
    highlight = count = None
    text = ""
    deadline = t0 + 20
    while (highlight is None or count is None) and time.perf_counter() < deadline:
        screen = _capture_e(tmux)
        now = time.perf_counter()
        if highlight is None and any(code in screen for code in MATCH_BG):
            highlight = now
        if highlight is None and "no matches" in screen:
            highlight = now  # nothing to highlight: the bar saying so is the repaint
        plain = tmux.capture()
        bar = plain.splitlines()[-2] if len(plain.splitlines()) > 1 else ""
        found = COUNT_RE.search(bar)
        if count is None and found and query.lower() in bar.lower():
            count, text = now, found.group(0).strip()
    if highlight is None or count is None:
        raise RuntimeError(f"no result for {query!r}:\n{tmux.capture()}")
    return (highlight - t0) * 1000, (count - t0) * 1000, text


def plain_keys(tmux: Tmux, reps: int) -> list[float]:
    """ms from ``k``/``j`` in the reply pane to the repaint, the search bar open and empty."""
    tmux.keys("C-u")
    tmux.wait(lambda s: not COUNT_RE.search(s.splitlines()[-2]), 5, "the bar to clear")
    focus_replies(tmux)
    return key_repaints(tmux, ("j", "k"), reps)


def floor(path: Path, query: str) -> tuple[float, float, int]:
    """(ms for re.finditer over the dump's text, ms for ThreadIndex.search, matches)."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    t0 = time.perf_counter()
    n = sum(1 for _ in pattern.finditer(text))
    plain = (time.perf_counter() - t0) * 1000
    index = ThreadIndex(parse_path(str(path)))
    t0 = time.perf_counter()
    result = index.search(compile_query(query))
    ours = (time.perf_counter() - t0) * 1000
    assert result is not None
    return plain, ours, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="generate the dump here (reused when present)")
    args = parser.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="threadtui-search-bench-"))
    folder = base / "search-big"
    dump = folder / "big.txt"
    if not dump.exists():
        folder.mkdir(parents=True, exist_ok=True)
        big_thread(str(dump))
    size_mb = dump.stat().st_size / 1e6
    print(f"dump: {dump} ({size_mb:.1f} MB)")

    tmux = Tmux()
    try:
        t0 = tmux.start([*THREADTUI, str(folder)], str(base))
        tmux.wait(lambda s: BIG_TITLE[:30] in s and "Replies (" in s, 60, "the big thread")
        print(f"thread on screen after {time.perf_counter() - t0:.2f} s")
        # Typed at once after /: the first count waits for the index to be built.
        t_open = tmux.keys("/")
        tmux.keys("-l", "the")
        tmux.wait(lambda s: bool(COUNT_RE.search(s.splitlines()[-2])), 30, "the first count")
        print(f"/ then 'the' typed at once: first count after {time.perf_counter() - t_open:.2f} s")
        rows = []
        for label, query in QUERIES:
            highlights, counts = [], []
            text = ""
            for _ in range(args.runs):
                h, c, text = measure(tmux, query)
                highlights.append(h)
                counts.append(c)
            plain, ours, n = floor(dump, query)
            rows.append((label, query, text, highlights, counts, plain, ours, n))
        keys = plain_keys(tmux, max(args.runs, 5))
        key_ms = statistics.median(keys)
        for label, query, text, highlights, counts, plain, ours, n in rows:
            print(
                f"{label:12} {query!r:20} bar {text!r:28} "
                f"highlight {statistics.median(highlights):6.1f} ms "
                f"({min(highlights):.1f}-{max(highlights):.1f}), "
                f"count {statistics.median(counts):6.1f} ms ({min(counts):.1f}-{max(counts):.1f}) | "
                f"floor re.finditer {plain:6.1f} ms ({n:,} raw), ThreadIndex.search {ours:6.1f} ms"
                f" | highlight {statistics.median(highlights) / key_ms:.1f}x the j/k repaint"
            )
        print(
            f"baseline: j/k in the reply pane (bar open, empty) to repaint {key_ms:.1f} ms "
            f"({min(keys):.1f}-{max(keys):.1f}, {len(keys)} keys)"
        )
        tmux.stop()
    finally:
        tmux.close()


if __name__ == "__main__":
    main()
