"""Every command the README shows is run by a test, and the output it shows is what it prints.

The README's ```sh blocks are read in order; each `actiontrack ...` command in them (and each
`$ actiontrack ...` line of an output block) is run in-process, on both backends, in a folder
of its own, with the environment the README's own `export` line sets. A `#   text` line under
a command is output the command must print; an output block under a command is output it
must print (a line that is only `...` stands for lines left out).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from actiontrack.commands import cli
from tests.test_transfer import council_workbook

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO_JSON = "actiontrack-demo.json"


@dataclass
class Command:
    argv: list[str]               # after `actiontrack`
    line: str                     # as the README shows it
    says: list[str] = field(default_factory=list)  # `#   ...` lines and output blocks under it


@dataclass
class Block:
    heading: str
    text: str
    commands: list[Command]


def _fenced_blocks(text: str):
    """(heading, info string, body) of every fenced block, in order."""
    heading = ""
    for match in re.finditer(r"^(#{2,3} [^\n]*)$|^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        if match.group(1):
            heading = match.group(1).lstrip("# ").strip()
        else:
            yield heading, match.group(2), match.group(3)


def _segments(line: str) -> list[list[str]]:
    """The commands of one shell line, split at ; | && > (what follows > is a file name)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    segments, current, redirect = [], [], False
    for token in lexer:
        if token in (";", "|", "&&", "||", "&", ">", ">>"):
            segments.append(current)
            current, redirect = [], token.startswith(">")
            continue
        if not redirect:
            current.append(token)
    segments.append(current)
    return [s for s in segments if s]


def _actiontrack_commands(line: str) -> list[list[str]]:
    found = []
    for seg in _segments(line):
        if "actiontrack" in seg:  # "0 7 * * 1  actiontrack ..." in a crontab line
            found.append(seg[seg.index("actiontrack") + 1:])
    return found


def _expected(text: str) -> str:
    """'#   R-1      (due ... until ...)': the output, without the explanation in brackets."""
    return re.sub(r"\s{2,}\(.*\)$", "", text).strip()


def readme_blocks() -> list[Block]:
    blocks: list[Block] = []
    last: Command | None = None
    for heading, info, body in _fenced_blocks(README):
        if info == "sh":
            logical = re.sub(r"\\\n\s*", " ", body)
            commands = []
            for line in logical.splitlines():
                if re.match(r"#\s{3}\S", line.strip()) and commands:
                    commands[-1].says.append(_expected(line.strip()[1:]))
                    continue
                for argv in _actiontrack_commands(line):
                    commands.append(Command(argv, line.strip()))
            blocks.append(Block(heading, body, commands))
            last = commands[-1] if commands else last
        elif info == "" and body.startswith("$ actiontrack"):
            first, _, rest = body.partition("\n")
            command = Command(_actiontrack_commands(first[2:])[0], first[2:], [rest])
            blocks.append(Block(heading, body, [command]))
            last = command
        elif info == "" and last is not None and heading in {b.heading for b in blocks}:
            last.says.append(body)  # an output block under the command that prints it
    return blocks


BLOCKS = readme_blocks()

SETUP_LINES = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && actiontrack demo",
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && ruff check . && mypy"
    " && python -m pytest -q -n auto",
)


def _store_for(block: Block) -> str:
    """Which store a block runs against, decided by what the README says around it."""
    first = block.commands[0].argv if block.commands else []
    while first[:1] and first[0].startswith("--"):  # --store FILE --as-of DATE log ...: the command
        first = first[2:]
    if block.heading.startswith("Set up"):
        return "folder"          # `actiontrack demo` writes the demo store in the current folder
    if block.heading.startswith("Team mode"):
        return "team"            # a new PostgreSQL database (and ~/cpb.json, a store to convert)
    if block.heading.startswith("Chasing"):
        return "chasing"         # the demo store, and a mail server where the README names one
    if first == ["init"]:
        return "new"             # "Setting up a plan from scratch"
    if first[:1] == ["meeting"]:
        return "ofsted"          # a new store that holds the OFSTED18 plan, as the README says
    if first[:1] == ["import"]:
        return "sheets"          # a new store, and the council's sheets in the folder
    return "demo"                # the tour: "point them at it" (the export line)


