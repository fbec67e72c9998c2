"""REFI-QDA codebook export (.qdc): structure checked against the rules of the published
schema (REFI-QDA 1.5, Codebook.xsd, namespace urn:QDA-XML:codebook:1.0).

lxml/xmlschema are not dependencies, so the schema's rules are restated here: root CodeBook
with optional `origin`; child sequence Codes (required), Sets (optional); Code has required
guid (GUIDType), name, isCodable (xs:boolean), optional color (RGBType) and children
Description? then Code*; Set has guid, name and children Description? then MemberCode*
(required guid); no other elements or attributes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np

from pipeline.workgroup.codebook import NAMESPACE, theme_guid, write_codebook
from pipeline.workgroup.registry.store import RegisteredTheme, Registry

Q = f"{{{NAMESPACE}}}"
GUID = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)
RGB = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
BOOLEAN = {"true", "false", "1", "0"}


def check_code(code: ET.Element) -> None:
    assert code.tag == f"{Q}Code"
    assert set(code.attrib) <= {"guid", "name", "isCodable", "color"}
    assert GUID.match(code.attrib["guid"]) and code.attrib["name"]
    assert code.attrib["isCodable"] in BOOLEAN
    assert "color" not in code.attrib or RGB.match(code.attrib["color"])
    children = list(code)
    if children and children[0].tag == f"{Q}Description":
        assert not list(children[0])
        children = children[1:]
    for child in children:
        check_code(child)


def check_codebook(root: ET.Element) -> list[ET.Element]:
    """Raise AssertionError where the tree breaks Codebook.xsd; return the top-level codes."""
    assert root.tag == f"{Q}CodeBook"
    assert set(root.attrib) <= {"origin"}
    children = list(root)
    assert [c.tag for c in children] in ([f"{Q}Codes"], [f"{Q}Codes", f"{Q}Sets"])
    codes = list(children[0])
    assert codes, "CodesType needs at least one Code"
    for code in codes:
        check_code(code)
    if len(children) == 2:
        sets = list(children[1])
        assert sets
        for group in sets:
            assert group.tag == f"{Q}Set" and set(group.attrib) == {"guid", "name"}
            assert GUID.match(group.attrib["guid"])
            members = list(group)
            if members and members[0].tag == f"{Q}Description":
                members = members[1:]
            for member in members:
                assert member.tag == f"{Q}MemberCode" and set(member.attrib) == {"guid"}
                assert GUID.match(member.attrib["guid"])
    guids = [e.attrib["guid"] for e in root.iter() if e.tag in (f"{Q}Code", f"{Q}Set")]
    assert len(set(guids)) == len(guids)
    return codes


def registry() -> Registry:
    return Registry(
        (
            RegisteredTheme(
                "T0001",
                "Asumisen ongelmat",
                "accepted",
                ("vuokra", "häätö"),
                "Vuokrarästit & häätöuhka <kiireellinen>",
            ),
            RegisteredTheme("T0002", "Velkaantuminen", "accepted", ("velka", "ulosotto")),
            RegisteredTheme("T0003", "Kirjaustapa", "rejected", ("asiakas",)),
            RegisteredTheme("T0004", "vuokra, rästi", "merged", ("rästi",), merged_into="T0001"),
            RegisteredTheme("T0005", "koulu", "candidate", ("koulu",)),
        ),
        np.zeros((5, 4), dtype=np.float32),
    )


def test_codebook_follows_the_schema_and_holds_only_accepted_themes(tmp_path):
    path = tmp_path / "teemat.qdc"
    assert write_codebook(registry(), path) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(raw)
    codes = check_codebook(root)
    assert [c.attrib["name"] for c in codes] == ["Asumisen ongelmat", "Velkaantuminen"]
    description = codes[0].find(f"{Q}Description").text
    assert "Vuokrarästit & häätöuhka <kiireellinen>" in description  # escaped and read back
    assert "T0004 vuokra, rästi" in description  # merged theme named in its target
    assert "Kirjaustapa" not in raw.decode() and "koulu" not in raw.decode()
    members = [m.attrib["guid"] for m in root.iter(f"{Q}MemberCode")]
    assert members == [c.attrib["guid"] for c in codes]


def test_guids_are_stable_across_exports(tmp_path):
    write_codebook(registry(), tmp_path / "a.qdc")
    write_codebook(registry(), tmp_path / "b.qdc", language="fi")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    assert theme_guid("T0001") == theme_guid("T0001") != theme_guid("T0002")


def test_no_accepted_theme_is_an_error(tmp_path):
    import pytest

    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="no accepted themes"):
        write_codebook(Registry(), tmp_path / "x.qdc")
