"""What a format reader may need besides its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rejoinder.portability.sources import Opened


@dataclass
class ReadContext:
    """The second file, the site's time zone, and what reading the first file taught."""

    second: Opened | None = None
    timezone: str = ""
    shared: dict[str, Any] = field(default_factory=dict)
