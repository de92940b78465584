"""Which panes show at each width, and the list folded away by a narrowing (no Textual)."""

from __future__ import annotations

import pytest

from threadtui.tui.controllers.pane_layout import NARROW, WIDE, Fold, PaneLayout


@pytest.mark.parametrize(
    ("width", "narrow", "wide"),
    [
        (80, True, False),
        (NARROW - 1, True, False),
        (NARROW, False, False),
        (WIDE - 1, False, False),
        (WIDE, False, True),
    ],
)
def test_the_width_classes(width: int, narrow: bool, wide: bool) -> None:
    layout = PaneLayout()
    layout.resize(width, list_shown=True, thread_has_keys=False)
    assert (layout.narrow, layout.wide) == (narrow, wide)


def test_narrowing_with_the_keys_in_the_thread_folds_the_list_and_widening_brings_it_back() -> None:
    layout = PaneLayout()
    assert layout.resize(120, list_shown=True, thread_has_keys=True) is Fold.STAY
    assert layout.resize(80, list_shown=True, thread_has_keys=True) is Fold.HIDE
    # Still narrow: nothing more happens, whoever has the keys.
    assert layout.resize(70, list_shown=False, thread_has_keys=True) is Fold.STAY
    assert layout.resize(120, list_shown=False, thread_has_keys=True) is Fold.SHOW
    # Brought back once: the next widening has nothing to undo.
    assert layout.resize(80, list_shown=True, thread_has_keys=False) is Fold.STAY
    assert layout.resize(120, list_shown=True, thread_has_keys=False) is Fold.STAY


def test_narrowing_with_the_keys_in_the_list_leaves_the_list() -> None:
    layout = PaneLayout()
    layout.resize(120, list_shown=True, thread_has_keys=False)
    assert layout.resize(80, list_shown=True, thread_has_keys=False) is Fold.STAY
    assert layout.resize(120, list_shown=True, thread_has_keys=False) is Fold.STAY


def test_a_list_hidden_by_the_user_stays_hidden_on_widening() -> None:
    # t hid it before the narrowing: the narrowing folded nothing, so widening shows nothing.
    layout = PaneLayout()
    layout.resize(120, list_shown=False, thread_has_keys=True)
    assert layout.resize(80, list_shown=False, thread_has_keys=True) is Fold.STAY
    assert layout.resize(120, list_shown=False, thread_has_keys=True) is Fold.STAY


def test_the_first_width_narrow_folds_nothing_without_a_shown_list() -> None:
    # The screen starts narrow with the keys in the list: the list takes the screen.
    layout = PaneLayout()
    assert layout.resize(80, list_shown=True, thread_has_keys=False) is Fold.STAY
    assert layout.narrow
