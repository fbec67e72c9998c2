"""Review import: reading filled sheets, refusing bad ones with one line naming sheet, row and
column, agreement between reviewers, the disagreement rule, and the registry update.

The helpers at the top (an in-code run with a real review sheet, and `fill`) are shared with
test_registry.py and test_report_chromium.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import ReportParams
from pipeline.errors import InputError
from pipeline.i18n import texts
from pipeline.stages import report, themes
from pipeline.workgroup import decisions, sheets
from pipeline.workgroup.registry.runstate import RUN_STATE, read_run_state, write_run_state
from pipeline.workgroup.registry.store import (
    RegisteredTheme,
    Registry,
    load_registry,
    save_registry,
)

WORDS = [
    ("vuokra", "häätö"),
    ("velka", "ulosotto"),
    ("päihde", "alkoholi"),
    ("yksinäisyys", "ystävä"),
    ("koulu", "poissaolo"),
    ("toimeentulotuki", "hakemus"),
]
DIM = 8


def topic_centroids(n: int = len(WORDS), noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """Unit vectors, one per topic, nearly orthogonal; `noise` moves them a little."""
    rng = np.random.default_rng(seed)
    out = np.eye(n, DIM, dtype=np.float32) + noise * rng.standard_normal((n, DIM))
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def corpus(n_topics: int = len(WORDS), per_topic: int = 6):
    seg_rows, topic_rows, doc_rows = [], [], []
    for topic in range(n_topics):
        for k in range(per_topic):
            doc_id = f"D{topic}{k:02d}"
            text = f"Asiakkaan {WORDS[topic][0]} ja {WORDS[topic][1]} puheeksi tapaamisessa {k}."
            seg_rows.append(
                {
                    "segment_id": f"{doc_id}#1",
                    "doc_id": doc_id,
                    "n": 1,
                    "text": text,
                    "lang": "fi",
                    "boilerplate": False,
                }
            )
            topic_rows.append(
                {"segment_id": f"{doc_id}#1", "doc_id": doc_id, "topic": topic, "probability": 0.9}
            )
            doc_rows.append(
                {
                    "doc_id": doc_id,
                    "text": text,
                    "client_key": f"p{topic}{k}",
                    "date": f"2024-{1 + 3 * (k % 4):02d}-15",
                    "service": "aikuissosiaalityö" if k % 2 else "lastensuojelu",
                    "area": "Kuopio" if k % 3 else "Siilinjärvi",
                    "doc_type": "t",
                }
            )
    topics = pd.DataFrame(
        {
            "topic": list(range(n_topics)),
            "label": [", ".join(WORDS[t]) for t in range(n_topics)],
            "keywords": [list(WORDS[t]) for t in range(n_topics)],
            "size": [per_topic] * n_topics,
        }
    )
    return (pd.DataFrame(seg_rows), pd.DataFrame(topic_rows), topics, pd.DataFrame(doc_rows))


def make_run(
    out_dir: Path,
    registry: Registry | None = None,
    *,
    noise: float = 0.0,
    language: str = "fi",
    threshold: float = 0.5,
) -> dict:
    """Themes + report + run state in `out_dir`; returns the pieces."""
    segments, segment_topics, topics, docs = corpus()
    centroids = topic_centroids(noise=noise)
    doc_themes, table = themes.assign_themes(
        segment_topics,
        topics,
        centroids,
        segments,
        docs,
        registry or Registry(),
        min_share=0.25,
        match_threshold=threshold,
    )
    report.write_outputs(
        out_dir,
        doc_themes=doc_themes,
        themes=table,
        docs=docs,
        segment_topics=segment_topics,
        segments=segments,
        params=ReportParams(language=language),
        metrics={},
        demo_key=True,
        registry=registry,
    )
    run = report.run_id(doc_themes, table)
    write_run_state(out_dir / RUN_STATE, table, centroids, run)
    return {"themes": table, "doc_themes": doc_themes, "run_id": run, "centroids": centroids}


def fill(
    src: Path, dst: Path, reviewer: str | None, decisions: dict[str, tuple], language: str = "fi"
) -> Path:
    """Copy the sheet and fill rows: theme id -> (decision, new_name, merge_into[, description]).

    `decision` is the canonical word (accept/reject/merge/rename), written in the sheet's
    language, as the drop-down would.
    """
    t = texts(language)
    words = dict(
        zip(("accept", "reject", "merge", "rename"), t["decisions"].split(","), strict=True)
    )
    wb = load_workbook(src)
    ws = wb[t["sheet_themes"]]
    header = [c.value for c in ws[1]]
    col = {
        k: header.index(t[k]) + 1
        for k in ("theme_id", "decision", "new_name", "merge_into", "description", "reviewer")
    }
    for row in range(2, ws.max_row + 1):
        theme_id = ws.cell(row=row, column=col["theme_id"]).value
        if theme_id not in decisions:
            continue
        decision, new_name, merge_into, *rest = (*decisions[theme_id], "")
        ws.cell(row=row, column=col["decision"]).value = words.get(decision, decision)
        ws.cell(row=row, column=col["new_name"]).value = new_name or None
        ws.cell(row=row, column=col["merge_into"]).value = merge_into or None
        ws.cell(row=row, column=col["description"]).value = rest[0] or None
        ws.cell(row=row, column=col["reviewer"]).value = reviewer
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


# --- tests ---------------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path):
    out = tmp_path / "run"
    return out, make_run(out)


def import_sheets(files, run_dir, registry=None, chair=None):
    registry = registry or Registry()
    reviews = sheets.read_sheets(files)
    state = read_run_state(run_dir)
    decisions.validate(reviews, state, registry)
    res = decisions.resolve(reviews, state, registry, chair=chair)
    info = decisions.RunInfo(state, "2025-01-31", reviews.sheets, res.agreement, res.disputed)
    return res, decisions.apply_decisions(registry, res, info)


def test_two_reviewers_majority_rule_and_kappa(run, tmp_path):
    out, _ = run
    common = {
        "T0001": ("accept", "", ""),
        "T0002": ("rename", "Velkaantuminen", ""),
        "T0003": ("reject", "", ""),
        "T0004": ("merge", "", "T0001"),
    }
    a = fill(
        out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {**common, "T0005": ("accept", "", "")}
    )
    b = fill(
        out / "themes.xlsx", tmp_path / "b.xlsx", "Bertta", {**common, "T0005": ("reject", "", "")}
    )
    res, registry = import_sheets([a, b], out)
    assert res.agreement["measure"] == "cohen_kappa"
    assert res.agreement["percent"] == 80.0
    assert 0 < res.agreement["value"] < 1
    assert res.disputed == {"T0005": "decision"}
    by_id = {t.id: t for t in registry.themes}
    assert by_id["T0001"].status == "accepted" and by_id["T0001"].name == "vuokra, häätö"
    assert by_id["T0002"].status == "accepted" and by_id["T0002"].name == "Velkaantuminen"
    assert by_id["T0003"].status == "rejected"
    assert by_id["T0004"].status == "merged" and by_id["T0004"].merged_into == "T0001"
    assert by_id["T0005"].status == "candidate"  # no majority, no chair: unchanged, listed
    assert by_id["T0006"].status == "candidate"  # nobody decided
    assert by_id["T0002"].reviewers == ("Anna", "Bertta") and by_id["T0002"].decided_in == 1
    assert registry.centroids.shape == (6, DIM)
    entry = registry.history[-1]
    assert entry["round"] == 1 and entry["run_id"] == read_run_state(out).run_id
    assert entry["disputed"] == [{"id": "T0005", "about": "decision"}]
    assert {
        "id": "T0002",
        "status": ["candidate", "accepted"],
        "name": ["velka, ulosotto", "Velkaantuminen"],
    } in entry["changes"]


def test_chair_breaks_a_tie(run, tmp_path):
    out, _ = run
    a = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0005": ("accept", "", "")})
    b = fill(out / "themes.xlsx", tmp_path / "b.xlsx", "Bertta", {"T0005": ("reject", "", "")})
    res, registry = import_sheets([a, b], out, chair="bertta")
    assert not res.disputed
    assert registry.get("T0005").status == "rejected"


def test_name_tie_keeps_current_name_and_is_listed(run, tmp_path):
    out, _ = run
    a = fill(
        out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("rename", "Asuminen", "")}
    )
    b = fill(
        out / "themes.xlsx", tmp_path / "b.xlsx", "Bertta", {"T0001": ("rename", "Häätöuhka", "")}
    )
    res, registry = import_sheets([a, b], out)
    assert res.disputed == {"T0001": "name"}
    assert registry.get("T0001").status == "accepted"
    assert registry.get("T0001").name == "vuokra, häätö"


def test_three_reviewers_krippendorff_alpha(run, tmp_path):
    out, _ = run
    votes = {"T0001": ("accept", "", ""), "T0002": ("reject", "", ""), "T0003": ("accept", "", "")}
    files = [fill(out / "themes.xlsx", tmp_path / f"{n}.xlsx", n, votes) for n in "ABC"]
    files.append(
        fill(out / "themes.xlsx", tmp_path / "D.xlsx", "D", {**votes, "T0003": ("reject", "", "")})
    )
    res, registry = import_sheets(files, out)
    assert res.agreement["measure"] == "krippendorff_alpha"
    assert -1 <= res.agreement["value"] < 1
    assert registry.get("T0003").status == "accepted"  # 3 of 4


def test_history_is_appended_and_import_is_idempotent(run, tmp_path):
    out, _ = run
    path = tmp_path / "configs" / "theme_registry.yaml"
    a = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("accept", "", "")})
    _, first = import_sheets([a], out, load_registry(path))
    save_registry(first, path)
    _, again = import_sheets([a], out, load_registry(path))
    assert len(again.history) == 1  # same sheets, same run: nothing new
    b = fill(out / "themes.xlsx", tmp_path / "b.xlsx", "Bertta", {"T0003": ("reject", "", "")})
    _, second = import_sheets([b], out, load_registry(path))
    save_registry(second, path)
    loaded = load_registry(path)
    assert [h["round"] for h in loaded.history] == [1, 2]
    assert loaded.get("T0001").status == "accepted" and loaded.get("T0003").status == "rejected"


# Each case: what the reviewer did wrong, and the column the message must name.
BAD = [
    ({"T0001": ("ehkä", "", "")}, "päätös", "tuntematon päätös"),
    ({"T0001": ("rename", "", "")}, "uusi_nimi", "uuden nimen"),
    ({"T0001": ("merge", "", "")}, "yhdistä_teemaan", "yhdistetään"),
    ({"T0001": ("merge", "", "T0077")}, "yhdistä_teemaan", "T0077"),
    ({"T0001": ("merge", "", "T0001")}, "yhdistä_teemaan", "itseensä"),
    ({"T0001": ("accept", "", "T0002")}, "yhdistä_teemaan", "ei ole yhdistä"),
    ({"T0001": ("merge", "", "T0002"), "T0002": ("reject", "", "")}, "yhdistä_teemaan", "hylätty"),
    (
        {"T0001": ("merge", "", "T0002"), "T0002": ("merge", "", "T0001")},
        "yhdistä_teemaan",
        "kehän",
    ),
    # A formula is refused, not read as its (missing) cached value.
    ({"T0001": ('=IF(1=1,"hyväksy","hylkää")', "", "")}, "päätös", "kaava"),
    (
        {"T0001": ("accept", "", ""), "T0002": ("rename", '=HYPERLINK("x")', "")},
        "uusi_nimi",
        "kaava",
    ),
]


@pytest.mark.parametrize(("decisions", "column", "words"), BAD)
def test_bad_rows_are_refused_naming_sheet_row_and_column(run, tmp_path, decisions, column, words):
    out, _ = run
    sheet = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", decisions)
    with pytest.raises(InputError) as err:
        import_sheets([sheet], out)
    line = err.value.one_line()
    assert "[Teemat]" in line and f"column '{column}'" in line and "row " in line
    assert words in line and "\n" not in line


def test_unknown_theme_id_is_refused(run, tmp_path):
    out, _ = run
    sheet = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0004": ("accept", "", "")})
    wb = load_workbook(sheet)
    wb["Teemat"]["A5"] = "T0099"  # row 5 holds T0004: a reviewer typed over the id
    wb.save(sheet)
    with pytest.raises(InputError, match="teemaa T0099 ei ole tässä ajossa") as err:
        import_sheets([sheet], out)
    assert err.value.row == 5 and err.value.column == "teema_id"


def test_empty_reviewer_is_refused(run, tmp_path):
    out, _ = run
    sheet = fill(out / "themes.xlsx", tmp_path / "a.xlsx", None, {"T0002": ("accept", "", "")})
    with pytest.raises(InputError, match="arvioija puuttuu") as err:
        sheets.read_sheets([sheet])
    assert err.value.row == 3 and err.value.column == "arvioija"


def test_merge_into_a_theme_rejected_earlier_is_refused(run, tmp_path):
    out, _ = run
    registry = Registry((RegisteredTheme("T0010", "Vanha", "rejected"),))
    sheet = fill(
        out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("merge", "", "T0010")}
    )
    with pytest.raises(InputError, match="T0010 on hylätty"):
        import_sheets([sheet], out, registry)


def test_stale_sheet_is_refused(run, tmp_path):
    out, _ = run
    sheet = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("accept", "", "")})
    wb = load_workbook(sheet)
    wb["_ilmio"]["B1"] = "0123456789ab"
    wb.save(sheet)
    with pytest.raises(InputError, match="toisesta ajosta") as err:
        import_sheets([sheet], out)
    assert "[_ilmio]" in err.value.one_line() and err.value.row == 1


def test_not_a_review_sheet(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "muu.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match="ei ole ilmion arviointitaulukko"):
        sheets.read_sheets([path])
    (tmp_path / "rikki.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="Excel"):
        sheets.read_sheets([tmp_path / "rikki.xlsx"])


def test_same_reviewer_twice_is_refused(run, tmp_path):
    out, _ = run
    a = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("accept", "", "")})
    b = fill(out / "themes.xlsx", tmp_path / "b.xlsx", "anna", {"T0001": ("reject", "", "")})
    with pytest.raises(InputError, match="kahdesti"):
        sheets.read_sheets([a, b])


def test_english_sheet(tmp_path):
    out = tmp_path / "run"
    make_run(out, language="en")
    sheet = fill(
        out / "themes.xlsx",
        tmp_path / "a.xlsx",
        "Ann",
        {"T0001": ("rename", "Housing", ""), "T0002": ("merge", "", "T0009")},
        language="en",
    )
    with pytest.raises(InputError, match="theme T0009 does not exist") as err:
        import_sheets([sheet], out)
    assert err.value.column == "merge_into"


def test_sheet_without_run_state_falls_back_to_the_sheet(run, tmp_path):
    out, made = run
    state = sheets.state_from_sheet(out / "themes.xlsx")
    assert state.run_id == made["run_id"] and state.centroids is None
    assert [t.theme_id for t in state.themes] == [f"T000{i}" for i in range(1, 7)]
    assert state.get("T0001").keywords == ("vuokra", "häätö")


def cli(argv):
    from pipeline.workgroup import cli as review_cli

    parser = argparse.ArgumentParser(prog="ilmio")
    sub = parser.add_subparsers(dest="command", required=True)
    review_cli.add_parsers(sub)
    return review_cli.dispatch(parser.parse_args(argv))


def test_cli_export_import_codebook(run, tmp_path, capsys):
    out, _ = run
    folder = tmp_path / "review" / "current"
    assert (
        cli(
            [
                "review",
                "export",
                "--run",
                str(out),
                "--out",
                str(folder / "anna.xlsx"),
                "--reviewer",
                "Anna",
            ]
        )
        == 0
    )
    assert (folder / "themes_state.json").exists()
    wb = load_workbook(folder / "anna.xlsx")
    header = [c.value for c in wb["Teemat"][1]]
    assert wb["Teemat"].cell(row=2, column=header.index("arvioija") + 1).value == "Anna"
    assert wb["_ilmio"].sheet_state == "hidden"
    fill(
        folder / "anna.xlsx",
        folder / "anna.xlsx",
        "Anna",
        {"T0001": ("accept", "", ""), "T0002": ("rename", "Velkaantuminen", "")},
    )
    fill(
        folder / "anna.xlsx",
        folder / "bertta.xlsx",
        "Bertta",
        {"T0001": ("accept", "", ""), "T0002": ("rename", "Velkaantuminen", "")},
    )
    registry_path = tmp_path / "configs" / "theme_registry.yaml"
    assert (
        cli(
            [
                "review",
                "import",
                str(folder),
                "--registry",
                str(registry_path),
                "--date",
                "2025-02-01",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "Cohenin kappa" in printed and "Arvioijat (2)" in printed
    registry = load_registry(registry_path)
    assert registry.get("T0002").name == "Velkaantuminen"
    assert (registry_path.parent / "theme_centroids.npy").exists()
    assert (
        cli(
            [
                "codebook",
                "--registry",
                str(registry_path),
                "--out",
                str(tmp_path / "koodikirja.qdc"),
            ]
        )
        == 0
    )
    assert "2 themes" in capsys.readouterr().out


def test_cli_import_of_an_empty_folder_writes_the_registry_unchanged(tmp_path):
    folder = tmp_path / "review" / "current"
    folder.mkdir(parents=True)
    registry_path = tmp_path / "configs" / "theme_registry.yaml"
    assert cli(["review", "import", str(folder), "--registry", str(registry_path)]) == 0
    assert registry_path.exists() and (registry_path.parent / "theme_centroids.npy").exists()
    assert load_registry(registry_path) == Registry()


def test_interpretation_and_proposals_reach_the_registry_and_the_report(run, tmp_path):
    """The workgroup's `kuvaus`, `tulkinta` and `ehdotukset` go through review import into the
    registry, and the next report shows them for the accepted theme (page and infographic)."""
    out, _ = run
    src = fill(out / "themes.xlsx", tmp_path / "a.xlsx", "Anna", {"T0001": ("accept", "", "")})
    wb = load_workbook(src)
    ws = wb["Teemat"]
    header = [c.value for c in ws[1]]
    texts_in = {
        "kuvaus": "Vuokrarästit johtavat häätöuhkaan.",
        "tulkinta": "Ilmiö näkyy erityisesti nuorilla aikuisilla.",
        "ehdotukset": "Perustetaan asumisneuvonnan päivystys.\nNopeutetaan tukipäätöksiä.",
    }
    for column, value in texts_in.items():
        ws.cell(row=2, column=header.index(column) + 1).value = value
    assert ws.cell(row=2, column=1).value == "T0001"
    wb.save(src)
    _, registry = import_sheets([src], out)
    theme = registry.get("T0001")
    assert theme.status == "accepted" and theme.description == texts_in["kuvaus"]
    assert theme.interpretation == texts_in["tulkinta"]
    assert theme.proposals == texts_in["ehdotukset"]  # line breaks kept
    save_registry(registry, tmp_path / "registry.yaml")
    again = load_registry(tmp_path / "registry.yaml")
    assert again.get("T0001").proposals == texts_in["ehdotukset"]
    nxt = tmp_path / "next"
    make_run(nxt, again)
    html = (nxt / "report.html").read_text(encoding="utf-8")
    for value in texts_in.values():
        assert value.split("\n")[0] in html
    assert "hyväksytty" in html
