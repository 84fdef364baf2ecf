-- PL/pgSQL functions and procedures with OUT/INOUT parameters, sets of composite
-- types, and assignment to array elements and record fields.

-- One OUT parameter: the function's value.
CREATE FUNCTION double_it(a int, OUT b int) LANGUAGE plpgsql AS $$
BEGIN
  b := a * 2;
END $$;
SELECT double_it(21), double_it(NULL);

-- Several: a record of them; RETURN without a value ends the function.
CREATE FUNCTION divmod(n int, d int, OUT q int, OUT r int) LANGUAGE plpgsql AS $$
BEGIN
  IF d = 0 THEN
    RETURN;
  END IF;
  q := n / d;
  r := n % d;
END $$;
SELECT divmod(17, 5);
SELECT * FROM divmod(17, 5);
SELECT * FROM divmod(1, 0);
SELECT (divmod(20, 6)).r;

-- INOUT parameters start with the value passed.
CREATE FUNCTION bump(INOUT x int, INOUT label text) LANGUAGE plpgsql AS $$
BEGIN
  x := x + 1;
  label := label || '!';
END $$;
SELECT * FROM bump(41, 'hi');

-- RETURNS TABLE and RETURNS SETOF record with OUT parameters: RETURN NEXT adds a row.
CREATE FUNCTION squares(n int) RETURNS TABLE(i int, sq bigint) LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1..n LOOP
    i := k;
    sq := k * k;
    RETURN NEXT;
  END LOOP;
END $$;
SELECT * FROM squares(4) ORDER BY i;
SELECT squares(2);

CREATE FUNCTION pairs(n int, OUT a int, OUT b text) RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN
  FOR k IN 1..n LOOP
    a := k;
    b := repeat('x', k);
    RETURN NEXT;
  END LOOP;
  RETURN QUERY SELECT 100, 'q';
END $$;
SELECT * FROM pairs(3) ORDER BY a;

-- Procedures with INOUT parameters return one row of them.
CREATE PROCEDURE swap(INOUT a int, INOUT b int) LANGUAGE plpgsql AS $$
DECLARE t int;
BEGIN
  t := a; a := b; b := t;
END $$;
CALL swap(1, 2);

-- CALL inside PL/pgSQL assigns the output parameters back to the variables passed.
DO $$
DECLARE x int := 1; y int := 2;
BEGIN
  CALL swap(x, y);
  RAISE NOTICE 'x=% y=%', x, y;
END $$;
CREATE FUNCTION swapped(a int, b int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  CALL swap(a, b);
  RETURN a || ',' || b;
END $$;
SELECT swapped(3, 4);
DO $$
DECLARE x int := 1;
BEGIN
  CALL swap(x, 5);
END $$;
DO $$
DECLARE x int := 1;
BEGIN
  CALL swap(x + 1, x);
END $$;

-- Sets of a composite type.
CREATE TYPE point3 AS (x int, y int, z numeric);
CREATE TABLE pts (id int, p point3);
INSERT INTO pts VALUES (1, ROW(1, 2, 3.5)), (2, ROW(4, 5, 6));
CREATE FUNCTION all_points() RETURNS SETOF point3 LANGUAGE plpgsql AS $$
DECLARE
  r point3;
  rec record;
BEGIN
  FOR rec IN SELECT p FROM pts ORDER BY id LOOP
    r := rec.p;
    RETURN NEXT r;
  END LOOP;
  RETURN NEXT ROW(7, 8, 9)::point3;
  RETURN QUERY SELECT (p).x + 10, (p).y, (p).z FROM pts ORDER BY id;
END $$;
SELECT * FROM all_points();
SELECT all_points();

CREATE FUNCTION wrong_points() RETURNS SETOF point3 LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT 1, 2;
END $$;
SELECT * FROM wrong_points();

-- Assignment to array elements and record fields.
DO $$
DECLARE
  a int[];
  m text[] := '{{a,b},{c,d}}';
  i int := 3;
  r record;
BEGIN
  a[1] := 10;
  a[i] := 30;
  a[2] := '20';
  m[2][1] := 'z';
  SELECT 1 AS n, ARRAY[1,2,3] AS arr INTO r;
  r.n := 42;
  RAISE NOTICE 'a=% m=% r=%', a, m, r;
END $$;
DO $$
DECLARE a int[];
BEGIN
  a[NULL] := 1;
END $$;
DO $$
DECLARE m int[] := '{{1,2},{3,4}}';
BEGIN
  m[3][1] := 5;
END $$;
