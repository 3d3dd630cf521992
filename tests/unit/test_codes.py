"""Every issue code is documented in docs/errors.md, and only real codes are."""

from __future__ import annotations

import re
from pathlib import Path

from composer.codes import CODES

ERRORS_MD = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def _documented() -> dict[str, str]:
    text = ERRORS_MD.read_text(encoding="utf-8")
    return dict(re.findall(r"^## (CMP\d{3}) — (.+)$", text, re.M))


def test_every_code_has_a_section_in_docs_errors_md() -> None:
    missing = sorted(set(CODES) - set(_documented()))
    assert missing == [], f"add a '## CODE — title' section to docs/errors.md for {missing}"


def test_docs_errors_md_documents_no_unknown_code() -> None:
    assert sorted(set(_documented()) - set(CODES)) == []


def test_each_section_title_is_the_code_title() -> None:
    documented = _documented()
    assert {code: documented[code] for code in CODES} == {c.id: c.title for c in CODES.values()}
