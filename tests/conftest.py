"""Settings every test shares.

Hypothesis runs derandomised by default, so a test run is the same on every
machine and in CI: the examples come from a fixed seed per test, not from the
clock. The long random runs are the ``slow`` tests (``pytest -m slow``), which
draw new examples every time, as fuzzing should.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "derandomised",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("random", deadline=None, print_blob=True)


def pytest_configure(config: pytest.Config) -> None:
    """Random examples only when the slow tests were asked for."""
    wants_slow = "slow" in (config.getoption("markexpr") or "").replace("not slow", "")
    settings.load_profile("random" if wants_slow else "derandomised")
