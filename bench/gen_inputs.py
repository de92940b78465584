"""Generate the scale inputs of issue 3 ("Scale, by design"), deterministically (stdlib only).

* :func:`big_thread` — one dump of 100,000 replies, about 30 MB, in the seed's text-dump format.
  The first reply holds :data:`FIRST_MARKER`, the last reply :data:`LAST_MARKER`; the title is
  :data:`BIG_TITLE` (all three appear nowhere else).
* :func:`big_folder` — 10,000 small dumps (3-20 replies each) with varied titles and dates.

Usage: python bench/gen_inputs.py OUTDIR [--replies 100000] [--threads 10000] [--seed 3]
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import datetime, timedelta

NBSP = "\u00a0"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

BIG_TITLE = "Mammoth megathread of one hundred thousand replies"
FIRST_MARKER = "ALPACA-FIRST-REPLY"
LAST_MARKER = "ZEBRA-LAST-REPLY"

NAMES = (
    "Wrenna Coll|sidingsam|Theo Blackett|kettle_steam|Marisol V|oldgaugeron|Pip Harrow|ferrule"
    "|Agnes Toft|loopline_lu|Cosmo Dray|harbourlight|fellwalker_jo|Sam Ellery|Rowan|quillfeather"
    "|Dana Okafor|moss_and_mortar|Ines Marlowe|Tomasz Reyes"
).split("|")
NOUNS = (
    "kettle|allotment|ridge path|signal box|bike lane|sourdough starter|telescope|chess clock"
    "|knitting pattern|tea caddy|goods shed|compost heap|lens cap|footbridge|loading bay"
    "|seed tray|barometer|rowing boat|bread tin|lantern"
).split("|")
ADJECTIVES = (
    "old|new|muddy|quiet|crooked|patched|borrowed|shiny|rusty|famous|tiny|enormous|second-hand"
    "|weathered|temperamental"
).split("|")
VERBS = (
    "fixed|painted|measured|replaced|photographed|rebuilt|cleaned|weighed|borrowed|moved"
    "|tested|sanded|oiled|labelled|inspected"
).split("|")
TOPICS = (
    "Council|Bakery|Hiking|Retro|Allotment|Birding|Chess|Knitting|Cycling|Tea|Astronomy"
    "|Model rail|Rowing|Pottery|Beekeeping"
).split("|")
FILLER = (
    "honestly|apparently|in the end|after all|as usual|by the way|for what it is worth|to be fair"
).split("|")


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(FILLER).capitalize()}, I {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} "
        f"{rng.choice(NOUNS)} {rng.choice(['today', 'last week', 'on Sunday', 'twice', 'again'])} "
        f"and it {rng.choice(['worked', 'held up', 'looked better', 'made a noise', 'lasted'])}."
    )


class _Text:
    """Paragraph source: a pool of pre-made sentences, so 30 MB generates in a few seconds."""

    def __init__(self, rng: random.Random, pool: int = 4000) -> None:
        self.rng = rng
        self.pool = [_sentence(rng) for _ in range(pool)]

    def paragraph(self, chars: int) -> str:
        out: list[str] = []
        n = 0
        while n < chars:
            s = self.rng.choice(self.pool)
            out.append(s)
            n += len(s) + 1
        return " ".join(out)


def _date_line(d: datetime, number: int) -> str:
    hour = f"{d.hour % 12 or 12}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year} at {hour} #{number}"


def _opening(title: str, author: str, day: datetime, paragraphs: list[str]) -> list[str]:
    lines = [f" date {day:%Y-%m-%d} What's new", "", title, "", author, "", author, "", title, ""]
    for p in paragraphs:
        lines += [p, ""]
    return lines


def _reply(
    rng: random.Random,
    text: _Text,
    number: int,
    when: datetime,
    body_chars: int,
    *,
    marker: str | None = None,
    extras: bool = True,
) -> list[str]:
    lines = [NBSP]
    if rng.random() < 0.6:  # an author/date header, sometimes
        lines += [rng.choice(NAMES), _date_line(when, number)]
    if extras and rng.random() < 0.12:  # a quote of someone else
        lines += [f"{rng.choice(NAMES)} said:", text.paragraph(120), "Click to expand..."]
    count = rng.choice((1, 1, 2, 2, 3, 4))
    per = max(body_chars // count, 40)
    paras = [text.paragraph(per) for _ in range(count)]
    if marker:
        paras[0] = f"{marker} {paras[0]}"
    for i, p in enumerate(paras):
        if i:
            lines.append("")
        lines.append(p)
    if extras and rng.random() < 0.05:  # an attachment
        lines += ["", "", f"IMG_{rng.randint(100, 9999)}.png"]
    return lines


def big_thread(path: str, replies: int = 100_000, seed: int = 3) -> str:
    """Write the 100,000-reply dump to ``path``; return the path."""
    rng = random.Random(seed)
    text = _Text(rng)
    start = datetime(2024, 1, 1, 9, 0)
    lines = _opening(BIG_TITLE, "mammoth_keeper", start, [text.paragraph(300) for _ in range(3)])
    when = start
    for n in range(2, replies + 2):
        when += timedelta(minutes=rng.randint(1, 9))
        marker = FIRST_MARKER if n == 2 else LAST_MARKER if n == replies + 1 else None
        lines += _reply(rng, text, n, when, rng.randint(120, 240), marker=marker, extras=not marker)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines))
        fh.write("\n")
    return path


def small_thread(
    path: str,
    rng: random.Random,
    text: _Text,
    index: int,
    replies: int | None = None,
    day: datetime | None = None,
) -> tuple[str, str]:
    """One small dump (3-20 replies, dated ``day`` or at random); return ``(title, date)``."""
    if day is None:
        day = datetime(2015, 1, 1) + timedelta(
            days=rng.randint(0, 3600), minutes=rng.randint(0, 1439)
        )
    title = (
        f"{rng.choice(TOPICS)}: the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} "
        f"I {rng.choice(VERBS)} (thread {index})"
    )
    lines = _opening(title, rng.choice(NAMES), day, [text.paragraph(250)])
    when = day
    for n in range(2, (replies or rng.randint(3, 20)) + 2):
        when += timedelta(minutes=rng.randint(5, 300))
        lines += _reply(rng, text, n, when, rng.randint(120, 300))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return title, f"{day:%Y-%m-%d}"


def big_folder(path: str, threads: int = 10_000, seed: int = 10) -> str:
    """Write ``threads`` small dumps into folder ``path``; return the path."""
    os.makedirs(path, exist_ok=True)
    rng = random.Random(seed)
    text = _Text(rng, pool=1000)
    for i in range(threads):
        small_thread(os.path.join(path, f"t{i:05d}.txt"), rng, text, i)
    return path


def selection_folder(path: str, replies: int = 100_000, seed: int = 3) -> str:
    """A folder with the big thread (oldest, so last in the date order) and two newer small ones."""
    os.makedirs(path, exist_ok=True)
    big_thread(os.path.join(path, "zz-big-thread.txt"), replies, seed)
    rng = random.Random(seed + 1)
    text = _Text(rng, pool=200)
    for i in (1, 2):
        small_thread(
            os.path.join(path, f"a-small-{i}.txt"), rng, text, i, day=datetime(2025, 6, i, 12)
        )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    big = big_thread(os.path.join(args.outdir, "big-thread.txt"), args.replies, args.seed)
    folder = big_folder(os.path.join(args.outdir, "folder"), args.threads, args.seed + 7)
    print(f"{big}: {os.path.getsize(big):,} bytes")
    print(f"{folder}: {len(os.listdir(folder)):,} files")


if __name__ == "__main__":
    main()
