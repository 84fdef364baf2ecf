-- Multirange types: text form, constructors, casts, operators, functions, aggregates,
-- COPY, btree use in ORDER BY / DISTINCT / GROUP BY / UNIQUE, input errors, and
-- CREATE TYPE ... AS RANGE with its multirange type, constructors, errors and DROP TYPE.
SET extra_float_digits = 0;

-- Text input is canonical: sorted, merged, empty ranges dropped.
SELECT '{}'::int4multirange, '  {  }  '::int4multirange, '{empty, empty}'::int4multirange;
SELECT '{[5,7), empty, [1,3], (2,4)}'::int4multirange;
SELECT '{[1.5,2.5), [2.5,3)}'::nummultirange, '{(,5], [3,)}'::int8multirange;
SELECT '{[2000-01-01,2000-01-10), [2000-01-10,2000-02-01]}'::datemultirange;
SELECT '{["2000-01-01 10:00","2000-01-01 11:00")}'::tsmultirange;
SELECT '{ [ 1 , 2 ) , ( 3 , 4 ] }'::int4multirange;

-- Malformed literals.
SELECT ''::int4multirange;
SELECT '{'::int4multirange;
SELECT '{[1,2)'::int4multirange;
SELECT '{[1,2),}'::int4multirange;
SELECT '{,[1,2)}'::int4multirange;
SELECT '{[1,2) [3,4)}'::int4multirange;
SELECT '{[1,2)} x'::int4multirange;
SELECT '{[2,1)}'::int4multirange;
SELECT '{[a,2)}'::int4multirange;

-- Constructors and casts.
SELECT int4multirange(), nummultirange(numrange(1, 2)), multirange(int8range(3, 4));
SELECT int4multirange(int4range(5, 7), int4range(1, 3), int4range(2, 4));
SELECT int4range(1, 5)::int4multirange, daterange('2020-01-01', '2020-02-01')::datemultirange;
SELECT pg_typeof(multirange(numrange(1, 2))), pg_typeof(int4multirange());

-- Comparison.
SELECT '{[1,2)}'::int4multirange = '{[1,2)}', '{[1,2)}'::int4multirange <> '{[1,3)}';
SELECT '{}'::int4multirange < '{[1,2)}', '{[1,2)}'::int4multirange < '{[1,2),[3,4)}',
       '{[1,3)}'::int4multirange > '{[1,2),[3,4)}', '{[1,2)}'::int4multirange >= '{[1,2)}',
       '{[1,2)}'::int4multirange <= '{[0,2)}';

-- Containment with elements, ranges and multiranges.
SELECT '{[1,5),[10,20)}'::int4multirange @> 12, 7 <@ '{[1,5),[10,20)}'::int4multirange;
SELECT '{[1,5),[10,20)}'::int4multirange @> int4range(11, 15),
       int4range(4, 11) <@ '{[1,5),[10,20)}'::int4multirange,
       numrange(1, 2) <@ '{[0,3)}'::nummultirange;
SELECT int4range(0, 30) @> '{[1,5),[10,20)}'::int4multirange,
       '{[1,5),[10,20)}'::int4multirange <@ int4range(2, 30);
SELECT '{[1,5),[10,20)}'::int4multirange @> '{[2,3),[15,16)}'::int4multirange,
       '{[2,3),[25,26)}'::int4multirange <@ '{[1,5),[10,20)}'::int4multirange,
       '{}'::int4multirange @> '{}'::int4multirange, 'empty'::int4range <@ '{}'::int4multirange;

-- Overlap, position and adjacency.
SELECT '{[1,5),[10,20)}'::int4multirange && '{[7,8),[19,25)}'::int4multirange,
       '{[1,5),[10,20)}'::int4multirange && int4range(5, 10),
       int4range(4, 6) && '{[1,5)}'::int4multirange;
SELECT '{[1,5)}'::int4multirange << '{[5,6)}'::int4multirange,
       int4range(1, 5) << '{[6,7)}'::int4multirange,
       '{[8,9)}'::int4multirange >> int4range(1, 5),
       '{[1,5)}'::int4multirange &< '{[1,6)}'::int4multirange,
       '{[1,5)}'::int4multirange &> int4range(2, 3),
       int4range(1, 5) &< '{[1,6)}'::int4multirange,
       int4range(3, 5) &> '{[1,6)}'::int4multirange;
SELECT '{[1,5)}'::int4multirange -|- '{[5,6)}'::int4multirange,
       int4range(6, 7) -|- '{[1,2),[3,6)}'::int4multirange,
       '{[1,2),[3,6)}'::int4multirange -|- int4range(0, 1),
       '{[1.0,2.0)}'::nummultirange -|- numrange(2.0, 3.0, '()');

-- Union, difference, intersection.
SELECT '{[1,5),[10,20)}'::int4multirange + '{[5,10)}'::int4multirange;
SELECT '{[1,5),[10,20)}'::int4multirange - '{[2,3),[12,25)}'::int4multirange;
SELECT '{(,)}'::int4multirange - '{[1,5),[10,20)}'::int4multirange;
SELECT '{[1,5),[10,20)}'::int4multirange * '{[0,2),[4,11),[19,30)}'::int4multirange;
SELECT '{[1.5,2.5)}'::nummultirange - '{[2,3)}'::nummultirange,
       '{}'::nummultirange * '{[1,2)}'::nummultirange;

