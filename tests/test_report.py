"""Report outputs: Finnish by default, every number suppressed below report.min_clients (a small
group planted and followed through the CSVs, the workbook, the page and the infographic),
the review sheet as Finnish Excel opens it, themes.csv as Finnish Excel reads it."""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.config import ReportParams
from pipeline.report.infographic import draw
from pipeline.report.views import summary_of, theme_views
from pipeline.spreadsheet import read_excel_csv
from pipeline.stages import report, themes
from pipeline.workgroup.registry.store import Registry

SMALL_AREA = "Tuusniemi"  # 2 clients of the big theme live here: a small cell
BIG_AREAS = ("Kuopio", "Siilinjärvi")


def corpus(n_big_clients: int = 14, n_small_clients: int = 2):
    """Theme 0 spans many clients (two of them in a small municipality), theme 1 only two
    clients: theme 1 and the small municipality's cell must be suppressed everywhere."""
    seg_rows, topic_rows, doc_rows = [], [], []
    n = n_big_clients + n_small_clients
    for i in range(n):
        for k in range(2):  # two documents per client, half a year apart
            doc_id, topic = f"D{i:02d}{k}", 0 if i < n_big_clients else 1
            text = (
                f"Asiakkaalla {i} on vuokrarästejä, Kelan päätös viipyy ja häätö uhkaa."
                if topic == 0
                else f"Harvinainen ilmiö {i} kirjattiin."
            )
            if topic == 0 and i < 6 and k == 1:
                text += "\n\nEhdotus: Kuntaan perustetaan asumisneuvonnan päivystys."
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
            area = SMALL_AREA if i in (0, 1) else BIG_AREAS[i % 2]
            doc_rows.append(
                {
                    "doc_id": doc_id,
                    "text": text,
                    "client_key": f"p{i}",
                    "date": f"{2024 + k}-0{1 + i % 6}-01",
                    "service": "aikuissosiaalityö" if i % 2 else "lastensuojelu",
                    "area": area,
                    "doc_type": "sosiaalinen_raportti" if k else "palvelutarpeen_arviointi",
                }
            )
    topics = pd.DataFrame(
        {
            "topic": [0, 1],
            "label": ["vuokra, häätö", "harvinainen"],
            "keywords": [
                ["vuokra", "häätö", "kela-kyyti", "talous-_ja_velkaneuvonta"],
                ["harvinainen"],
            ],
            "size": [2 * n_big_clients, 2 * n_small_clients],
        }
    )
    segments, segment_topics = pd.DataFrame(seg_rows), pd.DataFrame(topic_rows)
    docs = pd.DataFrame(doc_rows)
    doc_themes, table = themes.assign_themes(
        segment_topics,
        topics,
        np.eye(2),
        segments,
        docs,
        Registry(),
        min_share=0.25,
        match_threshold=0.5,
    )
    return dict(
        doc_themes=doc_themes,
        themes=table,
        docs=docs,
        segment_topics=segment_topics,
        segments=segments,
    )


@pytest.fixture(scope="module")
def data():
    return corpus()


