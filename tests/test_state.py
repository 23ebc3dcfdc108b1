"""The run state: one owner of state.sqlite's schema (summarize.state), with a version and migrations; a
database that a run made before the schema had a version is adopted with its data; one that a newer
version of the tool wrote is refused."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import ROOT, SAMPLES, FakeTranslator

from summarize import BriefOptions, run
from summarize.errors import StateError
from summarize.records import ModelInfo
from summarize.state import MIGRATIONS, SCHEMA_VERSION, Articles, Deliveries, connect, db_path
from summarize.translate.cache import TranslationCache

TABLES = {"articles", "translations", "deliveries", "delivery_parts"}

# What state.sqlite held before it had a version, as the tool's three classes created it: each with its rows
UNVERSIONED = [
    "CREATE TABLE articles (path TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, key TEXT, status TEXT, updated REAL)",
    "INSERT INTO articles VALUES ('a.txt', 'a', 'k1', 'written', 1.0)",
    "CREATE TABLE translations (key TEXT PRIMARY KEY, en TEXT NOT NULL)",
    "CREATE TABLE deliveries (channel TEXT, recipient TEXT, item TEXT, digest TEXT, sent REAL, "
    "PRIMARY KEY (channel, recipient, digest))",
    "INSERT INTO deliveries VALUES ('email', 'desk@example.org', 'digest', 'd1', 2.0)",
]


def tables(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_database_gets_every_table_and_the_version(tmp_path):
    db = connect(tmp_path / "s.sqlite")
    assert tables(db) == TABLES
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert tables(connect(None)) == TABLES  # in memory too


def test_a_database_from_before_the_version_keeps_its_data(tmp_path):
    path = tmp_path / "s.sqlite"
    old = sqlite3.connect(path)
    for statement in UNVERSIONED:
        old.execute(statement)
    old.commit()
    old.close()
    db = connect(path)
    assert tables(db) == TABLES and db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert Articles(db).key("a.txt") == ("k1", "written")
    assert Deliveries(db).sent("email", "desk@example.org", "d1")
    assert not Deliveries(db).sent("email", "desk@example.org", "d2")


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    connect(path).close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.commit()
    newer.close()
    with pytest.raises(StateError, match="newer version of summarize"):
        connect(path)


def test_the_run_the_cache_and_the_delivery_log_share_one_database(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes((SAMPLES / "economy_bok_rate.txt").read_bytes())
    run(inbox, tmp_path / "out", BriefOptions(), translator_factory=lambda s, o: FakeTranslator())
    db = connect(db_path(tmp_path / "out"))
    assert Articles(db).key("a.txt")[1] == "written"
    cache = TranslationCache(db)
    assert cache.get_many(FakeTranslator().info, ["한은, 기준금리 3.50% 동결…이창용 \"물가 안정 확신 때까지 긴축\""])


def test_the_cache_keeps_what_it_was_given(tmp_path):
    cache = TranslationCache(connect(tmp_path / "c.sqlite", threads=True))
    info = ModelInfo("m", None, {})
    cache.put_many(info, {"가": "a", "나": "b"})
    assert cache.get_many(info, ["가", "나", "다"]) == {"가": "a", "나": "b"}


def test_only_the_state_module_creates_tables():
    for path in sorted((ROOT / "summarize").rglob("*.py")):
        if path.name != "state.py":
            assert "CREATE TABLE" not in path.read_text(encoding="utf-8"), path
