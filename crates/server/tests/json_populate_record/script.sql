-- json[b]_populate_record[set]: records of a composite type or table row type filled from JSON.
create type jpr as (a int, b text, c int[], d jsonb);
select jsonb_populate_record(row(5,'q','{1}','1')::jpr, '{"a":7,"c":[1,2],"d":{"x":1}}');
select * from jsonb_populate_record(row(5,'q','{1}','1')::jpr, '{"a":7,"c":[1,2],"d":{"x":1}}');
select * from jsonb_populate_recordset(null::jpr, '[{"a":1},{"b":"z","a":null}]');
select jsonb_populate_recordset(null::jpr, '[{"a":1},{"b":"z","a":null}]');
select json_populate_record(null::jpr, '{"a":"x"}');
select json_populate_record(null::jpr, '[1]');
select jsonb_populate_recordset(null::jpr, '{"a":1}');
select json_populate_recordset(null::jpr, '[1]');
select jsonb_populate_record(1, '{}');
select json_populate_record(null::jpr, '{"a":3, "b":"x"}', true);
select (json_populate_record(null::jpr, '{"a":3, "b":"x"}')).b;
select json_populate_record(null::jpr, null);
select json_populate_record(row(1,'x',null,null)::jpr, null);
create table jt (a int, b text);
select * from json_populate_recordset(null::jt, '[{"a":1,"b":"x"},{"a":2}]') order by a;