@pytest.fixture(scope="module")
def out(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    report.write_outputs(folder, params=ReportParams(), metrics={}, demo_key=True, **data)
    return folder


def test_small_groups_are_suppressed_everywhere(data, out):
    hidden = "alle 5"
    # themes.csv: the small theme's counts are words, not numbers
    table = read_excel_csv(out / "themes.csv", dtype=str, keep_default_na=False)
    small = table[table["teema_id"] == "T0002"].iloc[0]
    assert small["asiakirjoja"] == hidden and small["asiakkaita"] == hidden
    assert small["per_100_asiakirjaa"] == ""
    big = table[table["teema_id"] == "T0001"].iloc[0]
    assert big["asiakirjoja"] == "28" and big["asiakkaita"] == "14"
    # breakdowns.csv and the long sheets: no cell of the small municipality or theme, and the
    # cells left out together stand for at least 5 clients (no working it out by subtraction)
    long = read_excel_csv(out / "breakdowns.csv", dtype=str, keep_default_na=False)
    assert SMALL_AREA not in set(long["ryhmä"]) and "T0002" not in set(long["teema_id"])
    areas = long[(long["jaottelu"] == "kunta") & (long["teema_id"] == "T0001")]
    shown = set(areas["ryhmä"])
    docs = data["docs"]
    left_out = docs[(docs["doc_id"].str[:3] < "D14") & ~docs["area"].isin(shown)]
    assert left_out["client_key"].nunique() >= 5
    wb = load_workbook(out / "themes.xlsx")
    for ws in wb.worksheets:
        if ws.title in ("Teemat", "Ohjeet", "_ilmio", "_listat"):
            continue
        values = [c.value for row in ws.iter_rows() for c in row]
        assert SMALL_AREA not in values and "T0002" not in values, ws.title
    sheet = wb["Teemat"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "T0002")
    assert row[header.index("asiakirjoja")] == hidden
    # the page: no article, excerpt or proposal of the small theme; the small cell is hidden
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="T0002"' not in html and "Harvinainen ilmiö" not in html
    cell = re.search(rf"<td>{SMALL_AREA}</td>(.*?)</tr>", html, re.S)
    assert cell and hidden in cell.group(1) and not re.search(r"\d+ / \d+", cell.group(1))
    row = re.search(r"<td>T0002</td>(.*?)</tr>", html, re.S).group(1)
    assert row.count(hidden) == 2 and not re.search(r">\s*\d", row)


def test_infographic_shows_nothing_below_the_minimum(data):
    params = ReportParams()
    views = theme_views(
        data["themes"],
        data["doc_themes"],
        data["docs"],
        data["segment_topics"],
        data["segments"],
        params,
    )
    summary = summary_of(
        data["doc_themes"], data["themes"], data["docs"], demo_key=False, no_themes=None
    )
    fig = draw(views, summary, language="fi", min_clients=5, run="abc")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    page = "\n".join(texts)
    assert "harvinainen" not in page and SMALL_AREA not in page
    # every whole number on the page that counts people or their documents (not a date, a
    # decimal, or the number of themes, the one figure that counts no people)
    themes = ("2", "teemaa · joista työryhmän hyväksymiä 0")
    counts = [
        int(n)
        for t in texts
        if t not in themes and "teemaa." not in t
        for n in re.findall(r"(?<![\w.,:-])(\d+)(?![\w.,:-])", t)
        if not re.fullmatch(r"20\d\d", n)
    ]
    assert counts and all(n >= 5 for n in counts), counts
    # and with a minimum above every group, no count at all
    few = draw(
        views,
        {**summary, "shown": dict.fromkeys(summary["shown"])},
        language="fi",
        min_clients=50,
        run="abc",
    )
    assert "alle 50" in "\n".join(t.get_text() for ax in few.axes for t in ax.texts)
    english = draw(views, summary, language="en", min_clients=5, run="abc")
    assert "Phenomena in client records" in [t.get_text() for ax in english.axes for t in ax.texts]


def test_review_sheet_in_finnish_excel(out):
    """Types, reviewer columns first, validation that refuses typos in Finnish, filter,
    long-form sheets, print setup."""
    wb = load_workbook(out / "themes.xlsx")
    assert wb.sheetnames == [
        "Teemat",
        "_listat",
        "Kunnat",
        "Palvelut",
        "Asiakirjatyypit",
        "Neljännekset",
        "Ehdotukset",
        "Ohjeet",
        "_ilmio",
    ]
    ws = wb["Teemat"]
    header = [c.value for c in ws[1]]
    assert header[:10] == [
        "teema_id",
        "nimi",
        "päätös",
        "uusi_nimi",
        "yhdistä_teemaan",
        "kuvaus",
        "tulkinta",
        "ehdotukset",
        "kommentti",
        "arvioija",
    ]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    docs = rows["T0001"][header.index("asiakirjoja")]
    assert docs.data_type == "n" and docs.value == 28
    rate = rows["T0001"][header.index("per_100_asiakirjaa")]
    assert isinstance(rate.value, float) and rate.number_format == "0.0"
    assert rows["T0002"][header.index("asiakirjoja")].value == "alle 5"
    validations = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    decision = validations["C"]
    assert decision.type == "list" and decision.formula1 == '"hyväksy,hylkää,yhdistä,nimeä"'
    assert decision.showErrorMessage and decision.errorStyle == "stop"
    assert "Valitse päätös luettelosta" in decision.error
    merge = validations["E"]
    assert merge.showErrorMessage and merge.formula1 == "'_listat'!$A$1:$A$2"
    assert [c.value for c in wb["_listat"]["A"]] == ["T0001", "T0002"]
    assert wb["_listat"].sheet_state == "hidden"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}3"
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$1:$1"
    areas = wb["Kunnat"]
    assert [c.value for c in areas[1]][:5] == [
        "teema_id",
        "nimi",
        "kunta",
        "asiakirjoja",
        "ryhmän_asiakirjoja",
    ]
    body = list(areas.iter_rows(min_row=2))
    assert body and all(r[3].data_type == "n" and r[4].data_type == "n" for r in body)
    assert areas.auto_filter.ref.startswith("A1:")
    proposals = [r[2].value for r in wb["Ehdotukset"].iter_rows(min_row=2)]
    assert proposals and set(proposals) == {"Kuntaan perustetaan asumisneuvonnan päivystys."}


def test_themes_csv_as_finnish_excel_reads_it(out):
    raw = (out / "themes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    with (out / "themes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:3] == ["teema_id", "nimi", "tila"] and "yliedustettu_missä" in rows[0]
    assert len({len(r) for r in rows}) == 1  # every row splits into the same columns
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["asiakirjoja"] == "28" and re.fullmatch(r"\d+,\d", row["per_100_asiakirjaa"])
    # keywords as words: no underscores, capitals where the text writes them
    assert row["avainsanat"] == "vuokra, häätö, Kela-kyyti, talous- ja velkaneuvonta"


def test_english_on_request(data, tmp_path):
    report.write_outputs(
        tmp_path, params=ReportParams(language="en"), metrics={}, demo_key=False, **data
    )
    table = read_excel_csv(tmp_path / "themes.csv", "en", dtype=str, keep_default_na=False)
    assert "theme_id" in table.columns and "clients" in table.columns
    assert (tmp_path / "themes.csv").read_bytes().startswith(b"\xef\xbb\xbftheme_id,name,")
    assert "Recurring phenomena" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert load_workbook(tmp_path / "themes.xlsx").sheetnames[0] == "Themes"


def test_html_is_self_contained(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "T0001" in html and "<svg" in html and "@media print" in html
    assert "Kuntaan perustetaan asumisneuvonnan päivystys." in html  # a proposal, under T0001


def test_plots_and_infographic_files(out):
    assert (out / "infographic.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "infographic.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in (out / "plots").iterdir()) == ["T0001.csv", "all.csv"]
    quarters = pd.read_csv(out / "plots" / "T0001.csv")
    assert list(quarters.columns) == ["quarter", "documents", "per_100"]


def test_outputs_are_reproducible(data, tmp_path):
    import time

    for name in ("a", "b"):
        report.write_outputs(
            tmp_path / name, params=ReportParams(), metrics={}, demo_key=False, **data
        )
        time.sleep(2.1)  # zip entry times have 2-second resolution
    for name in ("themes.xlsx", "infographic.png", "infographic.pdf", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
