"""The Textual reader: the app, its screens, widgets, messages and stylesheet.

The only package that imports Textual (a contract in the build checks it).
"""
