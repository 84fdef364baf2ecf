"""psycopg2 server-side (named) cursors: DECLARE / FETCH FORWARD n / scroll / CLOSE,
as psycopg2 issues them for `connection.cursor(name)`, and WITH HOLD cursors across a
commit. Prints `ok` on success."""
import sys

import psycopg2

conn = psycopg2.connect(sys.argv[1])
cur = conn.cursor()
cur.execute("CREATE TABLE nc (id int PRIMARY KEY, label text)")
cur.execute("INSERT INTO nc SELECT g, 'label ' || g FROM generate_series(1, 2500) g")
conn.commit()

# Iterating a named cursor fetches `itersize` rows per FETCH FORWARD.
named = conn.cursor("stream")
named.itersize = 1000
named.execute("SELECT id, label FROM nc ORDER BY id")
seen = [row[0] for row in named]
assert seen == list(range(1, 2501)), seen[:5]
named.close()

# fetchmany / scroll / fetchone on a scrollable cursor.
sc = conn.cursor("scrolling", scrollable=True)
sc.execute("SELECT id FROM nc WHERE id <= %s ORDER BY id", (10,))
assert sc.fetchmany(3) == [(1,), (2,), (3,)]
sc.scroll(-2)
assert sc.fetchone() == (2,)
sc.scroll(7, mode="absolute")
assert sc.fetchone() == (8,)
assert sc.fetchall() == [(9,), (10,)]
assert sc.fetchone() is None
sc.close()
conn.commit()

# WITH HOLD: the cursor stays usable after the transaction commits.
held = conn.cursor("held", withhold=True)
held.execute("SELECT id FROM nc WHERE id > 2495 ORDER BY id")
assert held.fetchone() == (2496,)
conn.commit()
assert held.fetchall() == [(2497,), (2498,), (2499,), (2500,)]
held.close()

# A missing cursor is SQLSTATE 34000.
cur = conn.cursor()
try:
    cur.execute("FETCH 1 FROM nope")
    raise AssertionError("FETCH from a missing cursor succeeded")
except psycopg2.Error as e:
    assert e.pgcode == "34000", e.pgcode
conn.rollback()

cur.execute("DROP TABLE nc")
conn.commit()
conn.close()
print("ok")
