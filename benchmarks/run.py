"""Time actiontrack against Taskwarrior on the same workload, as whole processes.

    python benchmarks/run.py                 # 1k, 10k and 100k items, medians of 5 (3 at 100k)
    python benchmarks/run.py --sizes 1000 10000 --runs 7

For each size it writes a store (about half the items overdue, with milestones and
history), converts it to a SQLite store with `actiontrack convert`, and imports the same
items into a scratch Taskwarrior with `task import`.  Then it times each command on both
forms of store several times and prints the median wall time, the peak memory of the
process, and the ratio to its Taskwarrior counterpart against the targets of issue 7,
and last the same figures as markdown tables for the README.  The floors are
`python -c "import click"` and loading the JSON store with orjson.  Nothing here
asserts: figures are for people (and the README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

AS_OF = "01/12/2022"


def measure(argv: list[str], env: dict, runs: int) -> dict:
    times, peaks = [], []
    for _ in range(runs):
        # A fresh child each run; RUSAGE_CHILDREN is a running maximum, so read it per child.
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        # Drain the pipe without keeping it: a big parent would inflate the next child's
        # peak memory, which counts the copy of the parent it starts as.
        while proc.stdout.read(1 << 16):
            pass
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {code}")
        peaks.append(usage.ru_maxrss)
    return {"median": statistics.median(times), "peak_mib": max(peaks) / 1024}


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
    base_env = {**os.environ, "ACTIONTRACK_AS_OF": AS_OF, "ACTIONTRACK_USER": "Benchmark", "COLUMNS": "160"}
    base_env.pop("NO_COLOR", None)
    # The same store as SQLite, through the command a council would use to switch.
    subprocess.run(at + ["--store", str(json_store), "convert", str(work / f"store{n}.db")], check=True,
                   env=base_env, stdout=subprocess.DEVNULL)
    first_ref, theme = "P1-1.1", "P1.1"  # generate.py's first action and theme
    stores = {backend: str(work / f"store{n}.{suffix}") for backend, suffix in BACKENDS.items() if suffix}
    if pg is not None:
        stores["postgres"] = pg.new_store(f"store{n}")
        pg_env = {k: v for k, v in base_env.items() if k != "ACTIONTRACK_USER"}  # the login is the user
        subprocess.run(at + ["--store", str(json_store), "convert", stores["postgres"]], check=True,
                       env=pg_env, stdout=subprocess.DEVNULL)
    import sqlite3

    with sqlite3.connect(stores["sqlite"]) as conn:  # WRITERS actions, one per officer
        refs = [r for (r,) in conn.execute("SELECT ref FROM items WHERE kind = 'action' ORDER BY id LIMIT ?",
                                           (WRITERS,))]
    results: dict = {}
    for backend, store in stores.items():
        env = {**base_env, "ACTIONTRACK_STORE": store}
        if backend == "postgres":
            env.pop("ACTIONTRACK_USER")
        results[backend] = {
            "overdue --format json": measure(at + ["overdue", "--format", "json"], env, runs),
            "overdue (table to a pipe)": measure(at + ["overdue"], env, runs),
            "slippage --format json": measure(at + ["slippage", "--format", "json"], env, runs),
            "action update": measure(at + ["action", "update", first_ref, "--rag", "amber", "--note",
                                            "Benchmark update"], env, runs),
            "action add": measure(at + ["action", "add", theme, "Benchmark action", "--owner", "Head of Service",
                                        "--due", "31/03/2023"], env, runs),
            "--help": measure(at + ["--help"], env, runs),
        }
        if n == concurrent_at:
            results[backend][f"{WRITERS} officers updating at once"] = concurrent(at, env, refs)
    env = {**base_env, "ACTIONTRACK_STORE": str(json_store)}
    results["floor"] = {
        "python -c 'import click'": measure([sys.executable, "-c", "import click"], env, runs),
        "load the JSON store (orjson)": measure(
            [sys.executable, "-c", f"import orjson; orjson.loads(open({str(json_store)!r}, 'rb').read())"], env, runs),
    }
    if task:
        data = work / f"tw{n}"
        data.mkdir(exist_ok=True)
        rc = work / f"tw{n}.rc"
        rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n"
                      "gc=on\nnews.version=2.6.0\n")
        twenv = {**base_env, "TASKRC": str(rc)}
        subprocess.run([task, "import", str(items)], env=twenv, capture_output=True, check=True)
        results["taskwarrior"] = {
            "task overdue": measure([task, "overdue"], twenv, runs),
            "task +OVERDUE export": measure([task, "+OVERDUE", "export"], twenv, runs),
            "task add": measure([task, "add", "Benchmark task", "due:2023-03-31"], twenv, runs),
        }
    return results


TARGETS = [
    # (size, ours, theirs, at most); None: the first size measured
    (10_000, "overdue --format json", ("taskwarrior", "task overdue"), 0.5),
    (100_000, "overdue --format json", ("taskwarrior", "task overdue"), 0.5),
    (10_000, "slippage --format json", ("taskwarrior", "task overdue"), 0.5),
    (100_000, "slippage --format json", ("taskwarrior", "task overdue"), 0.5),
    (10_000, "overdue (table to a pipe)", ("taskwarrior", "task overdue"), 1.0),
    (10_000, "action update", ("taskwarrior", "task add"), 1.5),
    (10_000, "action add", ("taskwarrior", "task add"), 1.5),
    (None, "--help", ("floor", "python -c 'import click'"), 1.5),
]
MEMORY_LIMIT_MIB = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per command (3 at 100k and above)")
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
            print(f"\n== {n:,} items, median of {runs} runs ==", flush=True)
            results = bench_size(n, runs, Path(tmp), task, pg, args.concurrent_at)
            all_results[n] = results
            for group, measured in results.items():
                for name, r in measured.items():
                    extra = f"  {r['per_second']:.1f} updates/s" if "per_second" in r else ""
                    print(f"  {group:11s} {name:32s} {r['median'] * 1000:9.0f} ms  {r['peak_mib']:7.1f} MiB peak{extra}")
    print("\n== targets (ratio = actiontrack / the other, same run) ==")
    for backend in BACKENDS:
        for size, ours, (group, theirs), limit in TARGETS:
            s = size or next(iter(all_results))
            r = all_results.get(s, {})
            if ours in r.get(backend, {}) and theirs in r.get(group, {}):
                ratio = r[backend][ours]["median"] / r[group][theirs]["median"]
                verdict = "met" if ratio <= limit else "MISSED"
                print(f"  {backend:6s} {s:>7,}  {ours:26s} / {theirs:26s} {ratio:5.2f}x  (target <= {limit}x) {verdict}")
        if 100_000 in all_results and backend in all_results[100_000]:
            peak = max(r["peak_mib"] for r in all_results[100_000][backend].values())
            print(f"  {backend:6s} 100,000  peak memory of any actiontrack command: {peak:.0f} MiB "
                  f"(target <= {MEMORY_LIMIT_MIB} MiB) {'met' if peak <= MEMORY_LIMIT_MIB else 'MISSED'}")
    team_targets(all_results)
    print_markdown(all_results)


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
    largest = sizes[-1]
    print("\n| command | " + " | ".join(f"{n // 1000}k" for n in sizes) + f" | peak at {largest // 1000}k |")
    print("|---|" + "---|" * (len(sizes) + 1))
    labels = {"json": "JSON store: ", "sqlite": "SQLite store: ", "postgres": "PostgreSQL store: ", "taskwarrior": "",
              "floor": "floor: "}
    for group, label in labels.items():
        for name in all_results[largest].get(group, {}):
            cells = [_ms(all_results[n][group][name]["median"]) if name in all_results[n].get(group, {}) else "" for n in sizes]
            peak = all_results[largest][group][name]["peak_mib"]
            shown = name if group in ("taskwarrior", "floor") else f"actiontrack {name}"
            print(f"| {label}`{shown}` | " + " | ".join(cells) + f" | {peak:.0f} MiB |")


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


if __name__ == "__main__":
    main()
