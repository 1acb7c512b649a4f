"""Reports a person reads: terminal tables, per-student feedback, a class CSV, Gradescope JSON."""

from __future__ import annotations

import csv
import json
import pathlib
import re

from rich.console import Console
from rich.markup import escape
from rich.table import Table

STATUS_LETTER = {"passed": "P", "failed": "F", "error": "E", "timeout": "T", "forbidden": "X"}
STATUS_STYLE = {"passed": "green", "failed": "yellow", "error": "red", "timeout": "red", "forbidden": "magenta"}


def _pts(x: float) -> str:
    return f"{x:g}"


def print_report(report: dict, console: Console) -> None:
    subs = report["submissions"]
    if report.get("assignment"):
        console.print(assignment_line(report["assignment"]))
    weighted = _weighted(report.get("assignment"))
    if len(subs) == 1:
        _print_one(subs[0], console)
        if weighted:
            console.print(f"weighted score: {_pts(subs[0]['weighted_score'])} / {_pts(subs[0]['weighted_max_score'])}")
    else:
        table = Table(title=f"{len(subs)} submissions")
        table.add_column("submission")
        table.add_column("score", justify="right")
        table.add_column("%", justify="right")
        table.add_column("exercises at full marks", justify="right")
        if weighted:
            table.add_column("weighted", justify="right")
        noted = any(sub.get("notes") for sub in subs)
        if noted:
            table.add_column("notes")
        for sub in subs:
            full = sum(e["score"] == e["max_score"] for e in sub["exercises"])
            pct = 100 * sub["score"] / sub["max_score"] if sub["max_score"] else 0
            table.add_row(sub["submission"], f"{_pts(sub['score'])} / {_pts(sub['max_score'])}",
                          f"{pct:.0f}", f"{full} / {len(sub['exercises'])}",
                          *([f"{_pts(sub['weighted_score'])} / {_pts(sub['weighted_max_score'])}"] if weighted else []),
                          *([escape(" ".join(sub.get("notes", ())))] if noted else []))
        console.print(table)
    _print_isolation(report.get("isolation", ""), console)


def _print_one(sub: dict, console: Console) -> None:
    table = Table(title=f"{sub['submission']}: {_pts(sub['score'])} / {_pts(sub['max_score'])} points")
    table.add_column("exercise")
    table.add_column("score", justify="right")
    table.add_column("checks")
    table.add_column("file graded")
    for ex in sub["exercises"]:
        marks = " ".join(_letter(ex, t) for t in ex["tests"])
        table.add_row(ex["id"], f"{_pts(ex['score'])} / {_pts(ex['max_score'])}", marks, escape(ex.get("file") or ""))
    console.print(table)
    console.print("[dim]P passed, F failed, E error, T timeout, X forbidden, M no file[/]")
    for note in sub.get("notes", ()):
        console.print(f"[yellow]note:[/] {escape(note)}")


def _letter(ex: dict, test: dict) -> str:
    """A check's letter in the table: M where the exercise had no file (its status is "error")."""
    if "file" in ex and ex["file"] is None:
        return "[red]M[/]"
    return f"[{STATUS_STYLE[test['status']]}]{STATUS_LETTER[test['status']]}[/]"


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
    if report.get("file"):
        console.print(escape(f"checked {report['file']}" + (f" -- {report['note']}" if report.get("note") else "")))
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


MAX_ROW = "max points"  # the CSV's first row after the header: what each column can reach


def write_csv(report: dict, path: pathlib.Path) -> None:
    """A row of the maximum points, then one row per submission: total, maximum (with an
    assignment: its weighted score and maximum), then one column per exercise."""
    subs = report["submissions"]
    ids = [e["id"] for e in subs[0]["exercises"]] if subs else []
    weighted = ["weighted_score", "weighted_max_score"] if "assignment" in report else []
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "score", "max_score", *weighted, *ids])
        if subs:
            top = subs[0]
            writer.writerow([MAX_ROW, top["max_score"], top["max_score"],
                             *(top["weighted_max_score"] for _ in weighted),
                             *(e["max_score"] for e in top["exercises"])])
        for sub in subs:
            writer.writerow([sub["submission"], sub["score"], sub["max_score"], *(sub[k] for k in weighted),
                             *(e["score"] for e in sub["exercises"])])


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "submission"


