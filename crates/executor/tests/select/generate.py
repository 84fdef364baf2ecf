#!/usr/bin/env python3
"""Fills in the expected results of the *.test files in this directory by running every
query on a PostgreSQL 15 server (connection from the usual PG* environment variables).

Each file declares its tables (`table name (col type, ...)` followed by tab-separated
rows, `\\N` for NULL, ended by `end`); they are created in a scratch schema, then every
`query` block's text after `----` is replaced with what PostgreSQL answered: a header of
column names, then the rows, fields separated by `|`, NULL as `NULL`; or
`ERROR <sqlstate> <message>` with ` at <position>` when the error has one.
"""
import glob
import os
import sys

import psycopg2
import psycopg2.extensions as ext


def parse(path):
    blocks = []
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("table "):
            body = []
            i += 1
            while lines[i] != "end":
                body.append(lines[i])
                i += 1
            blocks.append(("table", line, body))
        elif line.startswith("query"):
            sql = []
            i += 1
            while lines[i] != "----":
                sql.append(lines[i])
                i += 1
            i += 1
            while i < len(lines) and lines[i] != "":
                i += 1
            blocks.append(("query", line, "\n".join(sql)))
        elif line.strip():
            blocks.append(("text", line, None))
        i += 1
    return blocks


def run(conn, sql):
    cur = conn.cursor()
    try:
        cur.execute(sql)
    except psycopg2.Error as e:
        conn.rollback()
        msg = "ERROR %s %s" % (e.pgcode, e.diag.message_primary)
        if e.diag.statement_position:
            msg += " at %s" % e.diag.statement_position
        return [msg]
    out = ["|".join(d.name for d in cur.description)]
    rows = ["|".join("NULL" if v is None else v for v in row) for row in cur.fetchall()]
    conn.rollback()
    return out + rows


def main():
    conn = psycopg2.connect("")
    cur = conn.cursor()
    cur.execute("SELECT oid FROM pg_type")
    oids = [r[0] for r in cur.fetchall()]
    ext.register_type(ext.new_type(tuple(oids), "RAW", lambda v, c: v), conn)
    conn.rollback()
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "*.test"))):
        blocks = parse(path)
        cur = conn.cursor()
        cur.execute("DROP SCHEMA IF EXISTS regress_select CASCADE; CREATE SCHEMA regress_select;"
                    "SET search_path = regress_select")
        for kind, head, body in blocks:
            if kind == "table":
                cur.execute("CREATE " + head)
                name = head.split()[1]
                for row in body:
                    values = [None if v == "\\N" else v for v in row.split("\t")]
                    cur.execute("INSERT INTO %s VALUES (%s)" % (name, ",".join(["%s"] * len(values))),
                                values)
        conn.commit()
        cur.execute("SET search_path = regress_select")
        conn.commit()
        out = []
        for kind, head, body in blocks:
            if kind == "table":
                out += [head] + body + ["end", ""]
            elif kind == "text":
                out.append(head)
            else:
                result = run(conn, body)
                if head.strip() == "query rowsort" and not result[0].startswith("ERROR"):
                    result = result[:1] + sorted(result[1:])
                out += [head, body, "----"] + result + [""]
        open(path, "w").write("\n".join(out).rstrip("\n") + "\n")
        cur = conn.cursor()
        cur.execute("DROP SCHEMA regress_select CASCADE")
        conn.commit()


if __name__ == "__main__":
    sys.exit(main())
