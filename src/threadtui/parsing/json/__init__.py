"""Readers of JSON documents: threadtui/1 itself, forum scrapers, Reddit, Hacker News, Discourse."""
