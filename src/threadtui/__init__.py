"""threadtui: a terminal reader for saved discussion threads."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Reading package metadata costs ~25 ms; only `--version` needs it.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("threadtui")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(name)
