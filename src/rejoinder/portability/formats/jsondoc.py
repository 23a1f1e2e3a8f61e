"""Reading a whole JSON document (Commento's and Waline's exports are one object)."""

from __future__ import annotations

import json
from typing import Any

from rejoinder.portability.sources import BadFile, Opened


def load(opened: Opened) -> Any:
    data = opened.stream.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(f"not UTF-8 ({exc.reason})", offset=exc.start) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated"):
            raise BadFile(
                "the JSON ends early: the file is truncated", line=exc.lineno, offset=exc.colno
            ) from None
        raise BadFile(f"not valid JSON ({exc.msg})", line=exc.lineno, offset=exc.colno) from None
