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
