"""State machines of the reader, Textual-free: the screen wires messages to them.

A contract in pyproject.toml keeps Textual out of this package, so each one is
unit-tested without Pilot.
"""
