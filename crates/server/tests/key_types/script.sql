-- uuid, pg_lsn, "char" and regclass as key columns, and pg_lsn arithmetic.
CREATE TABLE accounts (id uuid PRIMARY KEY, owner text NOT NULL);
INSERT INTO accounts VALUES
    ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ann'),
    ('{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12}', 'bob'),
    ('00000000000000000000000000000000', 'root');
INSERT INTO accounts VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'dup');
INSERT INTO accounts SELECT gen_random_uuid(), 'gen' || g FROM generate_series(1, 50) g;
SELECT owner FROM accounts WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12';
SELECT id, owner FROM accounts WHERE owner NOT LIKE 'gen%' ORDER BY id DESC;
SELECT count(*) FROM accounts WHERE id > '00000000-0000-0000-0000-000000000000';
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT owner FROM accounts WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
SELECT owner FROM accounts WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
RESET enable_seqscan;
UPDATE accounts SET id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE owner = 'bob';
DELETE FROM accounts WHERE owner = 'ann' RETURNING id;

CREATE TABLE wal_marks (lsn pg_lsn PRIMARY KEY, note text);
INSERT INTO wal_marks VALUES ('0/16AE7F7', 'a'), ('FFFFFFFF/FFFFFFFF', 'max'), ('1/0', 'b'), ('0/0', 'zero');
INSERT INTO wal_marks VALUES ('1/0', 'dup');
INSERT INTO wal_marks VALUES ('G/0', 'bad');
SELECT * FROM wal_marks ORDER BY lsn;
SELECT max(lsn), min(lsn) FROM wal_marks;
SELECT note FROM wal_marks WHERE lsn > '1/0';
SELECT lsn - '0/0' AS bytes, lsn + 16::numeric AS plus FROM wal_marks WHERE note <> 'max' ORDER BY lsn;
SELECT 16::numeric + '0/16AE7F7'::pg_lsn, '0/16AE7F7'::pg_lsn - 16::numeric;
SELECT '0/16AE7F7'::pg_lsn - 'FFFFFFFF/FFFFFFFF'::pg_lsn;
SELECT 'FFFFFFFF/FFFFFFFF'::pg_lsn + 1::numeric;
SELECT '0/0'::pg_lsn - 1::numeric;
SELECT '0/0'::pg_lsn + 'NaN'::numeric;
SELECT pg_lsn(23783416::numeric), pg_lsn(1.5);
SELECT pg_wal_lsn_diff('1/0', '0/0');
SELECT pg_walfile_name('0/1000000'), pg_walfile_name('0/1000001'), pg_walfile_name('1/0');
SELECT pg_current_wal_lsn() > '0/0' AS wal_moves,
       pg_current_wal_insert_lsn() >= pg_current_wal_flush_lsn() AS insert_ahead;

CREATE TABLE kinds (k "char" PRIMARY KEY, rel regclass UNIQUE);
INSERT INTO kinds VALUES ('r', 'pg_class'), ('t', 'pg_type'), ('i', 'pg_index');
INSERT INTO kinds VALUES ('r', 'pg_proc');
SELECT * FROM kinds WHERE k > 'i' ORDER BY k;
SELECT k FROM kinds WHERE rel = 'pg_type'::regclass;
