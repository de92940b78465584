"""Hypothesis helpers for the JSON readers' tests: random JSON values, and one value of a
valid document swapped for another (a field of the wrong type anywhere)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)


def mutate(skeleton: Any, path: list[int], replacement: Any) -> Any:
    """``skeleton`` with one value (chosen by ``path`` through its containers) replaced."""
    root = json.loads(json.dumps(skeleton))
    holder, key = None, None
    node = root
    for step in path:
        if isinstance(node, dict) and node:
            key = list(node)[step % len(node)]
        elif isinstance(node, list) and node:
            key = step % len(node)
        else:
            break
        holder, node = node, node[key]
    if holder is None:
        return replacement
    holder[key] = replacement
    return root
