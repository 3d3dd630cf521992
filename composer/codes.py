"""Every manifest issue code, in one table.

Ranges: CMP0xx loading (files, YAML/JSON, interpolation, merging, stacks),
CMP1xx validation (shape and semantics), CMP2xx planning. Each code has a
section in ``docs/errors.md``; a test fails when one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """An issue code and the one-line title ``docs/errors.md`` uses for it."""

    id: str
    title: str


_TABLE = [
    # 0xx: loading
    Code("CMP001", "path not found"),
    Code("CMP002", "no root manifest in the project folder"),
    Code("CMP003", "YAML syntax error"),
    Code("CMP004", "JSON syntax error"),
    Code("CMP005", "unsafe or unknown YAML tag"),
    Code("CMP006", "duplicate key"),
    Code("CMP007", "more than one YAML document in a file"),
    Code("CMP008", "tab character used as indentation"),
    Code("CMP009", "file is not valid UTF-8"),
    Code("CMP010", "empty manifest file"),
    Code("CMP011", "manifest root is not a mapping"),
    Code("CMP012", "too many YAML aliases"),
    Code("CMP013", "nesting too deep"),
    Code("CMP014", "file too large"),
    Code("CMP015", "undefined environment variable"),
    Code("CMP016", "malformed ${...} interpolation"),
    Code("CMP017", "name defined in two files"),
    Code("CMP018", "singleton section in two files"),
    Code("CMP019", "unknown stack"),
    Code("CMP020", "missing stack parameter"),
    Code("CMP021", "unknown stack parameter"),
    Code("CMP022", "include cycle"),
    Code("CMP023", "path leaves the project folder"),
    Code("CMP024", "section cannot be merged: not a mapping"),
    Code("CMP025", "mapping key is not a string"),
    Code("CMP026", "unreadable file"),
    Code("CMP027", "invalid stack definition"),
    Code("CMP028", "more than one root manifest in the project folder"),
    # 1xx: validation
    Code("CMP100", "wrong type"),
    Code("CMP101", "unknown key"),
    Code("CMP102", "missing required key"),
    Code("CMP103", "value not allowed"),
    Code("CMP104", "unsupported apiVersion"),
    Code("CMP105", "invalid application name"),
    Code("CMP106", "port out of range"),
    Code("CMP107", "invalid basePath or REST path"),
    Code("CMP108", "invalid URL"),
    Code("CMP109", "unsafe identifier"),
    Code("CMP110", "names differ only by case"),
    Code("CMP111", "two models on one REST path"),
    Code("CMP112", "lower bound above upper bound"),
    Code("CMP113", "default or enum value does not match the property type"),
    Code("CMP114", "invalid regular expression"),
    Code("CMP115", "exposed model without a usable id"),
    Code("CMP116", "unknown model"),
    Code("CMP117", "unknown datasource"),
    Code("CMP118", "relation key property missing"),
    Code("CMP119", "relation key type mismatch"),
    Code("CMP120", "relation named like a property"),
    Code("CMP121", "missing through model"),
    Code("CMP122", "base-model inheritance cycle"),
    Code("CMP123", "unknown role"),
    Code("CMP124", "unknown sequence action"),
    Code("CMP125", "duplicate sequence action"),
    Code("CMP126", "authenticate after authorize"),
    Code("CMP127", "not supported yet"),
    Code("CMP128", "more than one id property"),
    Code("CMP129", "invalid value"),
    Code("CMP130", "unknown property"),
    Code("CMP131", "sequence action missing or out of order"),
    Code("CMP132", "invalid default scope"),
    Code("CMP133", "unknown connector kind"),
    Code("CMP135", "setNull on a key that cannot be null"),
    Code("CMP136", "database constraint the datasources cannot enforce"),
    # 2xx: planning
    Code("CMP201", "dependency cycle"),
]

CODES: dict[str, Code] = {code.id: code for code in _TABLE}
