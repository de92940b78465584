"""Reading mail archives: splitting, headers, MIME, bodies, attributions, threading."""
