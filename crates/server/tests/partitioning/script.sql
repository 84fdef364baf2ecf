-- Declarative partitioning: catalogs, routing, row movement, pruning, ATTACH/DETACH.
CREATE TABLE measurement (logdate int NOT NULL, peak int, city text) PARTITION BY RANGE (logdate);
CREATE TABLE m_low PARTITION OF measurement FOR VALUES FROM (MINVALUE) TO (0);
CREATE TABLE m_1 PARTITION OF measurement FOR VALUES FROM (0) TO (10);
CREATE TABLE m_2 PARTITION OF measurement FOR VALUES FROM (10) TO (20);
CREATE TABLE m_bad PARTITION OF measurement FOR VALUES FROM (5) TO (15);
CREATE TABLE m_empty PARTITION OF measurement FOR VALUES FROM (30) TO (25);
CREATE TABLE m_list PARTITION OF measurement FOR VALUES IN (1);
SELECT relname, relkind, relispartition, pg_get_expr(relpartbound, oid)
  FROM pg_class WHERE relname LIKE 'm\_%' OR relname = 'measurement' ORDER BY relname;
SELECT partstrat, partnatts, partattrs FROM pg_partitioned_table
  WHERE partrelid = 'measurement'::regclass;
SELECT pg_get_partkeydef('measurement'::regclass), pg_get_partkeydef('m_1'::regclass);
INSERT INTO measurement VALUES (-5, 1, 'a'), (3, 2, 'b'), (12, 3, 'c');
INSERT INTO measurement VALUES (25, 4, 'd');
INSERT INTO m_1 VALUES (15, 5, 'e');
INSERT INTO m_1 VALUES (7, 5, 'e');
SELECT tableoid::regclass, * FROM measurement ORDER BY logdate;
SELECT * FROM ONLY measurement;
UPDATE measurement SET logdate = 15 WHERE logdate = 3;
UPDATE m_2 SET logdate = 1 WHERE logdate = 12;
SELECT tableoid::regclass, * FROM measurement ORDER BY logdate;
DELETE FROM measurement WHERE peak = 2;
SELECT count(*) FROM measurement;
-- List and hash partitioning, a default partition, sub-partitioning.
CREATE TABLE colors (c text, n int) PARTITION BY LIST (c);
CREATE TABLE colors_rg PARTITION OF colors FOR VALUES IN ('red', 'green');
CREATE TABLE colors_null PARTITION OF colors FOR VALUES IN (NULL);
CREATE TABLE colors_other PARTITION OF colors DEFAULT;
CREATE TABLE colors_bad PARTITION OF colors FOR VALUES IN ('blue', 'red');
CREATE TABLE colors_bad PARTITION OF colors FOR VALUES FROM ('a') TO ('b');
INSERT INTO colors VALUES ('red', 1), ('blue', 2), (NULL, 3), ('green', 4);
SELECT tableoid::regclass, * FROM colors ORDER BY n;
CREATE TABLE h (id int, v text) PARTITION BY HASH (id);
CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE h_bad PARTITION OF h FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE h_def PARTITION OF h DEFAULT;
INSERT INTO h SELECT g, 'x' FROM generate_series(1, 10) g;
SELECT tableoid::regclass, count(*) FROM h GROUP BY 1 ORDER BY 1;
CREATE TABLE sub (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE sub_1 PARTITION OF sub FOR VALUES FROM (1) TO (100) PARTITION BY LIST (b);
CREATE TABLE sub_1_x PARTITION OF sub_1 FOR VALUES IN (1, 2);
INSERT INTO sub VALUES (5, 1);
INSERT INTO sub VALUES (5, 3);
INSERT INTO sub VALUES (500, 1);
SELECT tableoid::regclass, * FROM sub;
-- ATTACH and DETACH.
CREATE TABLE m_3 (logdate int NOT NULL, peak int, city text);
INSERT INTO m_3 VALUES (50, 9, 'z');
ALTER TABLE measurement ATTACH PARTITION m_3 FOR VALUES FROM (20) TO (40);
ALTER TABLE measurement ATTACH PARTITION m_3 FOR VALUES FROM (40) TO (60);
SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'm_3';
SELECT * FROM measurement WHERE logdate > 30;
ALTER TABLE measurement DETACH PARTITION m_3;
SELECT relispartition, relpartbound FROM pg_class WHERE relname = 'm_3';
SELECT count(*) FROM measurement;
ALTER TABLE m_3 ATTACH PARTITION m_1 FOR VALUES IN (1);
DROP TABLE m_2;
DROP TABLE measurement;
SELECT relname FROM pg_class WHERE relname LIKE 'm\_%' ORDER BY relname;
DROP TABLE colors, h, sub, m_3;
-- psql's descriptions.
CREATE TABLE orders (id int, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us', 'ca');
CREATE UNIQUE INDEX orders_id ON orders (id);
CREATE INDEX orders_region ON orders (region);
\d orders
\d+ orders
\d orders_us
SELECT indexrelid::regclass, indrelid::regclass FROM pg_index
  WHERE indrelid IN ('orders_eu'::regclass, 'orders_us'::regclass) ORDER BY indexrelid::regclass::text;
INSERT INTO orders VALUES (1, 'eu'), (1, 'us');
DROP TABLE orders;