-- Functions.
SELECT lower('{[1,5),[10,20)}'::int4multirange), upper('{[1,5),[10,20)}'::int4multirange),
       lower('{}'::int4multirange), upper('{(,5)}'::int4multirange);
SELECT isempty('{}'::int4multirange), isempty('{[1,2)}'::int4multirange),
       lower_inc('{[1.1,2.2]}'::nummultirange), upper_inc('{[1.1,2.2]}'::nummultirange),
       lower_inf('{(,2)}'::int4multirange), upper_inf('{(,2)}'::int4multirange),
       lower_inc('{}'::int4multirange);
SELECT range_merge('{[1,5),[10,20)}'::int4multirange), range_merge('{}'::int4multirange);
SELECT unnest('{[10,20),[1,5)}'::int4multirange) ORDER BY 1;
SELECT * FROM unnest('{[1.5,2.5),[3,4]}'::nummultirange) AS u(r);

-- Tables, aggregates, order, distinct, grouping, unique.
CREATE TABLE mr (id int, r int4range, m int4multirange);
INSERT INTO mr VALUES
  (1, '[1,3)', '{[1,3),[5,7)}'),
  (2, '[2,6)', '{[1,3),[5,7)}'),
  (3, '[10,12)', '{}'),
  (4, NULL, '{[0,1)}'),
  (5, 'empty', NULL);
SELECT id, m FROM mr ORDER BY m, id;
SELECT DISTINCT m FROM mr ORDER BY m;
SELECT m, count(*) FROM mr GROUP BY m ORDER BY m;
SELECT range_agg(r) FROM mr;
SELECT range_agg(m) FROM mr;
SELECT range_intersect_agg(m) FROM mr WHERE id < 3;
SELECT range_agg(r) FROM mr WHERE false;
SELECT id FROM mr WHERE m @> 6 ORDER BY id;
CREATE UNIQUE INDEX mr_m ON mr (m);
CREATE TABLE mr_unique (m nummultirange UNIQUE);
INSERT INTO mr_unique VALUES ('{[1,2)}'), ('{[3,4)}');
INSERT INTO mr_unique VALUES ('{[1,1.5),[1.5,2)}');
SELECT * FROM mr_unique ORDER BY m DESC;

-- Arrays of multiranges and COPY's text and binary forms.
SELECT ARRAY['{[1,2)}'::int4multirange, '{}'];
CREATE TABLE mr_copy (m datemultirange);
COPY mr_copy FROM stdin;
{[2020-01-01,2020-01-05),[2020-02-01,2020-02-03]}
{}
\.
SELECT m FROM mr_copy ORDER BY m;
COPY mr_copy TO stdout;
DROP TABLE mr, mr_unique, mr_copy;

-- CREATE TYPE ... AS RANGE: the range type, its multirange type, constructors.
CREATE TYPE textrange_t AS RANGE (subtype = text, collation = "C");
SELECT '[a,z)'::textrange_t, textrange_t('b', 'c', '[]'), '{[a,c), [b,d)}'::textmultirange_t;
SELECT textmultirange_t(textrange_t('a', 'b'), textrange_t('c', 'd')) @> 'cc'::text,
       textmultirange_t() = '{}', textmultirange_t(textrange_t('a', 'b')) -|- textrange_t('b', 'c');
SELECT lower('[a,z)'::textrange_t), upper(textmultirange_t(textrange_t('a', 'b'))),
       pg_typeof(textmultirange_t()), pg_typeof(range_merge('{[a,b)}'::textmultirange_t));
SELECT t.typname, t.typtype, t.typcategory, e.typname AS elem
  FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem
  WHERE t.typname LIKE '%textrange\_t' OR t.typname LIKE '%textmultirange\_t' ORDER BY 1;
SELECT rngsubtype::regtype, rngmultitypid::regtype, rngsubdiff
  FROM pg_range WHERE rngtypid = 'textrange_t'::regtype;
SELECT proname, pronargs, provariadic::regtype, prorettype::regtype FROM pg_proc
  WHERE prorettype IN ('textrange_t'::regtype, 'textmultirange_t'::regtype) ORDER BY 1, 2;
CREATE TYPE float8range_t AS RANGE (subtype = float8, subtype_diff = float8mi);
SELECT float8range_t(1.5, 2.5) * float8range_t(2, 3), '[1e3,Infinity]'::float8range_t,
       rngsubdiff::regproc FROM pg_range WHERE rngtypid = 'float8range_t'::regtype;
CREATE TYPE myrange AS RANGE (subtype = text, multirange_type_name = my_multi);
SELECT my_multi(myrange('x', 'y'));

-- Errors.
CREATE TYPE badrange AS RANGE (subtype = text, foo = bar);
CREATE TYPE badrange AS RANGE (collation = "C");
CREATE TYPE badrange AS RANGE (subtype = float8, collation = "C");
CREATE TYPE badrange AS RANGE (subtype = anyelement);
CREATE TYPE badrange AS RANGE (subtype = float8, subtype_diff = nosuchfunction);
CREATE TYPE textrange_t AS RANGE (subtype = text);
CREATE TYPE otherrange AS RANGE (subtype = text, multirange_type_name = textmultirange_t);
CREATE TYPE textmultirange_t AS RANGE (subtype = text);
DROP TYPE textmultirange_t;
DROP TYPE textrange_t, float8range_t, myrange;
SELECT '[a,b)'::textrange_t;
SELECT '{}'::textmultirange_t;
