"""Measure the reader against issue 3's "Scale, by design" targets, beside a bare Textual app.

Everything runs with the same Python (this interpreter) in the same run:

* real terminal: tmux on a private socket (``-L``), 120x40; each measurement starts a
  session and polls ``capture-pane -p`` until a marker shows (about 2 ms per poll);
* headless (``headless_case.py``, a lean script): ``App.run_test(size=(120, 40))`` in a
  fresh subprocess per case, forcing a compositor frame (``screen._on_timer_update()``)
  between polls and reading the screen a ``VirtualTerminal`` builds from the frames'
  updates (checked against a full render at the end);
* peak memory: ``VmHWM`` of the tmux pane's process (``exec``-ed, so it is the app itself),
  read just before the session is killed.

Usage:
    .venv/bin/python bench/reader_bench.py [--runs 5] [--sel-runs 3] [--keep DIR] [--no-headless]

Inputs come from ``bench/gen_inputs.py`` (a 100,000-reply dump of ~30 MB, a folder of 10,000
dumps); they go to a temporary folder unless ``--keep DIR`` is given (then they are reused).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen_inputs  # noqa: E402  (bench/ is not a package)
from headless_case import (  # noqa: E402
    BARE_MARKER,
    FOCUS_REPLIES,
    ROWS_PATTERN,
    SIZE,
    changed,
    sample_titles,
    vm_status,
)

PY = sys.executable
# The command a user runs: the console script `pip install` puts beside the interpreter
# (what the README's set-up command starts). `python -m threadtui` would add runpy's
# imports (~10 ms) that no user pays; it is the fallback when there is no script.
_SCRIPT = os.path.join(os.path.dirname(PY), "threadtui")
THREADTUI = [_SCRIPT] if os.access(_SCRIPT, os.X_OK) else [PY, "-m", "threadtui"]
BARE_APP = f'''"""The bare Textual app threadtui is measured against: one Static."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARKER}")


if __name__ == "__main__":
    BareApp().run()
