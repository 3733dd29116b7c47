"""Plain Chinese on screen (issue 16 item 1): no system identifier — a rule key such as ``light.red_lag_points``,
an audit action such as ``auth.password_change``, a field name such as ``estimated_amount`` — in the text a person
reads. Tooltips (``title``), attributes and scripts may carry keys; the rule-parameter pages show them on purpose.

:func:`identifiers_shown` returns the identifiers in the visible text of an HTML page."""

from __future__ import annotations

import re
from html import unescape

#: pages whose job is to show the keys (the rule-parameter register and its history)
KEY_PAGES = re.compile(r"^/(org/rules|org/rule-parameters|core/rules)")
_INVISIBLE = re.compile(r"<(script|style|template|textarea|code|pre)\b.*?</\1>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")
#: dotted lower-case words with an underscore or at least two dots (``a.b_c``, ``a.b.c``), or a bare snake_case
#: word of two or more parts (``estimated_amount``) — not a file name (``报告.pdf``) or a domain (``gov.cn``)
_DOTTED = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)+(?![\w/@-])")
_SNAKE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])")
#: identifiers a person is meant to type: the command an auditor runs to check the chain against exported checkpoints
TYPED_COMMANDS = frozenset({"audit_verify"})
_FILE_OR_HOST = re.compile(r"\.(pdf|xlsx|xls|docx|doc|png|jpe?g|zip|csv|ifc|txt|gov|cn|com|org|net|example|local)$")


def visible_text(html: str) -> str:
    """The text of ``html`` as a person reads it: no scripts, styles, comments, tags or attribute values."""
    body = _COMMENT.sub(" ", _INVISIBLE.sub(" ", html))
    return unescape(_TAG.sub(" ", body))


def identifiers_shown(html: str) -> list[str]:
    """System identifiers in the visible text of ``html`` (empty when the page speaks plain Chinese)."""
    text = visible_text(html)
    found = []
    for match in _DOTTED.finditer(text):
        word = match.group(0)
        if ("_" in word or word.count(".") >= 2) and not _FILE_OR_HOST.search(word):
            found.append(word)
    found.extend(m.group(0) for m in _SNAKE.finditer(text))
    return sorted(set(found) - TYPED_COMMANDS)
