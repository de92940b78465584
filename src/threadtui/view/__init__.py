"""Turning threads into Rich ``Text``: article and reply lines, the reply layout, search marks.

No Textual here: ``threadtui show`` and the reader draw with the same code.
"""
