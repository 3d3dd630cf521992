"""Database errors as HTTP errors, at the SQL backend's boundary.

Each driver reports a violated constraint its own way (asyncpg: SQLSTATE
and constraint name; sqlite3: error name and ``Table.column`` list;
PyMySQL: error number and key name); :class:`ErrorTranslator` maps them all
to the same answers, naming the model and its properties, never a value:

=================================  ======  =====================================================
cause                              status  answer
=================================  ======  =====================================================
unique key or id taken             409     ``CONFLICT``: ``Duplicate entry for Todo.title``
required value missing (NOT NULL)  422     ``VALIDATION_FAILED``, details ``required``
value too long (MySQL VARCHAR)     422     ``VALIDATION_FAILED``, details ``maxLength``
value out of the column's range    422     ``VALIDATION_FAILED`` (400 in a query)
(beyond 64 bits, NaN on MySQL...)
MySQL/MariaDB gave up matching a   400     ``INVALID_PARAMETER_VALUE``: ``The regexp is too
regexp (backtracking limit)                complex for datasource db.``
foreign key constraint             409     ``CONFLICT``: ``Todo.todoListId refers to a TodoList
                                           that does not exist`` (a write of the referring row),
                                           ``TodoList is still referred to by Todo`` (deleting or
                                           re-keying a referred row)
statement timeout, lock wait,      503     ``DATASOURCE_TIMEOUT``
no free pooled connection
connection refused or lost,        503     ``DATASOURCE_UNAVAILABLE``
deadlock, server shutting down
=================================  ======  =====================================================

Anything else is not translated: it is a bug, and surfaces as one (500).

PostgreSQL and MySQL name the violated constraint and say which side broke
it; SQLite says only ``FOREIGN KEY constraint failed``, so there the side
is the operation's (a delete breaks it as the referred row, a create as the
referring one) and a model is named when only one constraint can be meant.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator

import aiomysql
import asyncpg
from sqlalchemy import Table
from sqlalchemy import exc as sa_exc

from composer.errors import ConnectorError, HttpError
from composer.repository.constraints import ForeignKeyInfo
from composer.repository.entity import EntityInfo
from composer.repository.sql.schema import constraint_name

__all__ = ["REGEXP_CODES", "ErrorTranslator", "RegexpLimitError", "is_disconnect"]

_log = logging.getLogger(__name__)

_INVALID_BODY = "The request body is invalid. See error object `details` property for more info."
_WRITES = ("create", "update", "replace", "delete")

# PostgreSQL SQLSTATEs
_PG_UNIQUE, _PG_NOT_NULL, _PG_FOREIGN_KEY = "23505", "23502", "23503"
_PG_TIMEOUT = {"57014", "55P03"}  # query_canceled (statement_timeout), lock_not_available
_PG_UNAVAILABLE_CLASSES = ("08", "53", "57P")  # connection, resources, shutdown
_PG_RETRY = {"40001", "40P01"}  # serialization failure, deadlock
_PG_RANGE_CLASS = "22"

# MySQL / MariaDB error numbers
_MY_DUPLICATE = 1062
_MY_NOT_NULL = {1048, 1364}
_MY_FOREIGN_KEY = {1216, 1217, 1451, 1452}
_MY_REFERRED = {1217, 1451}  # deleting or updating a row other rows refer to
_MY_CONSTRAINT = re.compile(r"CONSTRAINT `([^`]+)`")
_MY_TOO_LONG = 1406
_MY_RANGE = {1264, 1292, 1366, 3140}
_MY_TIMEOUT = {1205, 1317, 1969, 3024}  # lock wait, interrupted, max_statement/execution_time
_MY_UNAVAILABLE = {1040, 1053, 1213, 2003, 2006, 2013, 2055}
#: MariaDB's "Got error ... from regexp" (a warning in a SELECT, an error in a strict-mode
#: write); MySQL 8's ICU stack overflow, time-out (regexp_time_limit) and pattern too big
REGEXP_CODES = frozenset({1139, 3698, 3699, 3700})
_MY_KEY = re.compile(r"for key '(?:[^']*\.)?([^'.]+)'$")
_MY_COLUMN = re.compile(r"(?:Column|Field|column) '([^']+)'")

# SQLite extended result codes, by name
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
_SQLITE_TIMEOUT = {"SQLITE_INTERRUPT", "SQLITE_BUSY", "SQLITE_LOCKED"}
_SQLITE_UNAVAILABLE = ("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_READONLY")


class RegexpLimitError(Exception):
    """MySQL/MariaDB stopped matching a regular expression, as a warning of the statement.

    Its engines backtrack; past their match limit they report a warning
    and count the row as not matching, so the statement's result is wrong.
    """


def is_disconnect(error: BaseException) -> bool:
    """True when ``error`` means the connection it came from cannot be used again.

    >>> is_disconnect(ConnectionResetError())
    True
    """
    for cause in _causes(error):
        if isinstance(cause, OSError):
            return True
        if isinstance(cause, asyncpg.PostgresError) and cause.sqlstate.startswith("08"):
            return True
        if isinstance(cause, asyncpg.InterfaceError) and _closed(cause):
            return True
        if isinstance(cause, aiomysql.OperationalError) and _code(cause) in {2006, 2013, 2055}:
            return True
    return False


class ErrorTranslator:
    """Turns the driver errors of one model's statements into :class:`HttpError`.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> from composer.repository.sql.schema import table_for
    >>> from sqlalchemy import MetaData
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True)})})
    >>> info = entity_info(app, "Todo")
    >>> errors = ErrorTranslator(info, table_for(info, MetaData(), "sqlite"), "db", None)
    >>> errors.translate(TimeoutError(), "find").body()["error"]["message"]
    'The datasource db did not answer in time.'
    """

    def __init__(
        self, info: EntityInfo, table: Table, datasource: str, timeout: float | None
    ) -> None:
        self.info = info
        self.datasource = datasource
        self.timeout = timeout
        self._by_column = {field.column: field.name for field in info.fields}
        #: unique index or constraint name -> properties
        self._keys: dict[str, tuple[str, ...]] = {}
        for index in table.indexes:
            if index.unique and isinstance(index.name, str):
                self._keys[index.name] = self._properties(c.name for c in index.columns)
        primary = table.primary_key
        if isinstance(primary.name, str):
            self._keys[primary.name] = (info.id.name,)
        self._keys.setdefault(f"{table.name}_pkey", (info.id.name,))  # PostgreSQL's default
        self._keys["PRIMARY"] = (info.id.name,)  # MySQL's
        self._lengths = {
            column.name: length
            for column in table.columns
            if isinstance(length := getattr(column.type, "length", None), int)
        }
        #: constraint name -> a constraint of this table / one referring to its rows
        self._referring = {
            constraint_name(fk.source_table, fk.relation): fk for fk in info.foreign_keys
        }
        self._referred = {
            constraint_name(fk.source_table, fk.relation): fk for fk in info.referred_by
        }

    def translate(self, error: BaseException, operation: str) -> HttpError | None:
        """The answer for ``error`` raised during ``operation`` (create, find, count,
        update, replace, delete); None when it is not a database condition."""
        for cause in _causes(error):
            found = self._translate(cause, operation)
            if found is not None:
                if found.status == 503:
                    _log.warning("datasource %s: %s: %s", self.datasource, operation, _what(cause))
                return found
        return None

    # -- per driver

    def _translate(self, error: BaseException, operation: str) -> HttpError | None:
        if isinstance(error, ConnectorError):  # used after disconnect (shutting down)
            return self._unavailable()
        if isinstance(error, RegexpLimitError):
            return self._regexp_limit()
        if isinstance(error, sa_exc.TimeoutError):
            return self._no_connection()
        if isinstance(error, TimeoutError):
            return self._timeout()
        if isinstance(error, asyncpg.PostgresError):
            return self._postgresql(error, operation)
        if isinstance(error, asyncpg.InterfaceError):
            if isinstance(error, ValueError):  # a value the driver could not encode
                return self._out_of_range(None, operation)
            return self._unavailable() if _closed(error) else None
        if isinstance(error, sqlite3.Error):
            return self._sqlite(error, operation)
        if isinstance(error, aiomysql.MySQLError):
            return self._mysql(error, operation)
        if isinstance(error, OverflowError):  # sqlite3: an int beyond 64 bits
            return self._out_of_range(None, operation)
        if isinstance(error, OSError):
            return self._unavailable()
        return None

    def _postgresql(self, error: asyncpg.PostgresError, operation: str) -> HttpError | None:
        state = error.sqlstate
        if state == _PG_UNIQUE:
            return self._duplicate(self._keys.get(getattr(error, "constraint_name", "") or ""))
        if state == _PG_NOT_NULL:
            return self._missing(self._property(getattr(error, "column_name", None)))
        if state == _PG_FOREIGN_KEY:
            # "update or delete on table ..." / "insert or update on table ..."
            referred = str(getattr(error, "message", "")).startswith("update or delete")
            return self._foreign_key(operation, referred, getattr(error, "constraint_name", None))
        if state in _PG_TIMEOUT:
            return self._timeout()
        if state in _PG_RETRY:
            return self._unavailable()
        if state.startswith(_PG_UNAVAILABLE_CLASSES):
            return self._unavailable()
        if state.startswith(_PG_RANGE_CLASS):
            return self._out_of_range(getattr(error, "column_name", None), operation)
        return None

    def _sqlite(self, error: sqlite3.Error, operation: str) -> HttpError | None:
        name = getattr(error, "sqlite_errorname", "")
        message = str(error)
        if name in _SQLITE_UNIQUE:
            return self._duplicate(self._sqlite_columns(message))
        if name == "SQLITE_CONSTRAINT_NOTNULL":
            columns = self._sqlite_columns(message)
            return self._missing(columns[0] if columns else None)
        if name == "SQLITE_CONSTRAINT_FOREIGNKEY" or (
            # RESTRICT acts at once, as a trigger does
            name == "SQLITE_CONSTRAINT_TRIGGER" and message == "FOREIGN KEY constraint failed"
        ):
            return self._foreign_key(operation, None, None)
        if name.startswith(tuple(_SQLITE_TIMEOUT)):
            return self._timeout()
        if name.startswith(_SQLITE_UNAVAILABLE):
            return self._unavailable()
        if isinstance(error, sqlite3.OperationalError) and message == "interrupted":
            return self._timeout()
        return None

    def _mysql(self, error: aiomysql.MySQLError, operation: str) -> HttpError | None:
        code = _code(error)
        if code is None and str(error).endswith("can not be used with MySQL"):
            return self._out_of_range(None, operation)  # PyMySQL: NaN or an infinity
        message = str(error.args[1]) if len(error.args) > 1 else ""
        if code == _MY_DUPLICATE:
            key = _MY_KEY.search(message)
            return self._duplicate(self._keys.get(key.group(1)) if key else None)
        column = _MY_COLUMN.search(message)
        column_name = column.group(1) if column else None
        if code in _MY_NOT_NULL:
            return self._missing(self._property(column_name))
        if code in _MY_FOREIGN_KEY:
            constraint = _MY_CONSTRAINT.search(message)
            name = constraint.group(1) if constraint else None
            return self._foreign_key(operation, code in _MY_REFERRED, name)
        if code == _MY_TOO_LONG:
            return self._too_long(column_name)
        if code in REGEXP_CODES:
            return self._regexp_limit()
        if code in _MY_RANGE:
            return self._out_of_range(column_name, operation)
        if code in _MY_TIMEOUT:
            return self._timeout()
        if code in _MY_UNAVAILABLE or isinstance(error, aiomysql.InterfaceError):
            return self._unavailable()
        return None

    # -- answers

    def _duplicate(self, properties: tuple[str, ...] | None) -> HttpError:
        model = self.info.name
        if not properties:
            return HttpError(409, f"Duplicate entry for {model}", code="CONFLICT")
        names = ", ".join(f"{model}.{name}" for name in properties)
        return HttpError(409, f"Duplicate entry for {names}", code="CONFLICT")

    def _missing(self, name: str | None) -> HttpError:
        if name is None:
            return HttpError(422, _INVALID_BODY, code="VALIDATION_FAILED", details=[])
        detail = {
            "path": "",
            "code": "required",
            "message": f"must have required property '{name}'",
            "info": {"missingProperty": name},
        }
        return HttpError(422, _INVALID_BODY, code="VALIDATION_FAILED", details=[detail])

    def _too_long(self, column: str | None) -> HttpError:
        name = self._property(column)
        limit = self._lengths.get(column or "")
        if name is None or limit is None:
            return self._out_of_range(column, "create")
        detail = {
            "path": f"/{name}",
            "code": "maxLength",
            "message": f"must NOT have more than {limit} characters",
            "info": {"limit": limit},
        }
        return HttpError(422, _INVALID_BODY, code="VALIDATION_FAILED", details=[detail])

    def _out_of_range(self, column: str | None, operation: str) -> HttpError:
        name = self._property(column)
        if operation not in _WRITES:
            return HttpError(
                400, "A value in the query is out of range.", code="INVALID_PARAMETER_VALUE"
            )
        detail = {
            "path": f"/{name}" if name else "",
            "code": "range",
            "message": "must be a value the database can store",
            "info": {},
        }
        return HttpError(422, _INVALID_BODY, code="VALIDATION_FAILED", details=[detail])

    def _regexp_limit(self) -> HttpError:
        return HttpError(
            400,
            f"The regexp is too complex for datasource {self.datasource}.",
            code="INVALID_PARAMETER_VALUE",
            name="Error",
        )

    def _foreign_key(
        self, operation: str, referred: bool | None, constraint: str | None
    ) -> HttpError:
        """409 for a violated constraint; ``referred``: the row is the one referred to
        (None: the database did not say)."""
        model = self.info.name
        if referred is None:
            if operation == "delete" or (operation != "create" and not self.info.foreign_keys):
                referred = True
            elif operation == "create" or not self.info.referred_by:
                referred = False
        if referred is None:
            message = (
                f"{model} refers to a row that does not exist, or is still referred to by "
                "other rows"
            )
        elif referred:
            by = _meant(self._referred, constraint)
            message = f"{model} is still referred to by {by.source if by else 'other rows'}"
        else:
            to = _meant(self._referring, constraint)
            message = (
                f"{model}.{to.property} refers to a {to.target} that does not exist"
                if to
                else f"{model} refers to a row that does not exist"
            )
        return HttpError(409, message, code="CONFLICT")

    def _timeout(self) -> HttpError:
        within = f" within {self.timeout:g}s" if self.timeout is not None else " in time"
        return HttpError(
            503,
            f"The datasource {self.datasource} did not answer{within}.",
            code="DATASOURCE_TIMEOUT",
        )

    def _no_connection(self) -> HttpError:
        return HttpError(
            503,
            f"The datasource {self.datasource} has no free connection.",
            code="DATASOURCE_TIMEOUT",
        )

    def _unavailable(self) -> HttpError:
        return HttpError(
            503, f"The datasource {self.datasource} is unavailable.", code="DATASOURCE_UNAVAILABLE"
        )

    def _property(self, column: str | None) -> str | None:
        return self._by_column.get(column) if column is not None else None

    def _properties(self, columns: Iterable[str]) -> tuple[str, ...]:
        return tuple(self._by_column.get(column, column) for column in columns)

    def _sqlite_columns(self, message: str) -> tuple[str, ...]:
        # "UNIQUE constraint failed: Todo.title, Todo.owner"
        _, _, listed = message.partition(": ")
        columns = (item.strip().rpartition(".")[2] for item in listed.split(","))
        return self._properties(column for column in columns if column)


def _meant(constraints: dict[str, ForeignKeyInfo], name: str | None) -> ForeignKeyInfo | None:
    """The constraint called ``name``; without a name, the only one there is."""
    if name is not None:
        return constraints.get(name)
    return next(iter(constraints.values())) if len(constraints) == 1 else None


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it wraps (SQLAlchemy's ``orig``, ``__cause__``), once each."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.append(getattr(current, "orig", None))
        pending.append(current.__cause__)


def _closed(error: BaseException) -> bool:
    """asyncpg's "connection is closed" / "connection was closed in the middle of operation"."""
    return "connection" in str(error) and "closed" in str(error)


def _code(error: BaseException) -> int | None:
    code = error.args[0] if error.args else None
    return code if isinstance(code, int) else None


def _what(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
