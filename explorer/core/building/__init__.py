"""Building blocks of the request builder: value coercion, URLs, bodies, and per-API credential rules."""
