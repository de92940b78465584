"""Pieces every reader shares: dates, decoding, line classes, HTML blocks, site chrome."""
