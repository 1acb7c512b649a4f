"""Reports a person reads: terminal tables, per-student feedback, a class CSV, Gradescope JSON."""

from __future__ import annotations

import csv
import json
import pathlib
import re

from rich.console import Console
from rich.table import Table

STATUS_LETTER = {"passed": "P", "failed": "F", "error": "E", "timeout": "T", "forbidden": "X"}
STATUS_STYLE = {"passed": "green", "failed": "yellow", "error": "red", "timeout": "red", "forbidden": "magenta"}


def _pts(x: float) -> str:
    return f"{x:g}"


def print_report(report: dict, console: Console) -> None:
    subs = report["submissions"]
    if len(subs) == 1:
        _print_one(subs[0], console)
    else:
        table = Table(title=f"{len(subs)} submissions")
        table.add_column("submission")
        table.add_column("score", justify="right")
        table.add_column("%", justify="right")
        table.add_column("exercises at full marks", justify="right")
        for sub in subs:
            full = sum(e["score"] == e["max_score"] for e in sub["exercises"])
            pct = 100 * sub["score"] / sub["max_score"] if sub["max_score"] else 0
            table.add_row(sub["submission"], f"{_pts(sub['score'])} / {_pts(sub['max_score'])}",
                          f"{pct:.0f}", f"{full} / {len(sub['exercises'])}")
        console.print(table)
    _print_isolation(report.get("isolation", ""), console)


def _print_one(sub: dict, console: Console) -> None:
    table = Table(title=f"{sub['submission']}: {_pts(sub['score'])} / {_pts(sub['max_score'])} points")
    table.add_column("exercise")
    table.add_column("score", justify="right")
    table.add_column("checks")
    for ex in sub["exercises"]:
        marks = " ".join(f"[{STATUS_STYLE[t['status']]}]{STATUS_LETTER[t['status']]}[/]" for t in ex["tests"])
        table.add_row(ex["id"], f"{_pts(ex['score'])} / {_pts(ex['max_score'])}", marks)
    console.print(table)
    console.print("[dim]P passed, F failed, E error, T timeout, X forbidden[/]")


def print_exercise(report: dict, console: Console, hidden_note: bool = True) -> None:
    """A single exercise's checks with feedback (what `dlcourse check` shows)."""
    table = Table(title=f"{report['id']}: {_pts(report['score'])} / {_pts(report['max_score'])} points")
    table.add_column("check")
    table.add_column("status")
    table.add_column("points", justify="right")
    table.add_column("feedback")
    for t in report["tests"]:
        table.add_row(t["name"], f"[{STATUS_STYLE[t['status']]}]{t['status']}[/]",
                      f"{_pts(t['score'])} / {_pts(t['max_score'])}", t["feedback"])
    console.print(table)
    if hidden_note:
        console.print("These are the visible checks only; hidden tests run when your work is graded.")
    _print_isolation(report.get("isolation", ""), console)


def _print_isolation(isolation: str, console: Console) -> None:
    if isolation.startswith("none"):
        console.print(f"[bold red]WARNING: student code ran WITHOUT isolation ({isolation}); "
                      "it could read solutions/ and graders/.[/]")


def write_json(report: dict, path: pathlib.Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def write_csv(report: dict, path: pathlib.Path) -> None:
    """One row per submission: total, maximum, then one column per exercise."""
    subs = report["submissions"]
    ids = [e["id"] for e in subs[0]["exercises"]] if subs else []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "score", "max_score", *ids])
        for sub in subs:
            writer.writerow([sub["submission"], sub["score"], sub["max_score"],
                             *(e["score"] for e in sub["exercises"])])


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "submission"


def feedback_markdown(sub: dict) -> str:
    lines = [f"# Feedback for {sub['submission']}", "",
             f"Total: **{_pts(sub['score'])} / {_pts(sub['max_score'])}** points.", ""]
    for ex in sub["exercises"]:
        lines += [f"## {ex['id']} — {_pts(ex['score'])} / {_pts(ex['max_score'])}", ""]
        for t in ex["tests"]:
            label = t["name"] if t.get("visible") else "hidden check"
            line = f"- {label}: {t['status']} ({_pts(t['score'])} / {_pts(t['max_score'])})"
            lines.append(line + (f" — {t['feedback']}" if t["feedback"] else ""))
        lines.append("")
    return "\n".join(lines)


def write_feedback(report: dict, folder: pathlib.Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sub in report["submissions"]:
        (folder / f"{_safe_name(sub['submission'])}.md").write_text(feedback_markdown(sub), encoding="utf-8")


def gradescope_results(sub: dict) -> dict:
    """Gradescope's autograder results.json for one submission."""
    tests = []
    for ex in sub["exercises"]:
        for t in ex["tests"]:
            tests.append({
                "name": f"{ex['id']}: {t['name'] if t.get('visible') else 'hidden check'}",
                "score": t["score"],
                "max_score": t["max_score"],
                "status": "passed" if t["status"] == "passed" else "failed",
                "output": f"{t['status']}. {t['feedback']}".strip(),
                "visibility": "visible" if t.get("visible") else "after_published",
            })
    return {"score": sub["score"], "tests": tests}


def write_gradescope(report: dict, folder: pathlib.Path) -> None:
    subs = report["submissions"]
    if len(subs) == 1:
        write_json(gradescope_results(subs[0]), folder / "results.json")
    else:
        for sub in subs:
            write_json(gradescope_results(sub), folder / _safe_name(sub["submission"]) / "results.json")
