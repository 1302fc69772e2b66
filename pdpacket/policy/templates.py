"""Filling the firm-editable text in resources/ with a case's values.

Resource sentences name values as ``{name}`` (letter parts, review messages,
e-mail subjects); the letter template names its parts as ``{{ name }}``.  A
name without a value stays as written, and any other brace is left alone, so
a firm editing the text can never make pdpacket fail.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pdpacket.policy import catalog

log = logging.getLogger("pdpacket.policy")

FIELD = re.compile(r"\{([a-z_]+)\}")
SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def fill(template: str, values: Mapping[str, object], *, fields: re.Pattern[str] = FIELD) -> str:
    """``template`` with each ``{name}`` (or each match of ``fields``) replaced
    from ``values``; a name ``values`` lacks stays as written."""

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return str(values[name]) if name in values else m.group(0)

    return fields.sub(value, template)


# ---- the firm's document templates ------------------------------------------------
# A template is a text file in resources/templates/ that a firm may replace with
# a file of the same name in the data folder's templates/ folder.  It opens
# with a comment that says what it is, where its legal statements come from
# and when they were checked:
#
#   <!--
#   title: RESPONDENT'S MOTION TO DISMISS
#   source: 8 CFR 1239.2(c); 8 CFR 239.2(a)
#   verified_on: 2026-12-06
#   attorney_note: (optional) a note the review shows when the packet uses it
#   Anything else in the comment is a note for whoever edits the file.
#   -->
#   The body, in the letter's markup, with {name} fields.

OVERRIDE_FOLDER = "templates"
_HEADER = re.compile(r"\A\s*<!--(.*?)-->\s*", re.S)
_META = re.compile(r"^\s*(title|source|verified_on|attorney_note)\s*:\s*(.*?)\s*$", re.M)


@dataclass(frozen=True)
class Template:
    """One document template, read from the firm's folder or from resources."""

    name: str  # the file name, "motion-dismissal.md"
    body: str  # the text after the header comment
    title: str = ""
    source: str = ""
    verified_on: str = ""
    path: str = ""  # where it was read from
    firm: bool = False  # True: the firm's own file in the data folder
    attorney_note: str = ""  # what the review tells the attorney when the packet uses it

    def filled(self, values: Mapping[str, object]) -> str:
        return fill(self.body, values).strip()

    def filled_title(self, values: Mapping[str, object]) -> str:
        return fill(self.title, values).strip()


def parse_template(name: str, text: str, *, path: str = "", firm: bool = False) -> Template:
    """A template's header fields and body (a file with no header is all body)."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    meta: dict[str, str] = {}
    m = _HEADER.match(text)
    if m:
        meta = {k: v for k, v in _META.findall(m.group(1))}
        text = text[m.end() :]
    return Template(
        name=name,
        body=text.strip("\n"),
        title=meta.get("title", ""),
        source=meta.get("source", ""),
        verified_on=meta.get("verified_on", ""),
        attorney_note=meta.get("attorney_note", ""),
        path=path,
        firm=firm,
    )


def firm_folder(data_dir: str | os.PathLike[str] | None) -> Path | None:
    return Path(data_dir) / OVERRIDE_FOLDER if data_dir else None


def load_template(
    name: str, data_dir: str | os.PathLike[str] | None = None, *, variants: Sequence[str] = ()
) -> Template:
    """The template ``name`` ("motion"): the firm's own file in ``data_dir``/templates
    first (``name-variant.md`` for each variant, then ``name.md``), else the one in
    resources/templates (in the same order).  A firm's file that cannot be read is
    skipped (logged) so a broken edit never stops a build."""
    candidates = [f"{name}-{v}.md" for v in variants if v] + [f"{name}.md"]
    folder = firm_folder(data_dir)
    if folder is not None:
        for filename in candidates:
            own = folder / filename
            try:
                if own.is_file():
                    text = own.read_text(encoding="utf-8")
                    return parse_template(filename, text, path=str(own), firm=True)
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("template %s not used: %s", own, exc)
    root = catalog.resource_root().joinpath(OVERRIDE_FOLDER)
    for filename in candidates:
        entry = root.joinpath(filename)
        if entry.is_file():
            return parse_template(filename, entry.read_text(encoding="utf-8"), path=str(entry))
    raise KeyError(f"no template {name!r} in resources/templates")


def template_names() -> list[str]:
    """The packaged templates a firm may copy and edit."""
    root = catalog.resource_root().joinpath(OVERRIDE_FOLDER)
    # the letter's template is read by the letter's draft, README.md explains them
    skip = {"README.md", "letter.md"}
    return sorted(e.name for e in root.iterdir() if e.name.endswith(".md") and e.name not in skip)
