-- DEFERRABLE foreign keys and SET CONSTRAINTS.
CREATE TABLE author (id int PRIMARY KEY, name text);
CREATE TABLE book (id int PRIMARY KEY, author_id int NOT NULL, title text);
ALTER TABLE book ADD CONSTRAINT book_author_fk FOREIGN KEY (author_id)
    REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE review (id int PRIMARY KEY,
    book_id int REFERENCES book DEFERRABLE,
    reviewer int REFERENCES author ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
\d book
\d review
SELECT conname, condeferrable, condeferred, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE contype = 'f' ORDER BY conname;
-- Child first, parent later, in one transaction: fine at COMMIT.
BEGIN;
INSERT INTO book VALUES (1, 10, 'first');
INSERT INTO author VALUES (10, 'ann');
COMMIT;
-- A missing parent fails at COMMIT, and the transaction is rolled back.
BEGIN;
INSERT INTO book VALUES (2, 99, 'orphan');
SELECT count(*) FROM book;
COMMIT;
SELECT count(*) FROM book;
-- A bad row deleted before COMMIT needs nothing.
BEGIN;
INSERT INTO book VALUES (3, 98, 'gone');
DELETE FROM book WHERE id = 3;
COMMIT;
-- Outside a block the statement's own transaction commits at once: checked then.
INSERT INTO book VALUES (4, 97, 'implicit');
-- SET CONSTRAINTS ... IMMEDIATE checks what is waiting, now.
BEGIN;
INSERT INTO book VALUES (5, 96, 'waits');
SET CONSTRAINTS book_author_fk IMMEDIATE;
ROLLBACK;
BEGIN;
SET CONSTRAINTS ALL IMMEDIATE;
INSERT INTO book VALUES (6, 95, 'immediate');
ROLLBACK;
-- INITIALLY IMMEDIATE but DEFERRABLE: deferred on request.
BEGIN;
SET CONSTRAINTS review_book_id_fkey DEFERRED;
INSERT INTO review VALUES (1, 7, 10);
INSERT INTO book VALUES (7, 10, 'late');
COMMIT;
BEGIN;
INSERT INTO review VALUES (2, 8, 10);
ROLLBACK;
-- Deleting a parent: NO ACTION waits; a replacement before COMMIT satisfies it.
BEGIN;
DELETE FROM author WHERE id = 10;
INSERT INTO author VALUES (10, 'ann again');
COMMIT;
BEGIN;
DELETE FROM author WHERE id = 10;
COMMIT;
SELECT * FROM author;
-- Savepoints: a rolled-back subtransaction's checks go with it.
BEGIN;
SAVEPOINT s1;
INSERT INTO book VALUES (8, 94, 'in savepoint');
ROLLBACK TO SAVEPOINT s1;
COMMIT;
BEGIN;
SAVEPOINT s1;
INSERT INTO book VALUES (9, 93, 'released');
RELEASE SAVEPOINT s1;
COMMIT;
-- Errors.
SET CONSTRAINTS book_author_fk DEFERRED;
BEGIN;
SET CONSTRAINTS no_such_constraint DEFERRED;
ROLLBACK;
BEGIN;
SET CONSTRAINTS book_pkey DEFERRED;
ROLLBACK;
CREATE TABLE bad (a int REFERENCES author INITIALLY DEFERRED NOT DEFERRABLE);
SELECT * FROM book ORDER BY id;
SELECT * FROM review ORDER BY id;
