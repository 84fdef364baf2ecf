-- Range types: text forms, canonical forms, errors, operators, functions, storage,
-- ordering, grouping and a btree index on a range column.
SELECT '[1,5]'::int4range, '(1,5)'::int4range, '(,)'::int4range, '[3,3)'::int4range, ' EMPTY '::int4range;
SELECT '[1.5,2.5]'::numrange, '(,3.0]'::numrange, '[1,1]'::numrange;
SELECT '[2000-01-01,2000-01-10]'::daterange, '(2000-01-01,infinity]'::daterange;
SELECT '[2000-01-01 10:00,2000-01-02)'::tsrange, '["2000-01-01 00:00:00+00",)'::tstzrange;
SELECT '[10,20)'::int8range, int8range(5, 15, '(]');
SELECT int4range(1, 10), int4range(1, 10, '[]'), int4range(NULL, 3), numrange(1.0, 2.0, '()');
SELECT daterange('2020-01-01', '2020-02-01', '[]');
SELECT '[5,1]'::int4range;
SELECT '1,5'::int4range;
SELECT '[1,5'::int4range;
SELECT '[1,5,6]'::int4range;
SELECT '[1,5]x'::int4range;
SELECT 'empty x'::int4range;
SELECT '[a,5]'::int4range;
SELECT int4range(1, 5, 'x]');
SELECT int4range(1, 5, NULL);
SELECT '[1,5)'::int4range = '[1,4]'::int4range, '[1,5)'::int4range <> '[1,6)'::int4range;
SELECT '[1,5)'::int4range < '[1,6)'::int4range, 'empty'::int4range < '[1,2)'::int4range,
       '[2,3)'::int4range > '(,5)'::int4range, '[1,2]'::numrange >= '(1,2]'::numrange;
SELECT int4range(1, 10) @> 5, int4range(1, 10) @> 10, 3 <@ int4range(1, 4),
       int4range(1, 10) @> int4range(2, 5), int4range(2, 5) <@ int4range(1, 10);
SELECT int4range(1, 5) && int4range(4, 8), int4range(1, 5) && int4range(5, 8),
       int4range(1, 5) << int4range(5, 8), int4range(5, 8) >> int4range(1, 5),
       int4range(1, 5) &< int4range(0, 6), int4range(1, 5) &> int4range(0, 6),
       int4range(1, 5) -|- int4range(5, 8), numrange(1, 2) -|- numrange(2, 3, '()');
SELECT int4range(1, 5) + int4range(3, 8), int4range(1, 5) * int4range(3, 8),
       int4range(1, 5) - int4range(3, 8), numrange(1, 10) - numrange(5, 20);
SELECT int4range(1, 5) + int4range(7, 8);
SELECT int4range(1, 10) - int4range(3, 4);
SELECT range_merge(int4range(1, 5), int4range(7, 8)), range_merge('empty'::int4range, int4range(2, 3));
SELECT lower(int4range(1, 5)), upper(int4range(1, 5)), lower(numrange(NULL, 2)), upper('empty'::int4range);
SELECT isempty('empty'::int4range), isempty(int4range(1, 2)), lower_inc(numrange(1, 2, '(]')),
       upper_inc(numrange(1, 2, '(]')), lower_inf(int4range(NULL, 2)), upper_inf(int4range(NULL, 2)),
       lower_inc('empty'::int4range);
SELECT lower(daterange('2020-01-01', '2020-01-05')), upper(tsrange('2020-01-01', '2020-01-05'));
SELECT '[1,5)'::int4range @> '[2,3)', '[1,5)'::int4range && '[4,9)';
SELECT numrange(1, 5) @> 3;
CREATE TABLE reservations (id int, during tsrange, seats int4range);
INSERT INTO reservations VALUES
  (1, '[2020-01-01 10:00, 2020-01-01 11:00)', '[1,4]'),
  (2, '[2020-01-01 10:30, 2020-01-01 12:00)', '[5,6]'),
  (3, '[2020-01-02 09:00, 2020-01-02 10:00)', 'empty'),
  (4, NULL, '(,10)'),
  (5, '[2020-01-01 10:00, 2020-01-01 11:00)', '[1,5)');
SELECT * FROM reservations ORDER BY id;
SELECT id FROM reservations WHERE during && '[2020-01-01 10:45, 2020-01-01 10:50)' ORDER BY id;
SELECT id, seats FROM reservations ORDER BY seats, id;
SELECT seats, count(*) FROM reservations GROUP BY seats ORDER BY seats;
SELECT DISTINCT during FROM reservations ORDER BY during;
SELECT r1.id, r2.id FROM reservations r1 JOIN reservations r2 ON r1.seats = r2.seats AND r1.id < r2.id;
CREATE INDEX reservations_seats ON reservations (seats);
SELECT id FROM reservations WHERE seats = '[1,5)' ORDER BY id;
SELECT id, seats FROM reservations WHERE seats < '[2,3)' ORDER BY seats, id;
UPDATE reservations SET seats = seats * '[2,100)' WHERE id = 1 RETURNING id, seats;
SELECT ARRAY[int4range(1, 2), int4range(3, 4, '[]')], '{"[1,2)","empty"}'::int4range[];
CREATE TABLE range_arrays (rs numrange[]);
INSERT INTO range_arrays VALUES ('{"[1.5,2)","(,3]"}');
SELECT rs, rs[2] FROM range_arrays;
SELECT '[1,2)'::text::int4range, int4range(1, 3)::text;
SELECT range_intersect_agg(seats) FROM reservations WHERE id IN (1, 5);
SELECT range_intersect_agg(seats) FROM reservations WHERE false;
CREATE TABLE many AS SELECT g, int4range(g, g + 10) AS r FROM generate_series(1, 500) AS g;
CREATE INDEX many_r ON many (r);
SELECT g, r FROM many WHERE r = int4range(42, 52);
SELECT count(*) FROM many WHERE r >= '[490,)' AND r < '[495,500)';
SELECT r, g FROM many WHERE r @> 7 ORDER BY r;
