"""Screens: the main coordinator and the modal help."""
