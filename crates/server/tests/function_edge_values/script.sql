-- Built-in functions at the edges of their inputs: amounts whose words end at
-- twenty, multirange constructors without arguments.
select cash_words(20::money), cash_words(120::money), cash_words(1020::money), cash_words(20000.20::money), cash_words(19::money), cash_words(0::money);
select int4multirange(), nummultirange(), int4multirange(int4range(1,3)), int4multirange(int4range(1,3), int4range(5,7));
-- jsonb order: an empty top-level array sorts before every scalar
select x from (values ('[]'::jsonb),('null'),('1'),('"a"'),('[1]'),('[null]'),('{}'),('true'),('[[]]'),('[1,2]'),('[[], null]'),('[null, []]'),('{"a": []}'),('{"a": null}'),('false'),('""'),('-1')) t(x) order by x;
select '[]'::jsonb < 'null', '[]'::jsonb < '1', '"x"'::jsonb > '[]', '[]'::jsonb < '[null]', '[[]]'::jsonb > '[null]';
-- regprocedure / regoperator input: parenthesis errors are 22P02
select 'foo'::regprocedure;
select 'foo(int'::regprocedure;
select 'foo(int) x'::regprocedure;
select 'foo'::regoperator;
select to_regprocedure('abc');
select 'abs(int4)'::regprocedure, ' abs ( int4 ) '::regprocedure, '"abs"(int4)'::regprocedure;
select '+(int4,int4)'::regoperator;
select to_regprocedure('abs(int4)'), to_regprocedure('nosuch(int4)');
\set VERBOSITY sqlstate
select 'foo'::regprocedure;
select 'foo(int'::regprocedure;
select 'foo(int) x'::regprocedure;
select 'foo'::regoperator;
select to_regprocedure('abc');
\set VERBOSITY default
-- pg_database_size of another database (psql's \l+ asks it for every database)
select pg_database_size('template1') > 0 as sized,
       pg_database_size((select oid from pg_database where datname = 'template1'))
         = pg_database_size('template1') as same,
       pg_database_size(0::oid) is null as no_such_oid;
select pg_database_size('no_such_database');
-- jsonb_set_lax and its null_value_treatment
-- jsonb_set_lax
select jsonb_set_lax('{"a":1,"b":2}','{b}','5') ;
select jsonb_set_lax('{"a":1,"b":2}','{d}','6', true) ;
select jsonb_set_lax('{"a":1,"b":2}','{b}',null);
select jsonb_set_lax('{"a":1,"b":2}','{d}',null,true);
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, true, null);
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, true, 'no_such_treatment');
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, null_value_treatment => 'raise_exception') as raise_exception;
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, null_value_treatment => 'return_target') as return_target;
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, null_value_treatment => 'delete_key') as delete_key;
select jsonb_set_lax('{"a":1,"b":2}', '{b}', null, null_value_treatment => 'use_json_null') as use_json_null;
select jsonb_set_lax('{"a":1}', '{a}', null, true, null);
select jsonb_set_lax('{"a":1}', '{a}', '2', true, 'bogus');
select jsonb_set_lax('{"a":1}', '{a}', null, null);
