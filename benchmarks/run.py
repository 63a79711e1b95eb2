"""Time actiontrack against Taskwarrior on the same workload, as whole processes.

    python benchmarks/run.py                 # 1k, 10k and 100k items, 7 paired runs (3 at 100k)
    python benchmarks/run.py --sizes 10000 100000 300000 --runs 9

For each size it writes a store (about half the items overdue, with milestones and
history), converts it to a SQLite store with `actiontrack convert`, and imports the same
items into a scratch Taskwarrior with `task import`.

The comparison is of equal work on the same day: every date is relative to today, both
tools judge "overdue" against the real clock, and before timing anything the run checks
that `actiontrack overdue` lists exactly as many items as `task +OVERDUE count` (it stops
if not).  Each run is a round of every command once, in the same order, so a command and
its Taskwarrior counterpart run seconds apart on a machine whose load changes; a target's
ratio is the median over rounds of (ours / theirs) in the same round.  It prints each
command's median wall time and the process's peak memory, the ratio for each target of
issues 7 and 17, and the figures as markdown tables for the README.  The floors are
`python -c "import click"`, loading the JSON store with orjson, and floor_report.py: the
least any program on this stack must do to list what is overdue, timed beside `task
overdue` as the reports are (its count is checked with theirs).  Nothing here
asserts: figures are for people (and the README).  At sizes past 100k only the SQLite
store's reports are run (issue 17's memory target), without Taskwarrior.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LARGEST_FOR_ALL = 100_000  # past this, only the SQLite store's reports (and no Taskwarrior)


def run_once(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak MiB of one fresh child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    # Drain the pipe without keeping it: a big parent would inflate the next child's
    # peak memory, which counts the copy of the parent it starts as.
    assert proc.stdout is not None
    while proc.stdout.read(1 << 16):
        pass
    _, status, usage = os.wait4(proc.pid, 0)  # RUSAGE_CHILDREN is a running maximum: read it per child
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed, usage.ru_maxrss / 1024


def rounds(commands: dict[tuple[str, str], tuple[list[str], dict]], runs: int) -> dict:
    """Every command once per round, `runs` rounds: {group: {name: {times, median, peak_mib}}}."""
    results: dict = {}
    for _ in range(runs):
        for (group, name), (argv, env) in commands.items():
            elapsed, peak = run_once(argv, env)
            r = results.setdefault(group, {}).setdefault(name, {"times": [], "peak_mib": 0.0})
            r["times"].append(elapsed)
            r["peak_mib"] = max(r["peak_mib"], peak)
    for measured in results.values():
        for r in measured.values():
            r["median"] = statistics.median(r["times"])
    return results


def paired_ratio(ours: dict, theirs: dict) -> float:
    """The median over rounds of ours / theirs in the same round."""
    return statistics.median(a / b for a, b in zip(ours["times"], theirs["times"]))


def actiontrack_exe() -> list[str]:
    beside = Path(sys.executable).with_name("actiontrack")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("actiontrack")
    if found:
        return [found]
    raise SystemExit("actiontrack is not installed: pip install . (or -e .) first")


def taskwarrior() -> str | None:
    found = shutil.which("task")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "taskwarrior"], check=False, capture_output=True)
    return shutil.which("task")


BACKENDS = {"json": "json", "sqlite": "db", "postgres": None}  # backend -> the store file's suffix (None: a database)
WRITERS, UPDATES_EACH = 8, 10  # the concurrent row: 8 officers, each updating their own action


class Postgres:
    """A PostgreSQL server from the pgserver wheel (as the tests use), for the team-mode rows."""

    def __init__(self, work: Path):
        import pgserver
        import psycopg

        self.folder = work / "pg"
        self.server = pgserver.get_server(self.folder, cleanup_mode="stop")
        self.admin = psycopg.connect(self.server.get_uri("postgres"), autocommit=True)

    def new_store(self, name: str) -> str:
        self.admin.execute(f"DROP DATABASE IF EXISTS {name}")
        self.admin.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@/{name}?host={self.folder}"


def concurrent(at: list[str], env: dict, refs: list[str]) -> dict:
    """WRITERS processes at once, each making UPDATES_EACH updates to its own action: updates per second."""
    script = ("import subprocess, sys\n"
              "for j in range(int(sys.argv[2])):\n"
              "    subprocess.run(sys.argv[3:] + ['action', 'update', sys.argv[1], '--note', f'n{j}'], check=True,"
              " stdout=subprocess.DEVNULL)\n")
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", script, ref, str(UPDATES_EACH), *at], env=env) for ref in refs]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - start
    if any(codes):
        raise SystemExit(f"a concurrent writer failed: {codes}")
    return {"median": elapsed, "peak_mib": 0.0, "per_second": WRITERS * UPDATES_EACH / elapsed}


def bench_size(n: int, runs: int, work: Path, task: str | None, pg: Postgres | None, concurrent_at: int) -> dict:
    json_store, items = work / f"store{n}.json", work / f"tasks{n}.json"
    # Generated in a child process: a forked child would otherwise start out as big as
    # this process, and its peak memory would count the generator's, not its own.
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(json_store), str(items)], check=True)
    at = actiontrack_exe()
    # No --as-of: actiontrack judges by today, as Taskwarrior does (generate.py dates from today).
    base_env = {**os.environ, "ACTIONTRACK_USER": "Benchmark", "COLUMNS": "160", "TZ": os.environ.get("TZ", "UTC")}
    for name in ("NO_COLOR", "ACTIONTRACK_AS_OF", "ACTIONTRACK_STORE"):
        base_env.pop(name, None)
    everything = n <= LARGEST_FOR_ALL
    if everything:
        # Saved by actiontrack itself (a setting changed and put back; no item touched), as every
        # store in use has been: the file as the JSON store writes it, with its index beside it.
        for backups in ("4", "5"):
            subprocess.run(at + ["--store", str(json_store), "config", "backups", backups], check=True,
                           env=base_env, stdout=subprocess.DEVNULL)
    # The same store as SQLite, through the command a council would use to switch.
    subprocess.run(at + ["--store", str(json_store), "convert", str(work / f"store{n}.db")], check=True,
                   env=base_env, stdout=subprocess.DEVNULL)
    first_ref, theme = "P1-1.1", "P1.1"  # generate.py's first action and theme
    stores = {backend: str(work / f"store{n}.{suffix}") for backend, suffix in BACKENDS.items()
              if suffix and (everything or backend == "sqlite")}
    if pg is not None and everything:
        stores["postgres"] = pg.new_store(f"store{n}")
        pg_env = {k: v for k, v in base_env.items() if k != "ACTIONTRACK_USER"}  # the login is the user
        subprocess.run(at + ["--store", str(json_store), "convert", stores["postgres"]], check=True,
                       env=pg_env, stdout=subprocess.DEVNULL)
    commands: dict[tuple[str, str], tuple[list[str], dict]] = {}
    twenv = None
    if task and everything:
        data = work / f"tw{n}"
        data.mkdir(exist_ok=True)
        rc = work / f"tw{n}.rc"
        rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n"
                      "gc=on\nnews.version=2.6.0\n")
        twenv = {**base_env, "TASKRC": str(rc)}
        subprocess.run([task, "import", str(items)], env=twenv, capture_output=True, check=True)
    envs = {}
    for backend, store in stores.items():
        env = envs[backend] = {**base_env, "ACTIONTRACK_STORE": store}
        if backend == "postgres":
            env.pop("ACTIONTRACK_USER")
    check_equal_work(at, envs, task, twenv, json_store if everything else None)
    # One round: each report beside Taskwarrior's, each change beside `task add`.
    for backend, env in envs.items():
        commands[(backend, "overdue --format json")] = (at + ["overdue", "--format", "json"], env)
        commands[(backend, "slippage --format json")] = (at + ["slippage", "--format", "json"], env)
        commands[(backend, "overdue (table to a pipe)")] = (at + ["overdue"], env)
        if everything:
            commands[(backend, "action update")] = (
                at + ["action", "update", first_ref, "--rag", "amber", "--note", "Benchmark update"], env)
            commands[(backend, "action add")] = (
                at + ["action", "add", theme, "Benchmark action", "--owner", "Head of Service", "--due", "31/03/2031"],
                env)
        if twenv is not None:
            commands[("taskwarrior", f"task overdue ({backend})")] = ([task, "overdue"], twenv)
            commands[("taskwarrior", f"task add ({backend})")] = ([task, "add", "Benchmark task", "due:2031-03-31"],
                                                                  twenv)
    if everything:
        env = {**base_env, "ACTIONTRACK_STORE": str(json_store)}
        commands[("any", "--help")] = (at + ["--help"], env)
        commands[("floor", "python -c 'import click'")] = ([sys.executable, "-c", "import click"], env)
        commands[("floor", FLOOR_REPORT)] = ([sys.executable, str(HERE / "floor_report.py"), str(json_store)], env)
        commands[("floor", "load the JSON store (orjson)")] = (
            [sys.executable, "-c", f"import orjson; orjson.loads(open({str(json_store)!r}, 'rb').read())"], env)
        # What any durable save of the whole file costs (the JSON store's update and add do
        # this, as the kernel copy and fsync here): `task add` does not fsync at all.
        copy = work / f"copy{n}.json"
        commands[("floor", "copy the JSON store and fsync it")] = (
            [sys.executable, "-c", "import os, sys\n"
             "src, dst = os.open(sys.argv[1], os.O_RDONLY), os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)\n"
             "left = os.fstat(src).st_size\n"
             "while left > 0:\n    left -= os.copy_file_range(src, dst, left)\n"
             "os.fsync(dst)\n", str(json_store), str(copy)], env)
    results = rounds(commands, runs)
    if n == concurrent_at and pg is not None:
        import sqlite3

        with sqlite3.connect(stores["sqlite"]) as conn:  # WRITERS actions, one per officer
            refs = [r for (r,) in conn.execute("SELECT ref FROM items WHERE kind = 'action' ORDER BY id LIMIT ?",
                                               (WRITERS,))]
        for backend, env in envs.items():
            results[backend][f"{WRITERS} officers updating at once"] = concurrent(at, env, refs)
    return results


def check_equal_work(at: list[str], envs: dict, task: str | None, twenv: dict | None,
                     floor_store: Path | None = None) -> None:
    """Stop unless every store, and the floor report, list the same overdue items as Taskwarrior counts."""
    counts = {}
    for backend, env in envs.items():
        # Counted by grep, never read here: Linux keeps a process's peak memory across exec,
        # so a runner grown by a big report's output would count in every later child's peak.
        pipeline = " ".join(shlex.quote(a) for a in at) + " overdue --format json | grep -c '\"ref\":'"
        out = subprocess.run(["sh", "-c", pipeline], env=env, capture_output=True, text=True, check=True).stdout
        counts[backend] = int(out.strip())  # "ref" is a key once per row (links are plain strings)
    if floor_store is not None:
        pipeline = f"{shlex.quote(sys.executable)} {shlex.quote(str(HERE / 'floor_report.py'))} " \
                   f"{shlex.quote(str(floor_store))} | grep -c '\"ref\":'"
        out = subprocess.run(["sh", "-c", pipeline], capture_output=True, text=True, check=True).stdout
        counts["floor report"] = int(out.strip())
    if task and twenv is not None:
        out = subprocess.run([task, "+OVERDUE", "count"], env=twenv, capture_output=True, text=True, check=True)
        counts["taskwarrior"] = int(out.stdout.strip())
    print("  overdue items listed: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    if len(set(counts.values())) != 1:
        raise SystemExit("the tools disagree on what is overdue: the comparison would not be of equal work")


# (size, backend's command, the other, at most); size None: the first size measured
TARGETS = [
    (10_000, "overdue --format json", "task overdue", 0.5),
    (10_000, "slippage --format json", "task overdue", 0.5),
    (10_000, "overdue (table to a pipe)", "task overdue", 0.8),
    (10_000, "action update", "task add", 1.5),
    (10_000, "action add", "task add", 1.5),
    (100_000, "overdue --format json", "task overdue", 0.5),
    (100_000, "slippage --format json", "task overdue", 0.5),
]
MEMORY_LIMIT_MIB = 300
# The least any program on this stack does to list what is overdue (floor_report.py):
# a target below its ratio cannot be met by a report built on the same stack here.
FLOOR_REPORT = "bare overdue (floor_report.py)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7, help="paired rounds per size (3 at 100k and above)")
    parser.add_argument("--no-postgres", action="store_true", help="leave out the PostgreSQL (team mode) rows")
    parser.add_argument("--concurrent-at", type=int, default=10_000, help="the size for the concurrent writers' row")
    args = parser.parse_args()
    task = taskwarrior()
    version = subprocess.run([task, "--version"], check=False, capture_output=True, text=True).stdout.strip() if task else None
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; taskwarrior: {version or 'not found'}")
    all_results = {}
    with tempfile.TemporaryDirectory(prefix="actiontrack-bench-") as tmp:
        pg = None if args.no_postgres else Postgres(Path(tmp))
        for n in args.sizes:
            runs = min(args.runs, 3) if n >= 100_000 else args.runs
            print(f"\n== {n:,} items, {runs} paired rounds ==", flush=True)
            results = bench_size(n, runs, Path(tmp), task, pg, args.concurrent_at)
            all_results[n] = results
            for group, measured in results.items():
                for name, r in measured.items():
                    extra = f"  {r['per_second']:.1f} updates/s" if "per_second" in r else ""
                    print(f"  {group:11s} {name:32s} {r['median'] * 1000:9.0f} ms  {r['peak_mib']:7.1f} MiB peak{extra}")
    print("\n== targets (ratio = median over rounds of actiontrack / the other in the same round) ==")
    for line in target_lines(all_results):
        print("  " + line)
    team_targets(all_results)
    print_markdown(all_results)


def target_lines(all_results: dict) -> list[str]:
    lines = []
    for backend in ("json", "sqlite", "postgres"):
        for size, ours, theirs, limit in TARGETS:
            r = all_results.get(size, {})
            other = r.get("taskwarrior", {}).get(f"{theirs} ({backend})")
            if ours in r.get(backend, {}) and other:
                ratio = paired_ratio(r[backend][ours], other)
                verdict = "met" if ratio <= limit else "MISSED"
                lines.append(f"{backend:8s} {size:>7,}  {ours:26s} / {theirs:13s} {ratio:5.2f}x  (<= {limit}x) {verdict}")
        for size, r in all_results.items():
            reports = {k: v for k, v in r.get(backend, {}).items() if "--format" in k or "table" in k}
            if size >= 100_000 and reports:
                peak = max(v["peak_mib"] for v in reports.values())
                every = max(v["peak_mib"] for v in r[backend].values() if "peak_mib" in v)
                lines.append(f"{backend:8s} {size:>7,}  peak memory of a report {peak:.0f} MiB, of any command "
                             f"{every:.0f} MiB (<= {MEMORY_LIMIT_MIB} MiB) "
                             f"{'met' if max(peak, every) <= MEMORY_LIMIT_MIB else 'MISSED'}")
    for size, r in all_results.items():
        floor, other = r.get("floor", {}).get(FLOOR_REPORT), r.get("taskwarrior", {}).get("task overdue (json)")
        if floor and other:
            lines.append(f"floor    {size:>7,}  {'bare overdue report':26s} / {'task overdue':13s} "
                         f"{paired_ratio(floor, other):5.2f}x  (the least a report here can take)")
    first = next(iter(all_results))
    if "any" in all_results[first]:
        ratio = paired_ratio(all_results[first]["any"]["--help"], all_results[first]["floor"]["python -c 'import click'"])
        lines.append(f"{first:>16,}  --help / python -c 'import click'  {ratio:5.2f}x  (<= 1.5x) "
                     f"{'met' if ratio <= 1.5 else 'MISSED'}")
    return lines


def team_targets(all_results: dict) -> None:
    """Issue 13's: PostgreSQL reports within 1.5x of SQLite; concurrent writers 3x SQLite's rate."""
    for n, r in all_results.items():
        if "postgres" not in r:
            continue
        for name in ("overdue --format json", "slippage --format json", "action update", "action add"):
            ratio = r["postgres"][name]["median"] / r["sqlite"][name]["median"]
            print(f"  postgres {n:>7,}  {name:26s} / SQLite {ratio:5.2f}x  (target <= 1.5x for reports)")
        key = f"{WRITERS} officers updating at once"
        if key in r["postgres"]:
            rates = {b: r[b][key]["per_second"] for b in ("json", "sqlite", "postgres")}
            print(f"  concurrent {n:>7,}  updates/s: " + ", ".join(f"{b} {v:.1f}" for b, v in rates.items())
                  + f"; postgres / sqlite {rates['postgres'] / rates['sqlite']:.2f}x (target >= 3x)")


def print_markdown(all_results: dict) -> None:
    sizes = list(all_results)
    print("\n| command | " + " | ".join(f"{n // 1000}k" for n in sizes) + " | peak memory (largest size run) |")
    print("|---|" + "---|" * (len(sizes) + 1))
    labels = {"json": "JSON store: ", "sqlite": "SQLite store: ", "postgres": "PostgreSQL store: ", "any": "",
              "taskwarrior": "", "floor": "floor: "}
    for group, label in labels.items():
        names = list(dict.fromkeys(name for n in sizes for name in all_results[n].get(group, {})))
        for name in names:
            ran = [n for n in sizes if name in all_results[n].get(group, {})]
            cells = [_ms(all_results[n][group][name]["median"]) if n in ran else "" for n in sizes]
            peak = all_results[ran[-1]][group][name]["peak_mib"]
            shown = name if group in ("taskwarrior", "floor") else f"actiontrack {name}"
            print(f"| {label}`{shown}` | " + " | ".join(cells) + f" | {peak:.0f} MiB at {ran[-1] // 1000}k |")


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


if __name__ == "__main__":
    main()