def _export_line() -> dict[str, str]:
    (line,) = re.findall(r"`export (ACTIONTRACK_STORE=\S+ ACTIONTRACK_AS_OF=[^`]+)`", README)
    return dict(pair.split("=", 1) for pair in line.split())


def test_the_readme_has_the_blocks_this_file_runs():
    kinds = [_store_for(b) for b in BLOCKS if b.commands]
    assert kinds.count("demo") >= 4 and {"folder", "new", "ofsted", "sheets"} <= set(kinds)
    assert sum(len(b.commands) for b in BLOCKS) >= 30
    assert any(c.says for b in BLOCKS for c in b.commands if "log" in c.argv)


def test_set_up_lines_are_there_verbatim_and_ci_runs_the_second():
    for line in SETUP_LINES:
        assert f"```sh\n{line}\n```" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m venv .venv" in ci and ". .venv/bin/activate" in ci
    assert re.search(r"^python -m pip install .*-e '\.\[test\]'$", ci, re.M)
    # The second line's checks, each on a line of its own, in the same order.
    steps = [re.search(rf"^{re.escape(step)}$", ci, re.M) for step in ("ruff check .", "mypy", "python -m pytest -q -n auto")]
    assert all(steps) and [s.start() for s in steps] == sorted(s.start() for s in steps)
    assert "(`.ci/run` runs exactly the second line" in README


def test_the_benchmark_line_names_the_script_that_exists():
    (line,) = [b.text.strip() for b in BLOCKS if "benchmarks/run.py" in b.text]
    assert line.endswith("benchmarks/run.py") and (ROOT / "benchmarks" / "run.py").is_file()


def _normal(text: str) -> str:
    return " ".join(text.split())


def _pattern(shown: str) -> re.Pattern:
    """What the README shows, where '...' stands for text it leaves out (or the tool shortens)."""
    return re.compile(".*?".join(re.escape(part.strip()) for part in _normal(shown).split("...")))


def _table_rows(text: str) -> dict[str, list[str]]:
    """A rich table's rows by first cell, each cell's text joined across its wrapped lines."""
    rows: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith(("│", "┃")):
            continue
        cells = [c.strip() for c in re.split("[│┃]", line)[1:-1]]
        if cells and cells[0] == "...":
            continue
        if cells and cells[0]:
            current = rows.setdefault(cells[0], list(cells))
        elif current is not None:
            for i, cell in enumerate(cells[: len(current)]):
                current[i] = f"{current[i]} {cell}".strip()
    return rows


def _assert_prints(command: Command, out: str) -> None:
    lines = [_normal(line) for line in out.splitlines()]
    for said in command.says:
        table = _table_rows(said)
        if table:
            got = _table_rows(out)
            for ref, cells in table.items():
                assert ref in got, f"README: `{command.line}` shows row {ref}; it printed:\n{out}"
                for want, have in zip(cells, got[ref], strict=True):
                    assert _pattern(want).fullmatch(_normal(have)), (
                        f"README: `{command.line}` shows {ref}: {want!r}; it printed {have!r}")
        for line in said.splitlines():
            if line.strip() in ("", "...") or line.startswith(("│", "┃")):
                continue
            pattern = _pattern(line)
            assert any(pattern.search(have) for have in lines), (
                f"README: `{command.line}` prints\n{line}\nbut it printed:\n{out}")


