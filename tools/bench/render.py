"""Renders docs/benchmarks.md and its plots from the results of ./stackfleet bench.

Reads <results>/run.json (the command, JDK, moto version, each benchmark's seconds) and <results>/<name>.json for
each benchmark that ran, and the paragraphs of tools/bench/notes/<name>.md. Writes <docs>/benchmarks.md and
<docs>/benchmarks/<name>.png. A benchmark without results is left out.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "tools" / "bench" / "notes"


def machine():
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return f"{model}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB memory, {platform.system()} {platform.release()}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" ---: " if i else " --- " for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def save(figure, docs, name):
    target = docs / "benchmarks" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return f"![{name}](benchmarks/{name}.png)"


def cold_start(result, docs):
    handlers = result["handlers"]
    rows = [
        [h["handler"], h.get("call", ""), ms(h["python_ms"]), ms(h["java_ms"]), ms(h["java_cached_ms"]),
         f'{h["java_ratio"]:.2f}x', f'{h["cached_ratio"]:.2f}x', h.get("java_classes", "")]
        for h in handlers
    ]
    text = table(["handler", "call", "Python ms", "Java ms", "Java cached ms", "Java / Python", "cached / Python",
                  "classes loaded"], rows)
    figure, axes = plt.subplots(figsize=(8, 3.5))
    width = 0.27
    xs = range(len(handlers))
    for offset, key, label in [(-width, "python_ms", "Python baseline"), (0, "java_ms", "Java"),
                               (width, "java_cached_ms", "Java, cached")]:
        axes.bar([x + offset for x in xs], [h[key] for h in handlers], width, label=label)
    axes.set_xticks(list(xs), [h["handler"] for h in handlers], rotation=15)
    axes.set_ylabel("median ms to first response")
    axes.set_title(f'Cold start per handler ({result.get("rounds", "?")} rounds, medians)')
    axes.set_ylim(0, max(h["java_ms"] for h in handlers) * 1.3)
    axes.legend(ncols=3, loc="upper left")
    return f"Medians over {result.get('rounds', '?')} rounds; JDK {result.get('jdk', '?')}, Python {result.get('python', '?')}.\n\n" + text, save(figure, docs, "cold-start")


def stream_batches(result, docs):
    rows = result["batches"]
    text = table(
        ["records", "rounds", "one at a time ms", "handler ms", "limit ms", "handler / limit", "loop / handler",
         "peak in flight"],
        [[r["records"], r["rounds"], ms(r["loop_ms"]), ms(r["handler_ms"]), ms(r["limit_ms"]),
          f'{r["handler_to_limit"]:.2f}x', f'{r["loop_to_handler"]:.1f}x', r["peak_in_flight"]] for r in rows])
    figure, axes = plt.subplots(figsize=(7, 3.5))
    xs = [r["records"] for r in rows]
    axes.plot(xs, [r["loop_ms"] for r in rows], "o-", label="one at a time")
    axes.plot(xs, [r["handler_ms"] for r in rows], "o-", label=f'handler as shipped ({result["concurrency"]} in flight)')
    axes.plot(xs, [r["limit_ms"] for r in rows], "k--", label="limit ceil(N / concurrency) x latency")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("records in the batch")
    axes.set_ylabel("median ms per batch")
    axes.set_title(f'Stream handler vs Step Functions stub ({result["latency_ms"]} ms per call)')
    axes.legend()
    intro = (f'Step Functions stub answering after {result["latency_ms"]} ms; the handler starts at most '
             f'{result["concurrency"]} executions at once. Medians; variants alternate within each round.\n\n')
    return intro + text, save(figure, docs, "stream-batches")


def local_e2e(result, docs):
    parts = result["parts_ms"]
    labels = {"total": "201 to ACTIVE", "stream_pickup": "stream pickup", "execution_start": "execution start",
              "workflow": "workflow", "status_write": "status write"}
    text = table(["part", "p50 ms", "p95 ms"], [[labels[k], ms(v["p50"]), ms(v["p95"])] for k, v in parts.items()])
    figure, axes = plt.subplots(figsize=(7, 3.5))
    keys = list(parts)
    axes.boxplot([parts[k]["samples"] for k in keys], orientation="horizontal", tick_labels=[labels[k] for k in keys], whis=(5, 95))
    axes.invert_yaxis()
    axes.set_xlabel("ms (box: quartiles, whiskers: p5 to p95)")
    axes.set_title(f'Local end to end, {result["servers"]} creates one every {result["spacing_ms"]} ms')
    intro = f'{result["servers"]} creates, one every {result["spacing_ms"]} ms, each timed from its own records.\n\n'
    return intro + text, save(figure, docs, "local-e2e")


def burst(result, docs):
    phases = result["phases_ms"]
    names = {
        "api_accepts_all": "API accepts all creates (first request to last 201)",
        "first_201_to_first_execution": "first 201 to first execution started",
        "executions_started_over": "first to last execution started",
        "last_201_to_last_execution_start": "last 201 to last execution started",
        "last_execution_start_to_last_active": "last execution started to last ACTIVE",
        "observed_quiet_after_last_active": "last ACTIVE to the check seeing a quiet fleet",
    }
    checks = (f'{result["active"]} of {result["servers"]} servers ACTIVE across {result["owners"]} owners; '
              f'{result["executions"]} executions, one per intent: {result["one_execution_per_intent"]}; '
              f'one stack per server: {result["one_stack_per_server"]}; wall time {result["wall_ms"] / 1000:.1f} s; '
              f'at most {result["peak_running_executions"]} executions running at once.\n\n')
    per_server = result["per_server_ms"]
    text = checks + table(["phase", "ms"], [[names[k], ms(v)] for k, v in phases.items()]) + "\n\n" + table(
        ["per server", "p50 ms", "p95 ms"],
        [["create request (sent to 201)", ms(per_server["create_request_p50"]), ms(per_server["create_request_p95"])],
         ["workflow (execution start to stop)", ms(per_server["workflow_p50"]), ms(per_server["workflow_p95"])]])
    figure, axes = plt.subplots(figsize=(8, 3))
    spans = [("API accepting", 0, phases["api_accepts_all"]),
             ("executions starting", phases["api_accepts_all"] - phases["executions_started_over"]
              + phases["last_201_to_last_execution_start"], phases["executions_started_over"]),
             ("last workflows finishing", result["wall_ms"] - phases["last_execution_start_to_last_active"],
              phases["last_execution_start_to_last_active"])]
    for row, (label, start, length) in enumerate(spans):
        axes.barh(row, length / 1000, left=start / 1000)
    axes.set_yticks(range(len(spans)), [s[0] for s in spans])
    axes.invert_yaxis()
    axes.set_xlabel("seconds since the first create was sent")
    axes.set_title(f'Burst of {result["servers"]} creates: where the wall time went')
    return text, save(figure, docs, "burst")


def fleet_scaling(result, docs):
    listing, passes = result["listing"], result["reconciler"]
    text = table(["items per owner", "pages", "median ms", "ms per item", "ratio to smallest"],
                 [[r["items"], r["pages"], ms(r["median_ms"]), f'{r["ms_per_item"]:.2f}', f'{r["ratio_to_smallest"]:.1f}x']
                  for r in listing])
    text += "\n\n" + table(["servers", "AWS calls per pass", "calls per server", "median ms per pass", "calls by action"],
                           [[r["servers"], r["calls"], r["calls_per_server"], ms(r["median_ms"]),
                             ", ".join(f"{k} {v}" for k, v in sorted(r["calls_by_action"].items()))] for r in passes])
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    left.plot([r["items"] for r in listing], [r["median_ms"] for r in listing], "o-")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("items per owner")
    left.set_ylabel("median ms, full listing")
    left.set_title("List latency")
    right.plot([r["servers"] for r in passes], [r["calls"] for r in passes], "o-", label="AWS calls")
    right.set_xlabel("servers in the fleet")
    right.set_ylabel("AWS calls per pass")
    twin = right.twinx()
    twin.plot([r["servers"] for r in passes], [r["median_ms"] for r in passes], "s--", color="tab:orange", label="ms")
    twin.set_ylabel("median ms per pass")
    right.set_title("Reconciler pass")
    return text, save(figure, docs, "fleet-scaling")


def workflow_transitions(result, docs):
    before, price = result["before"], result["price_per_1000_transitions"]
    found = {(r["operation"], r["minutes"], r["eventsArrive"]): r for r in result["rows"]}
    rows, labels, after_counts, before_counts = [], [], [], []
    for (operation, minutes, arrives), r in found.items():
        if not arrives:
            continue
        lost = found[(operation, minutes, False)]
        was = before["transitions"][operation][str(minutes)]
        rows.append([operation, f"{minutes} min", was, r["transitions"], f'{was / r["transitions"]:.1f}x',
                     f'{r["late"]} s', f'{lost["late"]} s', f"${was * price:.2f}", f'${r["transitions"] * price:.2f}'])
        labels.append(f"{operation}\n{minutes} min")
        before_counts.append(was)
        after_counts.append(r["transitions"])
    text = table(["operation", "stack takes", "before: transitions", "after: transitions", "before / after",
                  "noticed after (event)", "noticed after (events lost)", "before: $ per 1,000", "after: $ per 1,000"],
                 rows)
    figure, axes = plt.subplots(figsize=(8, 3.5))
    xs = range(len(labels))
    axes.bar([x - 0.2 for x in xs], before_counts, 0.4, label="before (5 s to 60 s polling)")
    axes.bar([x + 0.2 for x in xs], after_counts, 0.4, label="after (stack event, timeouts as fallback)")
    axes.axhline(20, color="k", linestyle="--", linewidth=1, label="target for a 5-minute create: 20")
    axes.set_xticks(list(xs), labels)
    axes.set_ylabel("state transitions per operation")
    axes.set_title("Workflow state transitions per operation")
    axes.set_ylim(0, max(before_counts) * 1.45)
    axes.legend(loc="upper left", fontsize=8)
    timeouts = result["fallback_timeouts"]
    intro = (f'Counted by the workflow path tests on a simulated clock (every state entered, as Step Functions '
             f'Standard bills it), with the deployed fallback timeouts ({timeouts["initial_seconds"]} s doubling to '
             f'{timeouts["max_seconds"]} s) and the stack event assumed {result["event_latency_seconds"]} s after the '
             f'stack settles; before: the previous machines, which polled every 5 s growing to 60 s and noticed a '
             f'stack {before["late_seconds"]} s after it settled in these runs (up to 60 s). Price at '
             f'${price} per 1,000 transitions (Step Functions Standard, us-east-1).\n\n')
    return intro + text, save(figure, docs, "workflow-transitions")


SECTIONS = [
    ("cold-start", "Cold start per handler against the Python baseline", cold_start),
    ("workflow-transitions", "Workflow state transitions per operation", workflow_transitions),
    ("stream-batches", "The stream handler on batches of 10, 100 and 1,000 records", stream_batches),
    ("local-e2e", "Local end to end: the API's 201 to ACTIVE", local_e2e),
    ("burst", "A burst of creates across owners in local mode", burst),
    ("fleet-scaling", "How costs grow with the fleet", fleet_scaling),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, required=True, help="where ./stackfleet bench wrote its JSON")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="where benchmarks.md and its plots go")
    args = parser.parse_args()
    run = json.loads((args.results / "run.json").read_text())
    out = [
        "# Benchmarks",
        "",
        "Measured, not timed in tests: each benchmark runs outside the test suite, side by side with its baseline in "
        "the same run, and reports medians and ratios, since the machine is shared and noisy. A smoke run of each "
        "(tiny sizes, correctness checks only) is part of `./stackfleet test`. This file and the plots in "
        "`docs/benchmarks/` are written by one command:",
        "",
        "```sh",
        run["command"],
        "```",
        "",
        f'- rendered: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC',
        f"- machine: {machine()}",
        f'- JDK: {run["jdk"]}',
        f'- emulator: moto {run["moto"]}',
        "- each benchmark, with its run time and when it finished: "
        + ", ".join(
            f'`{name}` {b["seconds"]} s ({b.get("finished", "date not recorded")})' for name, b in run["benchmarks"].items()
        ),
        "",
        "Each one is a Java main in `tools/bench` (`--out DIR [--smoke]`); to run one alone: "
        "`./stackfleet bench --only NAME`.",
    ]
    for name, title, render in SECTIONS:
        result_file = args.results / f"{name}.json"
        if not result_file.exists():
            continue
        text, image = render(json.loads(result_file.read_text()), args.docs)
        main_class = run["benchmarks"].get(name, {}).get("main")
        command = f"`./stackfleet bench --only {name}`" + (f" (`{main_class}`)" if main_class else "")
        out += ["", f"## {title}", "", command, "", text, "", image]
        notes = NOTES / f"{name}.md"
        if notes.exists():
            out += ["", notes.read_text().strip()]
    args.docs.mkdir(parents=True, exist_ok=True)
    (args.docs / "benchmarks.md").write_text("\n".join(out) + "\n")
    print(f"wrote {args.docs / 'benchmarks.md'}")


if __name__ == "__main__":
    main()
