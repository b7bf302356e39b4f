"""The export's tables (``kzcli.export.tables``) as a SQLite database: the tables with their
keys and an index on every foreign key, and the FTS index in the shape sqlite-utils and
Datasette look for. Imported by ``kz export --format sqlite`` alone.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from kzcli.errors import OutputError, UsageError

if TYPE_CHECKING:
    from kzcli.export import Table

# The full-text index of the paragraphs table.
FTS_TABLE = "paragraphs_fts"


def _quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> str:
    """``CREATE TABLE`` with types, NOT NULL, primary, unique and foreign keys."""
    lines = []
    for column in table.columns:
        line = f"{_quote_name(column.name)} {column.sql_type}"
        if not column.nullable:
            line += " NOT NULL"
        if column.references:
            other, _, other_column = column.references.rstrip(")").partition("(")
            line += f" REFERENCES {_quote_name(other)}({_quote_name(other_column)})"
        lines.append(line)
    lines.append(f"PRIMARY KEY ({', '.join(_quote_name(c) for c in table.primary_key)})")
    for columns in table.unique:
        lines.append(f"UNIQUE ({', '.join(_quote_name(c) for c in columns)})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote_name(table.name)} (\n  {body}\n)"


def create_index_sql(table: Table) -> list[str]:
    """An index on every foreign-key column (named as sqlite-utils names them), so a join or
    Datasette's "links from other tables" count looks rows up instead of scanning the table;
    not where the primary key or a unique key (indexed already) leads with that column."""
    leading = {table.primary_key[0], *(columns[0] for columns in table.unique)}
    return [
        f"CREATE INDEX {_quote_name(f'idx_{table.name}_{column.name}')} "
        f"ON {_quote_name(table.name)} ({_quote_name(column.name)})"
        for column in table.columns
        if column.references and column.name not in leading
    ]


def _sqlite_value(value: Any) -> Any:
    """A cell as SQLite keeps it: a list as a JSON array (sqlite-utils' and Datasette's form);
    a bool is already an integer to sqlite3."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


# The FTS index in sqlite-utils' shape (``enable-fts --create-triggers``), so its
# ``search`` command and Datasette's search box both find it.
_FTS_SQL = f"""
CREATE VIRTUAL TABLE "{FTS_TABLE}" USING FTS5 (
  text,
  content="paragraphs",
  tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO "{FTS_TABLE}" (rowid, text) SELECT id, text FROM paragraphs;
CREATE TRIGGER "paragraphs_ai" AFTER INSERT ON "paragraphs" BEGIN
  INSERT INTO "{FTS_TABLE}" (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER "paragraphs_ad" AFTER DELETE ON "paragraphs" BEGIN
  INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER "paragraphs_au" AFTER UPDATE ON "paragraphs" BEGIN
  INSERT INTO "{FTS_TABLE}" ("{FTS_TABLE}", rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO "{FTS_TABLE}" (rowid, text) VALUES (new.id, new.text);
END;
"""


def write_sqlite(corpus_tables: list[Table], out: IO[bytes]) -> None:
    """The tables and the FTS index as a SQLite database, built in memory and written to ``out``."""
    import sqlite3

    from kzcli.files import sqlite_image

    def fill(connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            for table in corpus_tables:
                connection.execute(create_table_sql(table))
                marks = ", ".join("?" * len(table.columns))
                connection.executemany(
                    f"INSERT INTO {_quote_name(table.name)} VALUES ({marks})",
                    ([_sqlite_value(v) for v in row] for row in table.rows),
                )
                for statement in create_index_sql(table):
                    connection.execute(statement)
        connection.executescript(_FTS_SQL)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # the validator makes this impossible; never ship a broken file
            raise UsageError(f"export failed its own foreign-key check: {problems[:3]}")

    try:
        image = sqlite_image(fill)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot build the SQLite database: {exc}") from None
    out.write(image)