def _weighted(assignment: dict | None) -> bool:
    return bool(assignment) and any(w != 1 for w in assignment["weights"].values())


def assignment_line(assignment: dict) -> str:
    """"Assignment ch01_perceptron (From the perceptron ...), due 2025-10-17 23:59"."""
    line = f"Assignment {assignment['name']}" + (f" ({assignment['title']})" if assignment.get("title") else "")
    return line + (f", due {assignment['due'].replace('T', ' ')[:16]}" if assignment.get("due") else "")


def feedback_markdown(sub: dict, assignment: dict | None = None) -> str:
    lines = [f"# Feedback for {sub['submission']}", ""]
    if assignment:
        lines += [assignment_line(assignment) + ".", ""]
    total = f"Total: **{_pts(sub['score'])} / {_pts(sub['max_score'])}** points."
    if _weighted(assignment):
        total += f" Weighted score: **{_pts(sub['weighted_score'])} / {_pts(sub['weighted_max_score'])}**."
    lines += [total, ""]
    lines += [f"**Note:** {note}\n" for note in sub.get("notes", ())]
    for ex in sub["exercises"]:
        weight = f" (weight {_pts(ex['weight'])})" if _weighted(assignment) and ex.get("weight", 1) != 1 else ""
        lines += [f"## {ex['id']} — {_pts(ex['score'])} / {_pts(ex['max_score'])}{weight}", ""]
        if ex.get("file"):
            lines += [f"File graded: `{ex['file']}`." + (f" {ex['note']}" if ex.get("note") else ""), ""]
        for t in ex["tests"]:
            label = t["name"] if t.get("visible") else "hidden check"
            line = f"- {label}: {t['status']} ({_pts(t['score'])} / {_pts(t['max_score'])})"
            lines.append(line + (f" — {t['feedback']}" if t["feedback"] else ""))
        lines.append("")
    return "\n".join(lines)


