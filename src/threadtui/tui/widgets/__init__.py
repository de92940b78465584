"""The reader's panes, one widget per module."""
