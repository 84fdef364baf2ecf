-- GROUP BY with grouping sets, GROUPING(), and grouping by a primary key.
CREATE TABLE gt (a int, b int, c int);
INSERT INTO gt VALUES (1, 1, 1), (1, 2, 2), (2, 1, 3), (2, 2, 4), (NULL, 1, 5);
SELECT a, b, sum(c), grouping(a, b) FROM gt GROUP BY ROLLUP (a, b) ORDER BY 4, 1, 2;
SELECT a, b, sum(c) FROM gt GROUP BY CUBE (a, b) ORDER BY grouping(a, b), 1, 2, 3;
SELECT a, b, count(*) FROM gt GROUP BY GROUPING SETS ((a), (b), ()) ORDER BY grouping(a, b), 1, 2;
SELECT a, b, count(*) FROM gt GROUP BY a, ROLLUP (b) ORDER BY grouping(b), 1, 2, 3;
SELECT a, b, count(*) FROM gt GROUP BY DISTINCT ROLLUP (a, b), ROLLUP (a) ORDER BY grouping(a, b), 1, 2, 3;
SELECT count(*) FROM gt GROUP BY ROLLUP (a, b), ROLLUP (a) ORDER BY 1;
SELECT a, b FROM gt GROUP BY ROLLUP ((a, b)) ORDER BY grouping(a, b), 1, 2;
SELECT a + 1 AS x, count(*) FROM gt GROUP BY ROLLUP (a + 1) ORDER BY grouping(a + 1), 1;
SELECT a, count(DISTINCT b), array_agg(c ORDER BY c) FROM gt GROUP BY CUBE (a) ORDER BY grouping(a), 1;
SELECT a, sum(c) FILTER (WHERE b = 1), grouping(a) FROM gt GROUP BY ROLLUP (a)
  HAVING grouping(a) = 1 OR a = 1 ORDER BY 1;
SELECT DISTINCT grouping(a) FROM gt GROUP BY ROLLUP (a) ORDER BY 1;
SELECT a, b, sum(c), sum(sum(c)) OVER (ORDER BY a, b) AS running
  FROM gt WHERE a IS NOT NULL GROUP BY ROLLUP (a, b) ORDER BY running, a, b;
SELECT count(*) FROM gt GROUP BY ();
SELECT count(*) FROM gt WHERE false GROUP BY ();
SELECT count(*) FROM gt WHERE false GROUP BY GROUPING SETS ((), ());
SELECT count(*), grouping(a) FROM gt WHERE false GROUP BY ROLLUP (a);
SELECT a, grouping(a) FROM gt GROUP BY a ORDER BY 1;
CREATE VIEW gv AS SELECT a, b, sum(c) AS s FROM gt GROUP BY ROLLUP (a, b);
SELECT * FROM gv WHERE a IS NOT NULL ORDER BY 1, 2, 3;
PREPARE p AS SELECT a, grouping(a), count(*) FROM gt WHERE c > $1 GROUP BY ROLLUP (a) ORDER BY 2, 1;
EXECUTE p(2);
EXPLAIN (COSTS OFF) SELECT a, b, sum(c) FROM gt GROUP BY GROUPING SETS (a, b);
EXPLAIN (COSTS OFF) SELECT a, b, sum(c) FROM gt GROUP BY ROLLUP (a, b);
-- errors
SELECT grouping(a) FROM gt;
SELECT a FROM gt WHERE grouping(a) = 0 GROUP BY a;
SELECT a, grouping(b) FROM gt GROUP BY a;
SELECT a FROM gt GROUP BY a, grouping(a);
SELECT 1 FROM gt JOIN gt g2 ON grouping(gt.a) = 0 GROUP BY gt.a;
SELECT sum(grouping(a)) FROM gt GROUP BY a;
SELECT count(*) FROM gt GROUP BY CUBE (a, b, c, a, b, c, a, b, c, a, b, c, a);
SELECT grouping(a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a) FROM gt GROUP BY a;
SELECT 1 FROM gt GROUP BY CUBE (a, a, a, a, a, a, a, a, a, a, a, a), CUBE (a, a);
-- columns of a table grouped by its primary key
CREATE TABLE users (id int PRIMARY KEY, name text, age int);
CREATE TABLE orders (id int, user_id int, amount int);
INSERT INTO users VALUES (1, 'ann', 30), (2, 'bob', 40), (3, 'cy', 50);
INSERT INTO orders VALUES (1, 1, 10), (2, 1, 20), (3, 2, 5);
SELECT u.id, u.name, count(o.id), sum(o.amount)
  FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id ORDER BY u.id;
SELECT u.*, count(*) FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id ORDER BY 1;
SELECT name FROM users GROUP BY id HAVING age > 35 ORDER BY name;
SELECT name, count(*) FROM users GROUP BY ROLLUP (id) ORDER BY 1;
SELECT o.amount FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id;
SELECT name FROM users GROUP BY GROUPING SETS ((id), ());
