"""psycopg2 against a PostgreSQL-compatible server: parameters, autocommit off (psycopg2
sends BEGIN), rollback after an error, server_version and SQLSTATEs.

Usage: python3 psycopg2_basic.py "<libpq connection string>"
Exits 0 and prints "ok" when every check passes; an assertion error otherwise.
"""

import sys

import psycopg2
import psycopg2.errors
import psycopg2.extensions


def main(dsn):
    conn = psycopg2.connect(dsn)
    assert conn.server_version == 150018, conn.server_version
    assert conn.autocommit is False
    assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE

    cur = conn.cursor()
    cur.execute("SELECT %s + 1", (41,))
    assert cur.fetchone() == (42,)
    # psycopg2 opened a transaction block with BEGIN before the first statement.
    assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INTRANS

    cur.execute("SELECT 'a' || 'b' AS ab, %s::text AS t, %s AS f, %s IS NULL AS n",
                ("it's", 2.5, None))
    assert cur.fetchone() == ("ab", "it's", 2.5, True)
    assert [d.name for d in cur.description] == ["ab", "t", "f", "n"]

    cur.execute("SELECT * FROM generate_series(1, 4) g")
    assert cur.rowcount == 4
    assert cur.fetchall() == [(1,), (2,), (3,), (4,)]
    conn.commit()
    assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE

    # An error leaves the transaction failed until rollback.
    cur.execute("SET application_name = 'before-error'")
    try:
        cur.execute("SELECT 1/0")
        raise AssertionError("division by zero did not fail")
    except psycopg2.errors.DivisionByZero as e:
        assert e.pgcode == "22012", e.pgcode
        assert e.diag.message_primary == "division by zero"
    assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INERROR
    try:
        cur.execute("SELECT 1")
        raise AssertionError("statement in a failed transaction did not fail")
    except psycopg2.errors.InFailedSqlTransaction as e:
        assert e.pgcode == "25P02", e.pgcode
    conn.rollback()
    cur.execute("SHOW application_name")
    # The SET was part of the rolled-back transaction.
    assert cur.fetchone() == ("",)
    cur.execute("SELECT %s::int * 2", (21,))
    assert cur.fetchone() == (42,)
    conn.rollback()

    try:
        cur.execute("SELECT nosuch")
        raise AssertionError("unknown column did not fail")
    except psycopg2.errors.UndefinedColumn as e:
        assert e.diag.statement_position == "8", e.diag.statement_position
    conn.rollback()

    conn.autocommit = True
    cur.execute("SELECT 1")
    assert conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    conn.close()
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