'''
ROWS_RE = re.compile(ROWS_PATTERN)


# ---------------------------------------------------------------------------- inputs


def prepare(base: Path, replies: int, threads: int) -> dict[str, str]:
    """Generate (or reuse) the inputs; return their paths."""
    base.mkdir(parents=True, exist_ok=True)
    sel = base / "select"
    folder = base / "folder10k"
    big = sel / "zz-big-thread.txt"
    stamp = base / f"inputs-{replies}-{threads}.done"
    if not stamp.exists():
        t = time.perf_counter()
        gen_inputs.selection_folder(str(sel), replies)
        gen_inputs.big_folder(str(folder), threads)
        stamp.write_text("ok\n")
        print(f"generated inputs in {time.perf_counter() - t:.1f} s", flush=True)
    (base / "bare_app.py").write_text(BARE_APP)
    return {
        "base": str(base),
        "bare": str(base / "bare_app.py"),
        "samples": str(ROOT / "samples"),
        "select": str(sel),
        "big": str(big),
        "folder": str(folder),
    }


# ---------------------------------------------------------------------------- tmux


class Tmux:
    """One private tmux server; a session per measurement, polled with capture-pane."""

    def __init__(self) -> None:
        self.socket = f"threadtui-bench-{os.getpid()}"
        w, h = SIZE
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "keep", "-x", str(w),
                   "-y", str(h), "sleep 3600")  # fmt: skip
        self._tmux("set-option", "-g", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        return out.stdout

    def start(self, argv: list[str], cwd: str) -> float:
        """Start ``argv`` in session ``run``; return the perf_counter just before."""
        w, h = SIZE
        cmd = "exec " + shlex.join(argv)
        t0 = time.perf_counter()
        self._tmux("new-session", "-d", "-s", "run", "-x", str(w), "-y", str(h), "-c", cwd, cmd)
        return t0

    def capture(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "run")

    def keys(self, *keys: str) -> float:
        t0 = time.perf_counter()
        self._tmux("send-keys", "-t", "run", *keys)
        return t0

    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip())

    def dead(self) -> bool:
        return self._tmux("display-message", "-p", "-t", "run", "#{pane_dead}").strip() == "1"

    def wait(self, pred: Callable[[str], bool], timeout: float, what: str) -> tuple[float, str]:
        """Poll until ``pred(screen)``; return (perf_counter when seen, screen)."""
        deadline = time.perf_counter() + timeout
        polls = 0
        self.first_paint: float | None = None
        while True:
            screen = self.capture()
            now = time.perf_counter()
            if self.first_paint is None and screen.strip():
                self.first_paint = now
            if pred(screen):
                return now, screen
            polls += 1
            if now > deadline or (polls % 200 == 0 and self.dead()):
                raise RuntimeError(f"tmux: timed out waiting for {what}; screen:\n{screen}")

    def stop(self) -> None:
        self._tmux("kill-session", "-t", "run")

    def close(self) -> None:
        path = self._tmux("display-message", "-p", "#{socket_path}").strip()
        self._tmux("kill-server")
        if path and os.path.exists(path):
            os.unlink(path)  # kill-server leaves the socket file behind


def tmux_first_screen(
    tm: Tmux, argv: list[str], pred: Callable[[str], bool], cwd: str, what: str
) -> tuple[float, float, dict[str, int]]:
    """ms from session start to ``pred`` and to the first non-blank screen; memory then."""
    t0 = tm.start(argv, cwd)
    try:
        seen, _ = tm.wait(pred, 30, what)
        paint = tm.first_paint or seen
        mem = vm_status(tm.pid())
    finally:
        tm.stop()
    return (seen - t0) * 1000, (paint - t0) * 1000, mem


def tmux_scan_complete(tm: Tmux, paths: dict[str, str], count: int) -> float:
    """ms until the 10,000-thread folder is fully listed (title shows the count, no progress)."""
    label = f"Threads {count:,} ·"
    t0 = tm.start([*THREADTUI, paths["folder"]], str(ROOT))
    try:
        seen, _ = tm.wait(lambda s: label in s and "reading" not in s, 180, label)
    finally:
        tm.stop()
    return (seen - t0) * 1000


def focus_replies(tm: Tmux, tries: int = 8) -> None:
    """Tab until the footer shows the reply pane's keys."""
    for _ in range(tries):
        tm.keys("Tab")
        time.sleep(0.3)
        if FOCUS_REPLIES in tm.capture():
            return
    raise RuntimeError(f"Tab never focused the reply pane:\n{tm.capture()}")


def key_repaints(tm: Tmux, keys: tuple[str, ...], reps: int) -> list[float]:
    """ms from each key to the screen changing, ``reps`` rounds of ``keys``."""
    times: list[float] = []
    for _ in range(reps):
        for key in keys:
            time.sleep(0.25)
            before = tm.capture()
            t0 = tm.keys(key)
            seen, _ = tm.wait(changed(before), 10, f"repaint after {key}")
            times.append((seen - t0) * 1000)
    return times


def tmux_select(tm: Tmux, paths: dict[str, str], key_reps: int) -> dict[str, object]:
    """Open the selection folder, wait for the scan, select the big thread, End, k/j."""
    out: dict[str, object] = {}
    t0 = tm.start([*THREADTUI, paths["select"]], str(ROOT))
    try:
        seen, _ = tm.wait(lambda s: "Threads 3 ·" in s and "reading" not in s, 240, "scan")
        out["scan_ms"] = (seen - t0) * 1000
        time.sleep(1.0)  # let the first thread's open finish
        screen = tm.capture()
        if gen_inputs.FIRST_MARKER in screen:
            raise RuntimeError("the big thread is already shown before selecting it")
        k0 = tm.keys("G")  # the list has focus: jump to the last (oldest) thread, the big one
        seen, _ = tm.wait(lambda s: gen_inputs.FIRST_MARKER in s, 60, "first reply of big thread")
        out["select_ms"] = (seen - k0) * 1000
        time.sleep(0.5)
        focus_replies(tm)
        time.sleep(0.5)
        k0 = tm.keys("End")
        seen, _ = tm.wait(lambda s: gen_inputs.LAST_MARKER in s, 60, "last reply")
        out["end_ms"] = (seen - k0) * 1000
        out["key_ms"] = key_repaints(tm, ("k", "j"), key_reps)
        out["mem"] = vm_status(tm.pid())
    finally:
        tm.stop()
    return out


# ---------------------------------------------------------------------------- headless


def run_headless(case: str, paths: dict[str, str], key_reps: int) -> dict:
    target = paths["bare"] if case == "bare" else paths[case]
    child = str(HERE / "headless_case.py")
    cmd = [PY, child, case, target, str(key_reps), "SPAWN"]
    cmd[-1] = repr(time.time())
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if out.returncode:
        raise RuntimeError(f"headless {case} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- report


def stats(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"{statistics.median(values):8.1f}  ({min(values):.1f}–{max(values):.1f}, n={len(values)})"
    )


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description="threadtui scale benchmark (issue 3)")
    parser.add_argument("--runs", type=int, default=5, help="first-screen runs per app (5)")
    parser.add_argument("--sel-runs", type=int, default=3, help="big-thread selection runs (3)")
    parser.add_argument("--key-reps", type=int, default=5, help="k/j pairs per selection run")
    parser.add_argument("--keep", metavar="DIR", help="generate inputs here and keep them")
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--no-headless", action="store_true")
    parser.add_argument("--no-scan-complete", action="store_true",
                        help="skip timing the full scan of the 10,000-thread folder")  # fmt: skip
    args = parser.parse_args()

    started = time.perf_counter()
    print("reproduce: cd " + shlex.quote(str(ROOT)) + " && .venv/bin/python bench/reader_bench.py "
          + shlex.join(sys.argv[1:]), flush=True)  # fmt: skip
    git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                         text=True, cwd=ROOT).stdout.strip()  # fmt: skip
    print(f"threadtui source: git {git}", flush=True)
    tmp = None
    if args.keep:
        base = Path(args.keep).resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="threadtui-bench-")
        base = Path(tmp.name)
    paths = prepare(base, args.replies, args.threads)
    # Up-to-date bytecode, as an installed package has: with PYTHONDONTWRITEBYTECODE set
    # (or a read-only tree) a stale .pyc is recompiled on every start, tens of ms per run.
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    big_size = os.path.getsize(paths["big"])
    print(f"inputs: {paths['big']} ({big_size:,} bytes, {args.replies:,} replies); "
          f"{paths['folder']} ({args.threads:,} files)", flush=True)  # fmt: skip
    titles = sample_titles()

    real: dict[str, list[float]] = {"bare": [], "samples": [], "folder": []}
    paint: dict[str, list[float]] = {"bare": [], "samples": [], "folder": []}
    mem: dict[str, list[int]] = {"bare": [], "select": []}
    sel: dict[str, list[float]] = {"scan": [], "select": [], "end": [], "key": []}
    scan_complete = None
    tm = Tmux()
    try:
        for i in range(args.runs):
            ms, first, m = tmux_first_screen(tm, [PY, paths["bare"]],
                                             lambda s: BARE_MARKER in s, paths["base"],
                                             "bare app")  # fmt: skip
            real["bare"].append(ms)
            paint["bare"].append(first)
            mem["bare"].append(m["VmHWM"])
            ms, first, _ = tmux_first_screen(tm, [*THREADTUI, "samples/"],
                                             lambda s: any(t in s for t in titles), str(ROOT),
                                             "a sample title")  # fmt: skip
            real["samples"].append(ms)
            paint["samples"].append(first)
            ms, first, _ = tmux_first_screen(tm, [*THREADTUI, paths["folder"]],
                                             lambda s: ROWS_RE.search(s) is not None, str(ROOT),
                                             "thread rows")  # fmt: skip
            real["folder"].append(ms)
            paint["folder"].append(first)
            print(f"  tmux run {i + 1}: bare {real['bare'][-1]:.0f} ms, samples "
                  f"{real['samples'][-1]:.0f} ms, 10k folder {real['folder'][-1]:.0f} ms",
                  flush=True)  # fmt: skip
        if not args.no_scan_complete:
            scan_complete = tmux_scan_complete(tm, paths, args.threads)
            print(f"  tmux: 10k folder fully listed after {scan_complete:.0f} ms", flush=True)
        for i in range(args.sel_runs):
            r = tmux_select(tm, paths, args.key_reps)
            sel["scan"].append(r["scan_ms"])  # type: ignore[arg-type]
            sel["select"].append(r["select_ms"])  # type: ignore[arg-type]
            sel["end"].append(r["end_ms"])  # type: ignore[arg-type]
            sel["key"].extend(r["key_ms"])  # type: ignore[arg-type]
            mem["select"].append(r["mem"]["VmHWM"])  # type: ignore[index]
            print(f"  tmux select run {i + 1}: scan {r['scan_ms']:.0f} ms, select "
                  f"{r['select_ms']:.0f} ms, End {r['end_ms']:.0f} ms, keys "
                  f"{', '.join(f'{k:.0f}' for k in r['key_ms'])} ms, "  # type: ignore[attr-defined]
                  f"VmHWM {mb(r['mem']['VmHWM'])}", flush=True)  # type: ignore[index]  # fmt: skip
    finally:
        tm.close()

    head: dict[str, list[dict]] = {"bare": [], "samples": [], "folder": [], "select": []}
    if not args.no_headless:
        for _ in range(args.runs):
            for case in ("bare", "samples", "folder"):
                head[case].append(run_headless(case, paths, args.key_reps))
        print("  headless first screens done", flush=True)
        for i in range(max(1, args.sel_runs - 1)):
            head["select"].append(run_headless("select", paths, args.key_reps))
            r = head["select"][-1]
            print(f"  headless select run {i + 1}: select {r['select_ms']:.0f} ms, "
                  f"End {r['end_ms']:.0f} ms", flush=True)  # fmt: skip

    # ------------------------------------------------------------------ report
    rows: list[tuple[str, str, str, str]] = []
    verdicts: list[tuple[str, bool]] = []

    def target(name: str, value: float, limit: float, shown: str, where: str) -> None:
        ok = value <= limit
        rows.append((name, shown, where, "PASS" if ok else "FAIL"))
        verdicts.append((f"{name} [{where}]", ok))

    bare_m, samp_m, fold_m = med(real["bare"]), med(real["samples"]), med(real["folder"])
    print()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; tmux {SIZE[0]}x{SIZE[1]}")
    print("Real terminal (tmux), ms: median (min–max, n)")
    print(f"  bare Textual app, first screen ........ {stats(real['bare'])}")
    print(f"  threadtui samples/, first title ....... {stats(real['samples'])}")
    print(f"  threadtui 10k folder, first rows ...... {stats(real['folder'])}")
    print(f"  (first non-blank paint: bare {med(paint['bare']):.1f}, samples "
          f"{med(paint['samples']):.1f}, 10k folder {med(paint['folder']):.1f})")  # fmt: skip
    if scan_complete is not None:
        print(f"  threadtui 10k folder, fully listed .... {scan_complete:8.1f}  (n=1)")
    print(f"  selection folder, scan finished ....... {stats(sel['scan'])}")
    print(f"  select big thread -> first reply ...... {stats(sel['select'])}")
    print(f"  End -> last reply shown ............... {stats(sel['end'])}")
    print(f"  k/j -> repaint ........................ {stats(sel['key'])}")
    print(f"  VmHWM bare / big thread open .......... {mb(med(mem['bare']))} / "
          f"{mb(med(mem['select']))}  (file {mb(big_size)})")  # fmt: skip
    target("samples first screen <= 1.3x bare", samp_m / bare_m, 1.3,
           f"{samp_m / bare_m:.2f}x ({samp_m:.0f} / {bare_m:.0f} ms)", "tmux")  # fmt: skip
    target("10k folder first screen <= 1.5x bare", fold_m / bare_m, 1.5,
           f"{fold_m / bare_m:.2f}x ({fold_m:.0f} / {bare_m:.0f} ms)", "tmux")  # fmt: skip
    target("select big thread < 300 ms", med(sel["select"]), 300,
           f"{med(sel['select']):.1f} ms", "tmux")  # fmt: skip
    target("End to last reply < 50 ms", med(sel["end"]), 50, f"{med(sel['end']):.1f} ms", "tmux")
    target("keystroke to repaint < 50 ms", med(sel["key"]), 50,
           f"{med(sel['key']):.1f} ms (max {max(sel['key'], default=0):.1f})", "tmux")  # fmt: skip
    over = sum(k >= 50 for k in sel["key"])
    target("every keystroke < 50 ms (max)", max(sel["key"], default=0), 50,
           f"{over} of {len(sel['key'])} over 50 ms", "tmux")  # fmt: skip
    limit = med(mem["bare"]) + 4 * big_size
    target("peak memory < bare + 4x file", med(mem["select"]), limit,
           f"{mb(med(mem['select']))} vs limit {mb(limit)}", "tmux")  # fmt: skip

    if head["bare"]:

        def col(case: str, key: str) -> list[float]:
            return [r[key] for r in head[case] if key in r]

        print("Headless (run_test 120x40, forced frames), ms: median (min–max, n)")
        for case, label in (("bare", "bare Textual app"), ("samples", "threadtui samples/"),
                            ("folder", "threadtui 10k folder")):  # fmt: skip
            print(f"  {label:<22} run_test -> first screen {stats(col(case, 'first_ms'))}")
            print(f"  {'':<22} process spawn -> first  {stats(col(case, 'first_from_spawn_ms'))}")
        hb, hs, hf = (med(col(c, "first_from_spawn_ms")) for c in ("bare", "samples", "folder"))
        target("samples first screen <= 1.3x bare", hs / hb, 1.3,
               f"{hs / hb:.2f}x ({hs:.0f} / {hb:.0f} ms)", "headless")  # fmt: skip
        target("10k folder first screen <= 1.5x bare", hf / hb, 1.5,
               f"{hf / hb:.2f}x ({hf:.0f} / {hb:.0f} ms)", "headless")  # fmt: skip
        if head["select"]:
            keys = [k for r in head["select"] for k in r["key_ms"]]
            print(f"  selection folder, scan finished     {stats(col('select', 'first_ms'))}")
            print(f"  select big thread -> first reply    {stats(col('select', 'select_ms'))}")
            print(f"  End -> last reply                   {stats(col('select', 'end_ms'))}")
            print(f"  k/j -> repaint                      {stats(keys)}")
            hbm, hsm = med(col("bare", "maxrss")), med(col("select", "maxrss"))
            print(f"  VmHWM bare / big thread open        {mb(hbm)} / {mb(hsm)}")
            target("select big thread < 300 ms", med(col("select", "select_ms")), 300,
                   f"{med(col('select', 'select_ms')):.1f} ms", "headless")  # fmt: skip
            target("End to last reply < 50 ms", med(col("select", "end_ms")), 50,
                   f"{med(col('select', 'end_ms')):.1f} ms", "headless")  # fmt: skip
            target("keystroke to repaint < 50 ms", med(keys), 50,
                   f"{med(keys):.1f} ms (max {max(keys):.1f})", "headless")  # fmt: skip
            over = sum(k >= 50 for k in keys)
            target("every keystroke < 50 ms (max)", max(keys), 50,
                   f"{over} of {len(keys)} over 50 ms", "headless")  # fmt: skip
            target("peak memory < bare + 4x file", hsm, hbm + 4 * big_size,
                   f"{mb(hsm)} vs limit {mb(hbm + 4 * big_size)}", "headless")  # fmt: skip

    print()
    width = max(len(r[0]) for r in rows)
    print(f"{'target':<{width}}  {'where':<8}  {'result':<4}  measured")
    for name, shown, where, verdict in rows:
        print(f"{name:<{width}}  {where:<8}  {verdict:<4}  {shown}")
    failed = [v for v, ok in verdicts if not ok]
    print(f"\noverall: {'PASS' if not failed else 'FAIL'} "
          f"({len(verdicts) - len(failed)}/{len(verdicts)} targets met); "
          f"whole run {time.perf_counter() - started:.0f} s")  # fmt: skip
    if tmp is not None:
        tmp.cleanup()
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
