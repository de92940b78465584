"""(Re)generate tests/expected/<stem>.json from samples/*.txt.

Usage: python tests/make_expected.py [SAMPLE ...]

The files this writes are the specification: after regenerating, read every
changed one against its sample by hand before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = Path(__file__).resolve().parent / "expected"


def expected_for(sample: Path) -> dict[str, Any]:
    """The parser's JSON for a sample, with "source" made relative to the repo."""
    from threadtui.model import thread_to_json
    from threadtui.parsing import parse_path

    data = thread_to_json(parse_path(sample))
    data["source"] = f"samples/{sample.name}"
    return data


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    samples = [Path(a).resolve() for a in argv] or sorted(SAMPLES.glob("*.txt"))
    EXPECTED.mkdir(exist_ok=True)
    for sample in samples:
        out = EXPECTED / f"{sample.stem}.json"
        text = dump(expected_for(sample))
        old = out.read_text(encoding="utf-8") if out.exists() else None
        if old != text:
            out.write_text(text, encoding="utf-8")
            print(f"{'updated' if old is not None else 'created'} {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
