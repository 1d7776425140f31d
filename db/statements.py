"""Which SQL a researcher's `query` may run: one statement that only reads.

Allowed: SELECT, VALUES, TABLE, WITH ... SELECT, SHOW, and EXPLAIN (EXPLAIN ANALYZE only of
a statement that is itself allowed). Refused: everything else (COPY, LOCK, ATTACH, VACUUM,
PRAGMA, SET, ...), SELECT ... INTO and FOR UPDATE/SHARE, data-modifying WITH, and calls of
server functions that reach outside the database (files, configuration, other sessions).
The check reads words outside strings, quoted names and comments; the read-only connection
(db/readonly.py) stays the guard of last resort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.errors import DatabaseError, ReadOnlyViolation

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?\*/)
    | (?P<string>[EeBbXxNn]?'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\])
    | (?P<dollar>\$(?P<tag>[A-Za-z_]\w*)?\$.*?\$(?P=tag)\$)
    | (?P<word>[A-Za-z_][\w$]*)
    | (?P<semicolon>;)
    | (?P<other>.)
    """,
    re.S | re.X,
)
READS = frozenset({"SELECT", "VALUES", "TABLE", "WITH", "SHOW", "EXPLAIN"})
_INNER = frozenset({"SELECT", "VALUES", "TABLE", "WITH"})
_WRITES = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "CREATE", "DROP", "ALTER", "TRUNCATE",
     "COPY", "LOCK", "GRANT", "REVOKE", "ATTACH", "DETACH", "VACUUM", "REINDEX", "PRAGMA"}
)  # fmt: skip
# Server functions that read or write files, change settings or signal other sessions.
_OUTSIDE = frozenset(
    {"pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir",
     "pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir", "pg_reload_conf",
     "pg_rotate_logfile", "pg_terminate_backend", "pg_cancel_backend", "pg_promote",
     "pg_switch_wal", "pg_create_restore_point", "pg_file_write", "pg_file_unlink",
     "pg_file_rename", "pg_logdir_ls", "lo_import", "lo_export", "lo_unlink", "set_config",
     "dblink", "dblink_exec", "dblink_connect", "pg_advisory_lock", "pg_advisory_xact_lock",
     "pg_notify", "load_extension", "writefile", "readfile", "edit", "fts3_tokenizer"}
)  # fmt: skip


@dataclass(frozen=True)
class _Word:
    text: str
    calls: bool  # followed by "("
    quoted: bool = False  # a "quoted name": never a keyword, but may name a function


def _statements(sql: str) -> list[list[_Word]]:
    """The words of each statement, outside strings, quoted names and comments."""
    statements: list[list[_Word]] = [[]]
    tokens = [m for m in _TOKEN.finditer(sql) if m.lastgroup not in ("space", "comment")]
    for index, token in enumerate(tokens):
        if token.lastgroup == "semicolon":
            statements.append([])
        elif token.lastgroup in ("word", "quoted"):
            following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
            quoted = token.lastgroup == "quoted"
            name = token.group()[1:-1] if quoted else token.group()
            statements[-1].append(_Word(name.upper(), following == "(", quoted))
        else:
            statements[-1].append(_Word("", False))  # a value, a name or punctuation
    return [words for words in statements if words]


def check_read_only(sql: str) -> None:
    """Nothing when `sql` is one statement that only reads; else DatabaseError saying why
    (ReadOnlyViolation for a statement that could change or reach outside the database)."""
    statements = _statements(sql)
    if not statements:
        raise DatabaseError("query failed: no SQL statement given")
    if len(statements) > 1:
        raise DatabaseError("query failed: give one SQL statement at a time")
    called = [word for word in statements[0] if word.calls]
    words = [word for word in statements[0] if word.text and not word.quoted]
    first = words[0].text if words else ""
    if first not in READS:
        kind = first or "that statement"
        raise ReadOnlyViolation(
            f"refused: `query` is read-only and runs only SELECT, VALUES, WITH ... SELECT, "
            f"EXPLAIN and SHOW, not {kind}"
        )
    named = {word.text for word in words}
    if first == "EXPLAIN" and not named & {"ANALYZE", "ANALYSE"}:
        return  # a plan only: the statement itself does not run
    inner = next((word.text for word in words if word.text in _INNER | _WRITES), first)
    writes = sorted(named & _WRITES)
    if writes or (first == "EXPLAIN" and inner not in _INNER):
        raise ReadOnlyViolation(
            f"refused: `query` is read-only and never changes the database "
            f"({', '.join(writes) or inner} in the statement)"
        )
    outside = sorted({word.text.lower() for word in called} & _OUTSIDE)
    if outside:
        raise ReadOnlyViolation(
            f"refused: `query` does not call {', '.join(outside)}, which reaches outside "
            "the database's tables"
        )
