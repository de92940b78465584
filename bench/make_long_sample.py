"""Write a long, synthetic thread in the plain-text dump format (XenForo-style, NBSP separators).

The output is deterministic for a given seed: every name, word and date comes from the invented
vocabulary below and from ``random.Random(seed)``. Replies vary their header blocks (none, author
once or twice, ranks, inline or split stats, four date styles, ``#n`` / ``Post #n of N``), and mix
in quotes (nested, or missing ``Click to expand...``), attachments, URL-only lines and trailers.

Usage: python bench/make_long_sample.py samples/13-long-thread.txt [--replies 320] [--seed 13]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

NBSP = "\u00a0"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
TITLE = "Pendlecombe Junction layout build — progress thread"
STARTER = "ballast_and_bracken"
NAMES = [STARTER] + (
    "Wrenna Coll|sidingsam|Theo Blackett|kettle_steam|Marisol V|oldgaugeron|Pip Harrow|ferrule"
    "|Agnes Toft|loopline_lu|Cosmo Dray"
).split("|")
RANKS = ["Registered Member", "Senior Member", "Well-known member", "New member", "Moderator"]
SUBJECTS = (
    "the point motor|my fiddle yard|the signal box|that backscene|the ballast|the goods shed"
    "|your turnout|the viaduct|the branch line|the loco shed|the level crossing"
).split("|")
OBJECTS = (
    "the old plywood base|anything at the last exhibition|the photos last month|my first attempt"
    "|a brand-new kit|the plan you posted|the club layout|the Ashwick Halt diorama"
).split("|")
WORDS = "glue|cork|solder|dropper|sleeper|crossing|bogie|coupling|lamp|hedge".split("|")
TEMPLATES = [
    "{S} looks much better than {o}.",
    "{S} still reminds me of {o}, in a good way.",
    "Has anyone tried {w} under {s}? Mine squeaks.",
    "Quick update: {s} is finally wired, and it runs smoother than {o}.",
    "I would weather {s} a little more, it is cleaner than {o}.",
    "Lovely work on {s}!",
    "Took me three evenings to fix the {w} on {s}, so take your time.",
    "Honestly, {s} took longer than {o} and I regret nothing.",
    "Is that {w} from the Brindle Models range or your own?",
    "Ran the Thursday goods through {s} twenty times without a derailment.",
]


def sentence(rng: random.Random) -> str:
    s, o, w = rng.choice(SUBJECTS), rng.choice(OBJECTS), rng.choice(WORDS)
    return rng.choice(TEMPLATES).format(S=s[0].upper() + s[1:], s=s, o=o, w=w)


def paragraph(rng: random.Random) -> str:
    joiner = "\n" if rng.random() < 0.1 else " "  # a few paragraphs keep inner line breaks
    return joiner.join(sentence(rng) for _ in range(rng.randint(1, 4)))


def fmt_date(rng: random.Random, d: datetime) -> str:
    hour = f"{d.hour % 12 or 12}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"
    return rng.choice(
        [
            f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
            f"{MONTHS[d.month - 1]} {d.day}, {d.year} at {hour}",
            d.strftime("%Y-%m-%d"),
            f"{d.day} {MONTHS[d.month - 1]} {d.year} at {hour}",
        ]
    )


def header(
    rng: random.Random,
    name: str,
    n: int,
    total: int,
    d: datetime,
    users: dict[str, tuple[str, str]],
    counts: dict[str, int],
) -> list[str]:
    style = rng.random()
    if style < 0.15:
        return []  # bare reply, as in the seed
    lines = [name, name] if rng.random() < 0.5 else [name]
    rank, joined = users[name]
    if rng.random() < 0.7:
        lines.append(rank)
    if rng.random() < 0.4:
        stats = [("Joined", joined), ("Messages", f"{counts[name]:,}")]
        split = rng.random() < 0.4
        for key, value in stats:
            lines += [key, value] if split else [f"{key}: {value}"]
    number = rng.choice(["inline", "of", "bare", "none"])
    date = fmt_date(rng, d)
    lines.append({"inline": f"{date} #{n}", "of": f"{date} Post #{n} of {total}"}.get(number, date))
    if number == "bare":
        lines.append(f"#{n}")
    return lines


def quote(rng: random.Random, posts: list[tuple[str, str]]) -> list[str]:
    who, text = rng.choice(posts)
    if rng.random() < 0.2:  # nested quote, two deep
        inner_who, inner_text = rng.choice(posts)
        return [
            f"{who} said:",
            f"{inner_who} said:",
            inner_text,
            "Click to expand...",
            text,
            "Click to expand...",
        ]
    if rng.random() < 0.15:  # end marker missing: the quote ends at the next blank line
        return [f"{who} said:", text, ""]
    return [f"{who} said:", text, "Click to expand..."]


def reply(
    rng: random.Random, posts: list[tuple[str, str]], edited: datetime
) -> tuple[list[str], str]:
    """Return the body lines of one reply and its first line (for later quotes)."""
    lines: list[str] = quote(rng, posts) if posts and rng.random() < 0.3 else []
    paras = [paragraph(rng) for _ in range(rng.randint(1, 3))]
    lines += "\n\n".join(paras).split("\n")
    if rng.random() < 0.12:
        lines += ["", ""] + [
            rng.choice(
                [
                    f"IMG_{rng.randint(1000, 9999)}.jpg",
                    f"{rng.choice(WORDS)} {rng.randint(1, 9)}.png",
                    f"{rng.choice(WORDS)}_detail.webp",
                    f"View attachment {rng.randint(10000, 99999)}",
                ]
            )
            for _ in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.05:
        lines += ["", f"https://example.org/layouts/pendlecombe/{rng.choice(WORDS)}"]
    if rng.random() < 0.2:
        a, b = rng.sample(NAMES, 2)
        others = rng.randint(0, 6)
        plural = "s" if others > 1 else ""
        tail = f"{a}, {b} and {others} other{plural}" if others else f"{a} and {b}"
        lines += ["", f"Reactions: {tail}"]
    if rng.random() < 0.1:
        lines += ["", f"Last edited: {fmt_date(rng, edited)}"]
    return lines, paras[0].split("\n")[0]


def build(replies: int, seed: int) -> str:
    rng = random.Random(seed)
    users = {  # name -> (rank, join date), fixed per user
        n: (
            rng.choice(RANKS),
            f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2006, 2020)}",
        )
        for n in NAMES
    }
    counts = {n: rng.randint(5, 9000) for n in NAMES}
    d = datetime(2021, 3, 14, 18, 5)
    out = [" date 2024-01-20 What's new", "", TITLE, "", STARTER, "", STARTER, "", TITLE, ""]
    opening = [paragraph(rng) for _ in range(4)]
    out += "\n\n".join(opening).split("\n") + [""]
    posts: list[tuple[str, str]] = [(STARTER, opening[0].split("\n")[0])]
    for n in range(2, replies + 2):
        d += timedelta(minutes=rng.randint(3, 60 * 30))
        name = rng.choice(NAMES)
        counts[name] += 1
        head = header(rng, name, n, replies + 1, d, users, counts)
        body, first = reply(rng, posts, d + timedelta(hours=1))
        out += [NBSP] + head + body
        posts.append((name, first))
    out += [NBSP, ""]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--replies", type=int, default=320)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    args.out.write_text(build(args.replies, args.seed), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
