"""JSON lines as every reader splits them."""
from __future__ import annotations

import json
from typing import Any

# Legal unescaped in JSON strings, but line ends for str.splitlines, JavaScript and others:
# escaped so that one JSONL record stays one line for every reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl(obj: Any) -> str:
    """``obj`` as one line of JSON (UTF-8 text kept readable, Unicode line breaks escaped)."""
    return json.dumps(obj, ensure_ascii=False, default=str).translate(_LINE_BREAKS)
