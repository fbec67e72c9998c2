#!/usr/bin/env python3
"""Run `ilmio run` on files written to break it and print what each gave: exit code and the one
line, or the outputs written. Then scan the outputs of a formula-laden file, check small-cell
suppression with a client column named `asiakas`, and kill -9 runs over an older output.

    .venv/bin/python scripts/hostile_inputs.py [--work DIR]

Builds every input from the bundled sample (`data/sample/records.csv`) into DIR (a temporary
folder by default). Standard output only; nothing here is a test (see tests/test_hostile_*).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
KEY = "hostile-demo-key-0123456789"
FINNISH = [
    "Asiakkaalla on vuokrarästejä ja häätö uhkaa ensi kuussa.",
    "Hän odottaa edelleen päihdehoitoon pääsyä ja voi huonosti.",
    "Toimeentulotukihakemusta ei ole käsitelty kolmeen viikkoon.",
    "Verkkopankkitunnuksia ei ole, joten sähköinen asiointi ei onnistu.",
    "Asiakas kokee yksinäisyyttä ja kaipaa kerhotoimintaa lähelle.",
]


def ilmio(*args: str, key: str = KEY, env_extra: dict | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("ILMIO_PSEUDONYM_KEY", "CI")}
    env.update({"ILMIO_PSEUDONYM_KEY": key, **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def summary(out: subprocess.CompletedProcess, out_dir: Path) -> str:
    lines = [line for line in out.stderr.splitlines() if line.startswith("ilmio:")]
    if lines:
        return lines[-1]
    if out.returncode == 0 and (out_dir / "metrics.json").exists():
        m = json.loads((out_dir / "metrics.json").read_text(encoding="utf-8"))
        no = m["topics"].get("no_themes")
        ing = m["ingest"]
        return (
            f"outputs: {len(list(out_dir.iterdir()))} files; rows {ing['n_rows']} = "
            f"{ing['n_ingested']} + {ing['n_quarantined']} quarantined; source "
            f"{ing['source']}; themes {m['themes']['n_themes']}"
            + (f"; no themes: {no['reason']}" if no else "")
        )
    return "(no line)"


def frame(texts: list[str], clients: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"D{i:03d}" for i in range(len(texts))],
            "client_id": [f"C{i % clients}" for i in range(len(texts))],
            "date": "2024-05-01",
            "text": texts,
        }
    )


def build(work: Path, sample: pd.DataFrame) -> dict[str, tuple[Path, list[str]]]:
    """name -> (input file, extra arguments)."""
    cases: dict[str, tuple[Path, list[str]]] = {}

    def add(name, path, *extra):
        cases[name] = (path, list(extra))

    p = work / "formulas.csv"
    f = sample.head(150).copy()
    f.loc[f.index[:10], "text"] = "=cmd|' /C calc'!A0 " + f.loc[f.index[:10], "text"]
    f.loc[f.index[10:20], "text"] = '=HYPERLINK("http://x","x") ' + f.loc[f.index[10:20], "text"]
    f.loc[f.index[:60], "service"] = "=1+1"
    f.loc[f.index[60:120], "municipality"] = "+A1"
    f.loc[f.index[:3], "id"] = ['=HYPERLINK("http://x","x")', "+1+1", "@SUM(0)"]
    f.to_csv(p, index=False)
    add("formulas", p)
    p = work / "asiakas.csv"
    a = sample.head(150).rename(columns={"client_id": "asiakas"})
    a["asiakas"] = ["A", "B"] * 75
    a.to_csv(p, index=False)
    add("asiakas_2_clients", p)
    p = work / "no_client_column.csv"
    sample.head(150).drop(columns=["client_id"]).to_csv(p, index=False)
    add("no_client_column", p)
    add("no_client_column_acknowledged", p, "--no-client-column")
    for name, texts in {
        "one_row": FINNISH[:1],
        "three_rows": FINNISH[:3],
        "swedish_only": [
            f"Klienten har hyresskulder och väntar på vård. Dag {i}." for i in range(30)
        ],
        "english_only": [
            f"The client has rent arrears and waits for care. Day {i}." for i in range(30)
        ],
        "identical_30": FINNISH[:1] * 30,
        "small_pool_60": [f"{FINNISH[i % 5]} {FINNISH[(i * 3 + 1) % 5]}" for i in range(60)],
        "control_codes_nul": [f"{s}\x00\x07\x1b[0m loppu" for s in FINNISH * 4],
    }.items():
        p = work / f"{name}.csv"
        frame(texts).to_csv(p, index=False)
        add(name, p)
    semi = sample.head(150)
    p = work / "semicolon.csv"
    semi.to_csv(p, index=False, sep=";")
    add("semicolon_delimited", p)
    p = work / "semicolon_no_commas.csv"
    semi.assign(text=semi["text"].str.replace(",", "")).to_csv(p, index=False, sep=";")
    add("semicolon_without_commas_in_text", p)
    p = work / "windows1252.csv"
    p.write_bytes(semi.to_csv(index=False, sep=";").encode("cp1252", errors="replace"))
    add("windows_1252", p)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Kansilehti"
    wb.active.append(["Asiakaskirjaukset"])
    ws = wb.create_sheet("Kirjaukset")
    ws.append(["Poiminta 2023–2025"])
    ws.append([])
    ws.append(list(semi.columns))
    for row in semi.itertuples(index=False):
        values = list(row)
        d = values[semi.columns.get_loc("date")]
        values[semi.columns.get_loc("date")] = (
            pd.Timestamp(d) - pd.Timestamp("1899-12-30")
        ).days  # as an Excel serial number
        ws.append(values)
    p = work / "second_sheet_header_row_3.xlsx"
    wb.save(p)
    add("xlsx_second_sheet_row3_serial_dates", p)
    p = work / "line_separator.jsonl"
    with p.open("w", encoding="utf-8") as handle:
        for row in semi.itertuples(index=False):
            record = row._asdict()
            record["text"] = record["text"].replace(". ", ".\u2028", 1)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    add("jsonl_with_u2028", p)
    return cases


def scan(out_dir: Path) -> str:
    from openpyxl import load_workbook

    formulas = fields = 0
    for path in sorted(out_dir.rglob("*")):
        if path.suffix == ".xlsx":
            wb = load_workbook(path)
            formulas += sum(
                1 for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"
            )
        elif path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            sep = (
                ";"
                if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",")
                else ","
            )
            rows = csv.reader(text.splitlines(), delimiter=sep)
            fields += sum(1 for r in rows for x in r if x[:1] in ("=", "+", "-", "@"))
    return f"formula cells in xlsx: {formulas}; CSV fields starting with = + - @: {fields}"


def shown_counts(out_dir: Path) -> list[str]:
    themes = pd.read_csv(
        out_dir / "themes.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    html = re.sub(r"<style>.*?</style>|<tr><th>Teemoja</th><td>\d+</td></tr>", "", html, flags=re.S)
    cells = [v for c in ("asiakirjoja", "asiakkaita") for v in themes[c]] + re.findall(
        r"<td[^>]*>(\d+)</td>", html
    )
    return [v for v in cells if v.isdigit() and int(v) < 5] + (
        ["excerpt"] if "<blockquote>" in html else []
    )


def kill_during(stage_done: str, path: Path, out: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["ILMIO_PSEUDONYM_KEY"] = KEY
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(path), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stderr:
        if f"{stage_done} done in" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    return f"killed after '{stage_done} done' (rc {proc.returncode})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ilmio-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    sample = pd.read_csv(ROOT / "data/sample/records.csv", dtype=str, keep_default_na=False)
    cases = build(work, sample)
    for name, (path, extra) in cases.items():
        out_dir = work / f"out_{name}"
        out = ilmio("run", str(path), "--out", str(out_dir), *extra)
        print(f"{name}: exit {out.returncode}: {summary(out, out_dir)}", flush=True)
        if name == "formulas":
            print(f"  scan of {out_dir.name}: {scan(out_dir)}")
        if name == "asiakas_2_clients":
            print(f"  counts below 5 or excerpts shown: {shown_counts(out_dir) or 'none'}")
    # The command line refusing before any work.
    target = work / "a_file.txt"
    target.write_text("user's file", encoding="utf-8")
    for name, args_ in {
        "out_is_a_file": ["--out", str(target)],
        "short_key": ["--out", str(work / "o")],
    }.items():
        out = ilmio(
            "run", str(cases["three_rows"][0]), *args_, key="a" if name == "short_key" else KEY
        )
        print(f"{name}: exit {out.returncode}: {summary(out, work / 'o')}")
    users = work / "users_folder"
    (users / "model").mkdir(parents=True, exist_ok=True)
    (users / "report.html").write_text("user's report", encoding="utf-8")
    (users / "model" / "mine.bin").write_text("x", encoding="utf-8")
    for extra in ([], ["--force"]):
        out = ilmio("run", str(cases["three_rows"][0]), "--out", str(users), *extra)
        kept = (users / "report.html").read_text(encoding="utf-8") == "user's report"
        print(f"users_folder {' '.join(extra)}: exit {out.returncode}: {summary(out, users)}")
        mine = (users / "model" / "mine.bin").exists()
        print(f"  user's report.html kept: {kept}; model/mine.bin kept: {mine}")
    # kill -9 over an older output.
    path = cases["semicolon_delimited"][0]
    for stage in ("lemmatise", "themes"):
        out_dir = work / f"killed_{stage}"
        ilmio("run", str(path), "--out", str(out_dir))
        copy = work / f"copy_{stage}"
        subprocess.run(["cp", "-a", str(out_dir), str(copy)], check=True)
        print(kill_during(stage, cases["formulas"][0], out_dir))
        same = subprocess.run(["diff", "-r", str(copy), str(out_dir)], capture_output=True)
        left = sorted(p.name for p in work.glob(f".{out_dir.name}.ilmio-*"))
        print(f"  older output identical (diff -r): {same.returncode == 0}; left beside it: {left}")
        ilmio("run", str(path), "--out", str(out_dir))
        left = sorted(p.name for p in work.glob(f".{out_dir.name}.ilmio-*"))
        print(f"  after the next run, left beside it: {left or 'nothing'}")
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
