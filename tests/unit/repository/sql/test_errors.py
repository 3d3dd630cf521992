"""Driver errors translated to the HTTP errors the SQL backend raises."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import aiomysql
import pytest
from sqlalchemy import MetaData
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from composer.errors import ConnectorError, HttpError
from composer.repository.entity import entity_info
from composer.repository.sql.errors import ErrorTranslator, RegexpLimitError, is_disconnect
from composer.repository.sql.schema import table_for
from composer.spec import AppSpec, BelongsToSpec, ModelSpec, PropertySpec
from tests.integration.sql.backend_model import item_info

INFO = item_info()
TABLE = table_for(INFO, MetaData(), "mysql")
ERRORS = ErrorTranslator(INFO, TABLE, "db", 2.5)
INVALID = "The request body is invalid. See error object `details` property for more info."


def _answer(error: BaseException, operation: str = "create") -> tuple[int, str, object]:
    found = ERRORS.translate(error, operation)
    assert isinstance(found, HttpError)
    return found.status, found.message, found.details


@pytest.fixture
def database() -> Iterator[sqlite3.Connection]:
    """An in-memory SQLite database holding the Item table, foreign keys on."""
    connection = sqlite3.connect(":memory:")
    table = table_for(INFO, MetaData(), "sqlite")
    connection.execute(str(CreateTable(table).compile(dialect=sqlite.dialect())))
    for index in table.indexes:
        connection.execute(str(CreateIndex(index).compile(dialect=sqlite.dialect())))
    connection.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, item INTEGER REFERENCES Item)")
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def _sqlite_error(connection: sqlite3.Connection, sql: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        connection.execute(sql)
    return caught.value


def test_sqlite_unique_and_primary_key_violations_name_the_property(
    database: sqlite3.Connection,
) -> None:
    database.execute("INSERT INTO Item (id, title, code) VALUES (1, 't', 'c')")
    error = _sqlite_error(database, "INSERT INTO Item (title, code) VALUES ('u', 'c')")
    assert _answer(error) == (409, "Duplicate entry for Item.code", None)
    error = _sqlite_error(database, "INSERT INTO Item (id, title) VALUES (1, 'u')")
    assert _answer(error) == (409, "Duplicate entry for Item.id", None)


def test_sqlite_not_null_and_foreign_key_violations(database: sqlite3.Connection) -> None:
    error = _sqlite_error(database, "INSERT INTO Item (code) VALUES ('c')")
    assert _answer(error) == (
        422,
        INVALID,
        [
            {
                "path": "",
                "code": "required",
                "message": "must have required property 'title'",
                "info": {"missingProperty": "title"},
            }
        ],
    )
    error = _sqlite_error(database, "INSERT INTO child (item) VALUES (42)")
    assert _answer(error) == (409, "Item refers to a row that does not exist", None)
    database.execute("INSERT INTO Item (id, title) VALUES (1, 't')")
    database.execute("INSERT INTO child (item) VALUES (1)")
    error = _sqlite_error(database, "DELETE FROM Item")
    assert _answer(error, "delete") == (409, "Item is still referred to by other rows", None)


def test_a_locked_or_interrupted_sqlite_statement_is_a_timeout(tmp_path: Path) -> None:
    holder = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
    waiter = sqlite3.connect(tmp_path / "db.sqlite", timeout=0)
    try:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        locked = _sqlite_error(waiter, "INSERT INTO t VALUES (1)")
        waiter.set_progress_handler(lambda: 1, 1)
        interrupted = _sqlite_error(waiter, "SELECT count(*) FROM sqlite_master")
    finally:
        holder.close()
        waiter.close()
    timeout = (503, "The datasource db did not answer within 2.5s.", None)
    assert (_answer(locked, "create"), _answer(interrupted, "find")) == (timeout, timeout)


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("Duplicate entry 'x' for key 'ux_Item_byCode'", "Duplicate entry for Item.code"),
        ("Duplicate entry 'x' for key 'Item.ux_Item_byCode'", "Duplicate entry for Item.code"),
        ("Duplicate entry '7' for key 'PRIMARY'", "Duplicate entry for Item.id"),
        ("Duplicate entry 'x' for key 'unknown'", "Duplicate entry for Item"),
    ],
)
def test_mysql_duplicate_keys_name_the_property_never_the_value(message: str, answer: str) -> None:
    assert _answer(aiomysql.IntegrityError(1062, message)) == (409, answer, None)


def test_mysql_not_null_too_long_and_out_of_range() -> None:
    status, _, details = _answer(aiomysql.IntegrityError(1048, "Column 'title' cannot be null"))
    assert (status, details) == (
        422,
        [
            {
                "path": "",
                "code": "required",
                "message": "must have required property 'title'",
                "info": {"missingProperty": "title"},
            }
        ],
    )
    error = aiomysql.DataError(1406, "Data too long for column 'code' at row 1")
    assert _answer(error)[2] == [
        {
            "path": "/code",
            "code": "maxLength",
            "message": "must NOT have more than 20 characters",
            "info": {"limit": 20},
        }
    ]
    error = aiomysql.DataError(1264, "Out of range value for column 'item_rank' at row 1")
    assert _answer(error)[2] == [
        {"path": "/rank", "code": "range", "message": "must be a value the database can store",
         "info": {}}
    ]  # fmt: skip
    assert _answer(error, "find") == (400, "A value in the query is out of range.", None)


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (aiomysql.OperationalError(1969, "max_statement_time exceeded"), "DATASOURCE_TIMEOUT",
         "The datasource db did not answer within 2.5s."),
        (aiomysql.OperationalError(1205, "Lock wait timeout"), "DATASOURCE_TIMEOUT",
         "The datasource db did not answer within 2.5s."),
        (aiomysql.OperationalError(2013, "Lost connection"), "DATASOURCE_UNAVAILABLE",
         "The datasource db is unavailable."),
        (TimeoutError(), "DATASOURCE_TIMEOUT", "The datasource db did not answer within 2.5s."),
        (sa_exc.TimeoutError("QueuePool limit reached"), "DATASOURCE_TIMEOUT",
         "The datasource db has no free connection."),
        (ConnectionRefusedError(111, "Connection refused"), "DATASOURCE_UNAVAILABLE",
         "The datasource db is unavailable."),
        (ConnectorError("not connected", datasource="db", operation="engine"),
         "DATASOURCE_UNAVAILABLE", "The datasource db is unavailable."),
    ],
)  # fmt: skip
def test_timeouts_and_outages_are_503(error: BaseException, code: str, message: str) -> None:
    found = ERRORS.translate(error, "find")
    assert found is not None
    assert (found.status, found.code, found.message) == (503, code, message)


def test_a_wrapped_driver_error_is_found_under_sqlalchemys() -> None:
    wrapped = sa_exc.OperationalError("SELECT 1", {}, aiomysql.OperationalError(2006, "gone"))
    assert _answer(wrapped, "find")[:2] == (503, "The datasource db is unavailable.")
    assert is_disconnect(wrapped)


def test_an_error_that_is_not_the_databases_is_left_alone() -> None:
    assert ERRORS.translate(ValueError("a bug"), "find") is None
    assert ERRORS.translate(aiomysql.ProgrammingError(1064, "syntax"), "find") is None
    assert not is_disconnect(ValueError("a bug"))


@pytest.mark.parametrize(
    "error",
    [
        RegexpLimitError("Regex error 'match limit exceeded'"),  # MariaDB's warning, in a SELECT
        aiomysql.OperationalError(1139, "Regex error 'match limit exceeded'"),  # strict writes
        aiomysql.OperationalError(3699, "Timeout exceeded in regular expression match."),
        aiomysql.OperationalError(3698, "Overflow in the regular expression backtrack stack."),
    ],
    ids=["mariadb-warning", "mariadb-error", "mysql-time-out", "mysql-stack-overflow"],
)
def test_a_regexp_the_database_gave_up_on_is_a_400(error: BaseException) -> None:
    found = ERRORS.translate(error, "find")
    assert found is not None
    assert found.body() == {
        "error": {
            "statusCode": 400,
            "name": "Error",
            "message": "The regexp is too complex for datasource db.",
            "code": "INVALID_PARAMETER_VALUE",
        }
    }


def test_sqlite_names_the_side_of_a_foreign_key_by_the_operation() -> None:
    people = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True),
            "mentorId": PropertySpec(type="integer"),
        },
        relations={
            "mentor": BelongsToSpec(
                type="belongsTo", model="Person", foreign_key={"onDelete": "restrict"}
            )
        },
    )
    app = AppSpec(api_version="composer/v1", name="a", models={"Person": people})
    info = entity_info(app, "Person")
    errors = ErrorTranslator(info, table_for(info, MetaData(), "sqlite"), "db", None)
    failed = sqlite3.IntegrityError("FOREIGN KEY constraint failed")
    failed.sqlite_errorname = "SQLITE_CONSTRAINT_FOREIGNKEY"  # type: ignore[attr-defined]
    answers = {
        operation: (found.status, found.message)
        for operation in ("create", "delete", "update")
        if (found := errors.translate(failed, operation)) is not None
    }
    assert answers == {
        "create": (409, "Person.mentorId refers to a Person that does not exist"),
        "delete": (409, "Person is still referred to by Person"),
        # a person both refers to people and is referred to: either side may have broken it
        "update": (
            409,
            "Person refers to a row that does not exist, or is still referred to by other rows",
        ),
    }