def write_feedback(report: dict, folder: pathlib.Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sub in report["submissions"]:
        (folder / f"{_safe_name(sub['submission'])}.md").write_text(
            feedback_markdown(sub, report.get("assignment")), encoding="utf-8")


def gradescope_results(sub: dict) -> dict:
    """Gradescope's autograder results.json for one submission; with an assignment's weights
    (`--assignment`), each test is worth its points times its exercise's weight."""
    tests = []
    for ex in sub["exercises"]:
        weight = ex.get("weight", 1)
        for t in ex["tests"]:
            tests.append({
                "name": f"{ex['id']}: {t['name'] if t.get('visible') else 'hidden check'}",
                "score": t["score"] if weight == 1 else round(weight * t["score"], 4),
                "max_score": t["max_score"] if weight == 1 else round(weight * t["max_score"], 4),
                "status": "passed" if t["status"] == "passed" else "failed",
                "output": f"{t['status']}. {t['feedback']}".strip(),
                "visibility": "visible" if t.get("visible") else "after_published",
            })
    notes = [*sub.get("notes", ()), *(f"{ex['id']}: {ex['note']}" for ex in sub["exercises"] if ex.get("note"))]
    score = sub["score"] if "weighted_score" not in sub else round(sum(t["score"] for t in tests), 4)
    return {"score": score, "tests": tests, **({"output": "\n".join(notes)} if notes else {})}


def write_gradescope(report: dict, folder: pathlib.Path) -> None:
    subs = report["submissions"]
    if len(subs) == 1:
        write_json(gradescope_results(subs[0]), folder / "results.json")
    else:
        for sub in subs:
            write_json(gradescope_results(sub), folder / _safe_name(sub["submission"]) / "results.json")


# -- class statistics ------------------------------------------------------------------------

def class_statistics(report: dict) -> list[dict]:
    """Per exercise, over the submissions: {"id", "max_score", "mean", "mean_fraction",
    "full_marks" (the share of submissions at full marks), "weight"}."""
    subs = report["submissions"]
    if not subs:
        return []
    rows = []
    for j, first in enumerate(subs[0]["exercises"]):
        scores = [sub["exercises"][j]["score"] for sub in subs]
        top = first["max_score"]
        mean = sum(scores) / len(scores)
        rows.append({"id": first["id"], "max_score": top, "mean": round(mean, 4),
                     "mean_fraction": round(mean / top, 4) if top else 0.0,
                     "full_marks": round(sum(s >= top for s in scores) / len(scores), 4),
                     "weight": first.get("weight", 1.0)})
    return rows


def print_statistics(report: dict, console: Console) -> None:
    """The class's per-exercise mean and share of full marks (a class of two or more)."""
    subs = report["submissions"]
    if len(subs) < 2:
        return
    weighted = _weighted(report.get("assignment"))
    table = Table(title=f"class statistics ({len(subs)} submissions)")
    for column in ("exercise", *(["weight"] if weighted else []), "max", "mean", "mean %", "full marks"):
        table.add_column(column, justify="left" if column == "exercise" else "right")
    for row in class_statistics(report):
        table.add_row(row["id"], *([_pts(row["weight"])] if weighted else []), _pts(row["max_score"]),
                      f"{row['mean']:.2f}", f"{100 * row['mean_fraction']:.0f}", f"{100 * row['full_marks']:.0f} %")
    totals = [s["score"] / s["max_score"] if s["max_score"] else 0.0 for s in subs]
    table.add_section()
    table.add_row("total", *([""] if weighted else []), _pts(subs[0]["max_score"]),
                  f"{sum(s['score'] for s in subs) / len(subs):.2f}", f"{100 * sum(totals) / len(totals):.0f}",
                  f"{100 * sum(s['score'] >= s['max_score'] for s in subs) / len(subs):.0f} %")
    console.print(table)


def write_statistics(report: dict, csv_path: pathlib.Path, plot_path: pathlib.Path) -> None:
    """The per-exercise statistics as CSV, and a PNG: a histogram of the submissions' total
    scores (in % of the maximum) beside each exercise's mean and share of full marks."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = class_statistics(report)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with csv_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["id", "weight", "max_score", "mean", "mean_fraction", "full_marks"])
        writer.writeheader()
        writer.writerows(rows)

    subs = report["submissions"]
    totals = [100 * s["score"] / s["max_score"] if s["max_score"] else 0.0 for s in subs]
    fig = Figure(figsize=(12, max(4.0, 1.5 + 0.25 * len(rows))), layout="constrained")
    FigureCanvasAgg(fig)
    scores, exercises = fig.subplots(1, 2, width_ratios=(1, 1.4))
    scores.hist(totals, bins=[10 * k for k in range(11)], color="tab:blue", edgecolor="white")
    scores.yaxis.get_major_locator().set_params(integer=True)
    scores.set(xlim=(0, 100), xlabel="total score (% of the maximum)", ylabel="submissions",
               title=f"{len(subs)} submission{'s' if len(subs) != 1 else ''}"
                     + (f": {report['assignment']['name']}" if report.get("assignment") else ""))
    positions = list(range(len(rows)))[::-1]
    exercises.barh([p + 0.2 for p in positions], [100 * r["mean_fraction"] for r in rows], height=0.4,
                   label="mean score", color="tab:blue")
    exercises.barh([p - 0.2 for p in positions], [100 * r["full_marks"] for r in rows], height=0.4,
                   label="full marks", color="tab:green")
    exercises.set(yticks=positions, xlim=(0, 100), xlabel="% (mean score of the maximum; submissions at full marks)",
                  title="per exercise")
    exercises.set_yticklabels([r["id"] for r in rows], fontsize=8)
    exercises.legend(loc="lower right")
    plot_path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(plot_path, dpi=100)
