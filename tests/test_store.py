import json
import os
from datetime import date

import pytest

from actiontrack.domain.models import SCHEMA_VERSION
from actiontrack.domain.storedata import StoreData
from actiontrack.errors import StoreProblem
from actiontrack.store import JSONRepository, MemoryRepository
from tests.helpers import BACKENDS, at, file_store, small_store


def populated() -> StoreData:
    d = small_store()
    t = at(d, date(2022, 7, 20))
    t.add_action("SUFF.1", "Refresh", owner="Manager", due=date(2022, 11, 30), success="Approved",
                 finance="£10k", source="minute 22/7")
    t.add_milestone("SUFF-1.1", "Draft", date(2022, 9, 30))
    at(d, date(2022, 10, 1)).milestone_done("SUFF-1.1", 1)
    at(d, date(2022, 10, 2)).reschedule("SUFF-1.1", date(2023, 1, 31), "Capacity")
    at(d, date(2022, 10, 3)).update_action("SUFF-1.1", rag="amber", note="Behind")
    t.set_setting("tolerance_days", 14)
    return d


def test_round_trip_keeps_every_field_in_memory():
    repo = MemoryRepository()
    original = populated()
    repo.create(original)
    assert repo.load() == original


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_trip_keeps_every_field(backend, tmp_path):
    original = populated()
    with file_store(tmp_path, backend) as repo:
        repo.create(original)
        assert repo.load() == original


def test_json_store_is_tinydb_layout_with_schema_version(tmp_path):
    path = tmp_path / "s.json"
    JSONRepository(str(path)).create(populated())
    raw = json.loads(path.read_text())
    assert set(raw) == {"meta", "plans", "themes", "actions", "meetings", "resolutions", "people", "returns",
                        "indicators", "journal", "archive"}
    (meta,) = raw["meta"].values()
    assert meta["app"] == "actiontrack" and meta["schema_version"] == SCHEMA_VERSION
    (action,) = raw["actions"].values()
    assert action["baseline_due"] == "2022-11-30" and action["due"] == "2023-01-31"


def test_new_store_is_private(tmp_path):
    path = tmp_path / "s.json"
    JSONRepository(str(path)).create(StoreData())
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_create_refuses_existing(tmp_path):
    path = tmp_path / "s.json"
    JSONRepository(str(path)).create(StoreData())
    before = path.read_bytes()
    with pytest.raises(StoreProblem, match="already exists"):
        JSONRepository(str(path)).create(populated())
    assert path.read_bytes() == before


def test_missing_store(tmp_path):
    with pytest.raises(StoreProblem, match="no store at .*actiontrack init"):
        JSONRepository(str(tmp_path / "none.json")).load()


@pytest.mark.parametrize("content,says", [
    (b"", "empty"),
    (b"{\"meta\": {", "not valid JSON"),
    (b"[]", "not an actiontrack store"),
    (b"\x00\xff\xfe junk", "not valid JSON"),
    (b'{"_default": {"1": {"a": 1}}}', "not an actiontrack store"),
    (b'{"meta": {"1": {"app": "actiontrack", "schema_version": 99}}}', "newer actiontrack"),
    (b'{"meta": {"1": {"app": "actiontrack", "schema_version": 1}}, "actions": {"1": {"ref": "X"}}}', "damaged"),
])
def test_foreign_or_damaged_files_are_store_problems(tmp_path, content, says):
    path = tmp_path / "s.json"
    path.write_bytes(content)
    with pytest.raises(StoreProblem, match=says):
        JSONRepository(str(path)).load()
    assert path.read_bytes() == content


def test_save_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "s.json"
    repo = JSONRepository(str(path))
    repo.create(populated())
    index = ["s.json.index"] if os.name == "posix" else []  # where a change reads through it (store/file_index)
    assert sorted(os.listdir(tmp_path)) == ["s.json", *index, "s.json.lock"]


def test_every_backend_implements_the_whole_repository_interface(tmp_path):
    """Commands see only store/base.Repository: each backend must answer all of it."""
    from actiontrack.store import MemoryRepository, open_repository
    from actiontrack.store.base import Repository

    members = [name for name in vars(Repository) if not name.startswith("_")] + ["where"]
    assert {"load", "transaction", "save", "create", "replace", "generations", "restore", "close"} <= set(members)
    for repo in (open_repository(str(tmp_path / "s.json")), open_repository(str(tmp_path / "s.db")), MemoryRepository()):
        missing = [name for name in members if not callable(getattr(repo, name, None)) and name != "where"]
        assert not missing, (type(repo).__name__, missing)
        assert isinstance(repo.where, str)
        repo.close()