def _prepare(kind: str, run, tmp_path: Path, monkeypatch) -> dict[str, str]:
    """The folder and environment a block runs in; returns replacements for file names."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell wraps
    suffix = run.store.suffix  # .json or .db: both file backends
    rename = {}
    if kind == "folder":
        return rename
    if kind == "team":
        return _prepare_team(run, tmp_path)
    if kind == "chasing":
        rename = _prepare(DEMO, run, tmp_path, monkeypatch)
        return {**rename, **run.mail_server_for_readme()}
    env = _export_line()
    assert env["ACTIONTRACK_STORE"] == DEMO_JSON
    store = tmp_path / ("actiontrack-demo" + suffix)
    if kind == "demo":
        assert run.runner.invoke(cli, ["demo", "--store", str(store)]).exit_code == 0
        rename[DEMO_JSON] = store.name
    else:
        store = tmp_path / ("store" + suffix)
    monkeypatch.setenv("ACTIONTRACK_STORE", str(store))
    monkeypatch.setenv("ACTIONTRACK_AS_OF", env["ACTIONTRACK_AS_OF"])
    run.store = store
    if kind in ("ofsted", "sheets"):
        assert run.runner.invoke(cli, ["init"]).exit_code == 0
    if kind == "ofsted":
        for args in (["plan", "add", "OFSTED18", "Post-Ofsted inspection action plan", "--board",
                      "Corporate Parenting Panel"],
                     ["theme", "add", "OFSTED18", "1", "Training and learning", "--officer", "Head of Service"],
                     ["action", "add", "OFSTED18.1", "Audit training", "--owner", "Principal Social Worker",
                      "--due", "31/01/2018"],
                     ["action", "add", "OFSTED18.1", "Peer review framework", "--owner",
                      "Director of Children's Services", "--due", "31/03/2018"]):
            assert run.runner.invoke(cli, args).exit_code == 0
    if kind == "sheets":
        council_workbook(tmp_path / "sufficiency-plan.xlsx")
        (tmp_path / "plan.csv").write_text(
            "Theme,Action,Person,Target Date,Notes\n"
            "Permanency Planning,Permanence plans agreed by the second review,Head of Corporate Parenting,"
            "Q4 2022/23,see annex\n", encoding="utf-8")
    return rename


TEAM_URL = re.compile(r"postgresql://(\w+)@db\.example\.gov\.uk/(\w+)")


def _prepare_team(run, tmp_path: Path) -> dict[str, str]:
    """The README's server and logins, here: a new database on the suite's server, its
    administrator a login of that name; ~/cpb.json, a store to convert from."""
    server = run.server_for_readme()
    database = server.new_database()
    rename = {}
    for user, _name in set(TEAM_URL.findall(README)):
        server.login(user, superuser=True)
        rename[f"postgresql://{user}@db.example.gov.uk/{_name}"] = server.url(database, user)
    for login in ("hrp_officer", "dso_clerk"):
        server.login(login)
    cpb = tmp_path / "cpb.json"
    assert run.runner.invoke(cli, ["demo", "--store", str(cpb)]).exit_code == 0
    rename["~/cpb.json"] = str(cpb)
    return rename


DEMO = "demo"


def _mail_server(request) -> dict[str, str]:
    """The README's smtp.example.gov.uk and port 587, here: an SMTP server on loopback."""
    from aiosmtpd.controller import Controller

    from tests.test_returns_mail import Inbox, _free_port

    controller = Controller(Inbox(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    request.addfinalizer(controller.stop)
    return {"smtp.example.gov.uk": "127.0.0.1", "587": str(controller.port)}


# The README's stated outcome where it is not 0: "exit 1 when anything slipped".
EXIT_CODES = {("slippage", "--format", "json", "--exit-code"): 1}


def _block_id(block: Block) -> str:
    return f"{block.heading[:40]}: {' '.join(block.commands[0].argv[:3])}"


@pytest.mark.file_store
@pytest.mark.parametrize("block", [b for b in BLOCKS if b.commands], ids=_block_id)
def test_every_readme_command_runs_and_prints_what_the_readme_shows(block, run, tmp_path, monkeypatch, request):
    run.server_for_readme = lambda: request.getfixturevalue("pg_server")
    run.mail_server_for_readme = lambda: _mail_server(request)
    rename = _prepare(_store_for(block), run, tmp_path, monkeypatch)
    for command in block.commands:
        argv = [rename.get(a, a) for a in command.argv]
        result = run.runner.invoke(cli, argv)
        expected = EXIT_CODES.get(tuple(argv), 0)
        assert result.exit_code == expected, (command.line, result.exit_code, result.stderr)
        assert "Traceback" not in result.output
        _assert_prints(command, result.stdout)
        for i, arg in enumerate(argv[:-1]):
            if arg == "--output":  # a file (or folder) the command writes lands in the block's own folder
                written = tmp_path / argv[i + 1]
                assert written.is_file() and written.stat().st_size > 0 or written.is_dir() and any(written.iterdir())
