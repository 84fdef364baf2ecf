"""LISTEN / NOTIFY through psycopg2 as applications use it: an autocommit listener
waits with select() on the connection's socket and reads `conn.notifies` after
`conn.poll()`, so notifications must arrive while the listener is idle. Also checks
PostgreSQL's transactional rules: nothing is sent before COMMIT, a rollback sends
nothing, duplicates in one transaction are folded, UNLISTEN stops delivery.
Prints `ok` on success."""
import select
import sys

import psycopg2
import psycopg2.extensions

dsn = sys.argv[1]
listener = psycopg2.connect(dsn)
listener.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
lcur = listener.cursor()
lcur.execute("LISTEN jobs")
lcur.execute('LISTEN "Mixed"')
lcur.execute("SELECT pg_listening_channels() ORDER BY 1")
assert lcur.fetchall() == [("Mixed",), ("jobs",)]

notifier = psycopg2.connect(dsn)
ncur = notifier.cursor()
notifier_pid = notifier.get_backend_pid()


def wait_notifies(expected_count, timeout=10.0):
    """Waits idle on the listener's socket until `expected_count` notifications came."""
    got = []
    while len(got) < expected_count:
        ready, _, _ = select.select([listener], [], [], timeout)
        assert ready, f"timed out waiting for notifications, got {got}"
        listener.poll()
        while listener.notifies:
            n = listener.notifies.pop(0)
            got.append((n.pid, n.channel, n.payload))
    return got


# Inside an open transaction nothing is sent; at COMMIT all of it, in order, with the
# repeated (channel, payload) pair folded into one.
ncur.execute("NOTIFY jobs, 'first'")
ncur.execute("SELECT pg_notify('jobs', 'second')")
ncur.execute("NOTIFY jobs, 'first'")
ncur.execute("SELECT pg_notify('Mixed', NULL)")
ncur.execute("NOTIFY other, 'not listened'")
ready, _, _ = select.select([listener], [], [], 0.3)
listener.poll()
assert not listener.notifies, "sent before commit"
notifier.commit()
got = wait_notifies(3)
assert got == [
    (notifier_pid, "jobs", "first"),
    (notifier_pid, "jobs", "second"),
    (notifier_pid, "Mixed", ""),
], got

# A rolled-back transaction sends nothing; a savepoint rolled back drops its part.
ncur.execute("NOTIFY jobs, 'rolled back'")
notifier.rollback()
ncur.execute("SAVEPOINT s")
ncur.execute("NOTIFY jobs, 'in savepoint'")
ncur.execute("ROLLBACK TO SAVEPOINT s")
ncur.execute("NOTIFY jobs, 'after savepoint'")
notifier.commit()
got = wait_notifies(1)
assert got == [(notifier_pid, "jobs", "after savepoint")], got

# Errors as PostgreSQL reports them.
for sql, message in [
    ("SELECT pg_notify('', 'x')", "channel name cannot be empty"),
    ("SELECT pg_notify(repeat('c', 64), 'x')", "channel name too long"),
    ("SELECT pg_notify('jobs', repeat('p', 8000))", "payload string too long"),
]:
    try:
        ncur.execute(sql)
        raise AssertionError(f"{sql} succeeded")
    except psycopg2.Error as e:
        assert e.pgcode == "22023", (sql, e.pgcode)
        assert e.diag.message_primary == message, (sql, e.diag.message_primary)
    notifier.rollback()

# UNLISTEN stops delivery of that channel only.
lcur.execute("UNLISTEN jobs")
ncur.execute("NOTIFY jobs, 'unheard'; NOTIFY \"Mixed\", 'heard'")
notifier.commit()
got = wait_notifies(1)
assert got == [(notifier_pid, "Mixed", "heard")], got
lcur.execute("UNLISTEN *")
lcur.execute("SELECT count(*) FROM pg_listening_channels()")
assert lcur.fetchone() == (0,)
lcur.execute("SELECT pg_notification_queue_usage()")
assert lcur.fetchone() == (0.0,)

listener.close()
notifier.close()
print("ok")
