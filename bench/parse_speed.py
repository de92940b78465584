"""How fast is the text-dump parser, beside a bare ``str.splitlines()`` pass?

Writes a large dump in the seed's format (about 30 MB: 100,000 replies with
headers, quotes, nested quotes, attachments, links and trailers; standard
library only, deterministic) to a temporary folder, then times in the same
run:

* baseline: ``text.splitlines()`` over the decoded text;
* parse: ``threadtui.parsing.parse_bytes`` on the file's bytes (decode + parse).

Prints MB/s for both and the ratio. Issue 2's target: parse at >= 1/5 of the
baseline's speed.

Usage: python bench/parse_speed.py [--replies 100000] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

NBSP = "\u00a0"
TARGET = 1 / 5
NAMES = ["beijingwalker", "Zoë_bakes", "Sam Ellery", "山田はなこ", "مريم", "[NL]Daan", "kettle"]
RANKS = ["Registered Member", "Senior Member", "Moderator", "New member"]
WORDS = (
    "the a of and to in is that it was for on are with as his they be at one have this from "
    "or had by hot word but what some we can out other were all there when up use your how "
    "said an each she which do their time if will way about many then them write would like "
    "so these her long make thing see him two has look more day could go come did number "
    "Beijing Pentagon “guardrails” café naïve 茶 😀 — – … ’"
).split()
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(4, 12))
    return " ".join(words).capitalize() + rng.choice(".!?.")


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))


def build(replies: int, seed: int = 7) -> str:
    """The whole dump as one string (deterministic for a given seed)."""
    rng = random.Random(seed)
    title = "US seeks meeting with China defense minister after being spurned"
    out = [" date 2023-05-06 What's new", "", title, "", NAMES[0], "", NAMES[0], "", title, ""]
    out += ["  • Peter Martin - Bloomberg News", "  • May 4, 2023"]
    for _ in range(8):
        out += [_paragraph(rng), ""]
    out += ["U.S. Ambassador to China calls for resumption of high-level talks", ""]
    earlier: list[tuple[str, str]] = [(NAMES[0], _sentence(rng))]
    for n in range(2, replies + 2):
        out.append(NBSP)
        name = rng.choice(NAMES)
        style = rng.random()
        if style > 0.2:  # a header: name (maybe twice), rank, stats, date with number
            out += [name] * rng.randint(1, 2)
            if rng.random() < 0.6:
                out.append(rng.choice(RANKS))
            if rng.random() < 0.3:
                out += [
                    f"Joined: {rng.choice(MONTHS)} {rng.randint(1, 28)}, 2015",
                    f"Messages: {rng.randint(1, 20000):,}",
                ]
            day = 1 + n % 28
            out.append(
                rng.choice(
                    [
                        f"May {day}, 2023 #{n}",
                        f"2023-05-{day:02d}",
                        f"{day} May 2023 at 7:{n % 60:02d} AM Post #{n} of {replies + 1}",
                    ]
                )
            )
        if rng.random() < 0.25:
            who, text = rng.choice(earlier)
            if rng.random() < 0.2:
                inner_who, inner = rng.choice(earlier)
                out += [
                    f"{who} said:",
                    f"{inner_who} said:",
                    inner,
                    "Click to expand...",
                    text,
                    "Click to expand...",
                ]
            elif rng.random() < 0.15:
                out += [f"{who} said:", text, ""]
            else:
                out += [f"{who} said:", text, "Click to expand..."]
        first = ""
        for k in range(rng.randint(1, 4)):
            para = _paragraph(rng)
            first = first or para
            if k:
                out.append("")
            out.append(para)
        if rng.random() < 0.1:
            out += ["", "", f"{rng.randint(10**12, 10**13)}.png"]
        if rng.random() < 0.05:
            out += ["", f"https://example.org/t/{n}"]
        if rng.random() < 0.15:
            out += ["", f"Reactions: {rng.choice(NAMES)}, {rng.choice(NAMES)} and 3 others"]
        if len(earlier) < 500:
            earlier.append((name, first[:200]))
    out += [NBSP, ""]
    return "\n".join(out)


def _best(fn, repeat: int) -> tuple[float, float]:  # noqa: ANN001
    """Fastest of ``repeat`` runs: (wall seconds, CPU seconds of this process).

    On a shared machine the CPU time is the steadier figure: other processes
    stretch the wall time, not the work done.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return min(walls), min(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one parse")
    args = parser.parse_args()

    from threadtui.parsing import parse_bytes

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big-thread.txt"
        path.write_text(build(args.replies), encoding="utf-8", newline="\n")
        data = path.read_bytes()
    mb = len(data) / 1e6
    text = data.decode("utf-8")
    print(f"dump: {mb:.1f} MB, {text.count(chr(10)):,} lines, {args.replies:,} replies")

    base, base_cpu = _best(text.splitlines, args.repeat)
    thread = parse_bytes(data, source="big-thread.txt")
    parse, parse_cpu = _best(lambda: parse_bytes(data, source="big-thread.txt"), args.repeat)
    print(f"parsed: {thread.reply_count:,} replies")
    print(
        f"str.splitlines: {mb / base:8.1f} MB/s  ({base * 1000:.0f} ms; CPU {base_cpu * 1000:.0f} ms)"
    )
    print(
        f"parse_bytes:    {mb / parse:8.1f} MB/s  ({parse * 1000:.0f} ms; CPU {parse_cpu * 1000:.0f} ms)"
    )
    ratio = base / parse
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"ratio: 1/{1 / ratio:.1f} of splitlines speed ({verdict} the 1/5 target); "
          f"by CPU time 1/{parse_cpu / base_cpu:.1f}")  # fmt: skip

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(parse_bytes, data, source="big-thread.txt")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
