"""Filling the firm-editable text in resources/ with a case's values.

Resource sentences name values as ``{name}`` (letter parts, review messages,
e-mail subjects); the letter template names its parts as ``{{ name }}``.  A
name without a value stays as written, and any other brace is left alone, so
a firm editing the text can never make pdpacket fail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELD = re.compile(r"\{([a-z_]+)\}")
SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def fill(template: str, values: Mapping[str, object], *, fields: re.Pattern[str] = FIELD) -> str:
    """``template`` with each ``{name}`` (or each match of ``fields``) replaced
    from ``values``; a name ``values`` lacks stays as written."""

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return str(values[name]) if name in values else m.group(0)

    return fields.sub(value, template)
