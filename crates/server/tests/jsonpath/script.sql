-- The jsonpath type: canonical output, binary round trip, and input errors.
select '$.a[*] ? (@.b > 1 && @.c like_regex "^x" flag "i")'::jsonpath;
select 'strict $.a.**{1 to last}.b'::jsonpath, 'lax $[1 to last, 0]'::jsonpath;
select '$--+1'::jsonpath, '(1).a'::jsonpath, '$ ? (@ starts with $v)'::jsonpath;
select '$.a + 1'::jsonpath::text;
select '1.type()'::jsonpath;
select '$ ? (@ > 1'::jsonpath;
select '@ + 1'::jsonpath;
select '$[1] ? (last > 0)'::jsonpath;
select '$ ? (@ like_regex "a" flag "z")'::jsonpath;
create table paths (id int, p jsonpath);
insert into paths values (1, '$.a'), (2, 'strict $.b[last]'), (3, null);
select id, p from paths order by id;

-- Accessors in lax and strict mode.
select jsonb_path_query('{"a": [1, 2, 3, 4]}', '$.a[1 to last]');
select jsonb_path_query('{"a": {"b": [1, {"c": 2}]}}', '$.**.c');
select jsonb_path_query('{"a": {"b": [1, {"c": 2}]}}', '$.**{2}');
select jsonb_path_query('[1, [2, 3]]', 'lax $[*][*]');
select jsonb_path_query('{"a": 1}', 'strict $.b');
select jsonb_path_query('{"a": 1}', 'strict $.b', silent => true);
select jsonb_path_query('[1]', 'strict $[3]');
select jsonb_path_query('[1]', 'lax $[3]');
select jsonb_path_query('1', 'strict $[*]');
select jsonb_path_query('[1, 2]', '$[$size]', '{"size": 1}');
select jsonb_path_query('[1, 2]', '$[$x]');
select jsonb_path_query('[1, 2]', '$', '[]');

-- Filters and predicates.
select jsonb_path_query('[{"a": 1}, {"a": 5}, {"a": "x"}]', '$[*] ? (@.a > 2)');
select jsonb_path_query('[{"a": 1}, {"a": 5}, {"b": 1}]', '$[*] ? (exists (@.a) && !(@.a == 1))');
select jsonb_path_query('["abc", "abd", 1]', '$[*] ? (@ starts with "ab")');
select jsonb_path_query('["Abc", "xbc"]', '$[*] ? (@ like_regex "^a" flag "i")');
select jsonb_path_query('[1, "a", null]', '$[*] ? ((@ > 0) is unknown)');
select jsonb_path_exists('{"a": [1, 2]}', '$.a[*] ? (@ == 2)');
select jsonb_path_exists('{"a": 1}', 'strict $.b', silent => true);
select jsonb_path_match('{"a": 2}', '$.a > 1');
select jsonb_path_match('{"a": 2}', '$.a');
select jsonb_path_match('{"a": 2}', '$.a', silent => true);
select jsonb '{"a": [1, 2]}' @? '$.a[*] ? (@ > 1)', jsonb '{"a": 2}' @@ '$.a == 2';
select jsonb '[1]' @@ '$ + 1 > 0';

-- Arithmetic and item methods.
select jsonb_path_query('{"a": 7, "b": 2.50}', '$.a * $.b - 1 / 4');
select jsonb_path_query('[1, 2]', '$[*] % 2');
select jsonb_path_query('[1, 2]', '$ + 1');
select jsonb_path_query('0', '1 / $');
select jsonb_path_query('[-1.5, 2.4]', '$[*].abs().ceiling()');
select jsonb_path_query('["1.5e1", 2, "x"]', '$[*].double()');
select jsonb_path_query('[1, "a", null, true, [], {}]', '$[*].type()');
select jsonb_path_query('[1, [2, 3]]', '$[*].size()');
select jsonb_path_query('[{"a": 1, "b": [1, 2]}, {"c": {"a": "bbb"}}]', '$[*].keyvalue()');
select jsonb_path_query('{"a": 1}', '$.keyvalue().key');
select jsonb_path_query('"x"', '-$');
select jsonb_path_query_array('[1, 2, 3]', '$[*] ? (@ >= 2)');
select jsonb_path_query_first('[1, 2, 3]', '$[*] ? (@ >= 2)');
select jsonb_path_query_first('[]', '$[*]') is null as empty;
