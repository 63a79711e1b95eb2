"""The installed `actiontrack` as a cron job or a shell user would run it."""

import json
import os
import shutil
import subprocess
import sys

import pytest

EXE = shutil.which("actiontrack")


def run(*args, cwd, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONTRACK_")}
    env.update(env_extra or {})
    command = [EXE, *args] if EXE else [sys.executable, "-m", "actiontrack", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(EXE is None, reason="actiontrack is not installed on PATH (pip install -e .)")
def test_installed_command_demo_then_cron_report(tmp_path):
    demo = run("demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert (tmp_path / "actiontrack-demo.json").exists()
    env = {"ACTIONTRACK_STORE": str(tmp_path / "actiontrack-demo.json"), "ACTIONTRACK_AS_OF": "01/12/2022"}
    report = run("slippage", "--format", "json", "--exit-code", cwd=tmp_path, env_extra=env)
    assert report.returncode == 1
    rows = json.loads(report.stdout)
    assert "SUFF-1.2" in [r["ref"] for r in rows]
    assert "\x1b[" not in run("overdue", cwd=tmp_path, env_extra=env).stdout


def test_module_entry_point_reports_bad_input_in_one_line(tmp_path):
    store = tmp_path / "s.json"
    command = [sys.executable, "-m", "actiontrack", "--store", str(store)]
    assert subprocess.run([*command, "init"], capture_output=True, text=True).returncode == 0
    before = store.read_bytes()
    bad = subprocess.run([*command, "plan", "add", "SUFF", "Plan", "--start", "31/02/2022"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr
    assert store.read_bytes() == before


@pytest.mark.parametrize("command", [("action", "show", "SUFF-1.1"), ("action", "list"), ("changes",)])
def test_a_reader_gone_before_the_output_is_141_and_quiet(tmp_path, command):
    """`actiontrack action show SUFF-1.1 | head -1` exited 1 (found by a new-user trial):
    a short output meets the closed pipe only at the last flush, a long one before.  Both
    are 141 with nothing on stderr, as `| head` gives any other tool."""
    store = tmp_path / "s.json"
    base = [sys.executable, "-m", "actiontrack", "--store", str(store), "--as-of", "01/12/2022"]
    assert subprocess.run([*base, "demo"], capture_output=True).returncode == 0
    read, write = os.pipe()
    os.close(read)  # the reader has gone: every write to the pipe fails
    try:
        done = subprocess.run([*base, *command], stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")
