"""Export the accepted themes as a REFI-QDA codebook (`.qdc`), which NVivo, ATLAS.ti, MAXQDA
and QualCoder import (REFI-QDA standard 1.5, schema `Codebook.xsd`, namespace
`urn:QDA-XML:codebook:1.0`).

Structure: `CodeBook[@origin]` > `Codes` > `Code[@guid @name @isCodable @color]` >
`Description`; then `Sets` > `Set[@guid @name]` > `Description`, `MemberCode[@guid]`.
GUIDs are derived from the theme id (UUID 5), so a re-export gives the same GUIDs and a QDA
tool recognises the same codes; output bytes depend only on the registry.

Reads:  configs/theme_registry.yaml      Writes: the `.qdc` file given on the command line
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pipeline
from pipeline.errors import ConfigError
from pipeline.i18n import codebook_words
from pipeline.workgroup.registry.store import RegisteredTheme, Registry

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Fixed namespace for ilmio's GUIDs: uuid5(NAMESPACE_URL, "urn:ilmio:theme").
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ilmio:theme")
# Colour-blind-safe palette (Okabe–Ito), cycled by theme number.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def theme_guid(theme_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, theme_id))


def theme_colour(theme_id: str) -> str:
    digits = "".join(ch for ch in theme_id if ch.isdigit())
    return PALETTE[int(digits or 0) % len(PALETTE)]


def _description(theme: RegisteredTheme, merged: list[RegisteredTheme], language: str) -> str:
    words = codebook_words(language)
    parts = [theme.description] if theme.description else []
    if theme.keywords:
        parts.append(words["keywords"] + ", ".join(theme.keywords))
    if merged:
        parts.append(words["merged_here"] + ", ".join(f"{m.id} {m.name}" for m in merged))
    parts.append(f"ilmio {theme.id}")
    return "\n".join(parts)


def codebook_tree(registry: Registry, *, language: str = "fi") -> ET.ElementTree:
    """The codebook of accepted themes (sorted by id) as an element tree."""
    ET.register_namespace("", NAMESPACE)
    q = f"{{{NAMESPACE}}}"
    root = ET.Element(f"{q}CodeBook", {"origin": f"ilmio {pipeline.__version__}"})
    codes = ET.SubElement(root, f"{q}Codes")
    accepted = sorted((t for t in registry.themes if t.status == "accepted"), key=lambda t: t.id)
    for theme in accepted:
        merged = sorted(
            (
                t
                for t in registry.themes
                if t.status == "merged" and (registry.final_target(t.id) or t).id == theme.id
            ),
            key=lambda t: t.id,
        )
        code = ET.SubElement(
            codes,
            f"{q}Code",
            {
                "guid": theme_guid(theme.id),
                "name": theme.name or theme.id,
                "isCodable": "true",
                "color": theme_colour(theme.id),
            },
        )
        ET.SubElement(code, f"{q}Description").text = _description(theme, merged, language)
    if accepted:
        sets = ET.SubElement(root, f"{q}Sets")
        words = codebook_words(language)
        group = ET.SubElement(
            sets, f"{q}Set", {"guid": theme_guid("set:accepted"), "name": words["set_name"]}
        )
        ET.SubElement(group, f"{q}Description").text = words["set_description"]
        for theme in accepted:
            ET.SubElement(group, f"{q}MemberCode", {"guid": theme_guid(theme.id)})
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def write_codebook(registry: Registry, path: Path, *, language: str = "fi") -> int:
    """Write the `.qdc` file; return the number of codes (accepted themes)."""
    tree = codebook_tree(registry, language=language)
    if not len(tree.getroot()[0]):
        # Codebook.xsd requires at least one Code.
        raise ConfigError("no accepted themes in the registry: nothing to export")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return len(tree.getroot()[0])
