-- character(n) pads with spaces that length() does not count; octet_length() does.
create table cc (f char(10), v varchar(10), t text);
insert into cc values ('ab', 'ab  ', 'ab  '), ('', '', ''), ('é ', 'é ', 'é '), (null, null, null);
select f || '|' as f, length(f), char_length(f), character_length(f), octet_length(f),
       length(v), octet_length(v), length(t), octet_length(t), length(f::text)
  from cc order by 1;
select length('ab  '::char(10)), length('  '::char(3)), octet_length('ab'::char(5)),
       'ab  '::char(10)::text || '|', length(rpad('x', 84)::char(84));
drop table cc;
-- lpad / rpad with the default fill
select lpad('ab', 5) || '|', rpad('ab', 5) || '|', lpad('abcdef', 3), rpad('', 2) || '|';
-- pg_sleep_for / pg_sleep_until
select pg_sleep_for('10 ms'), pg_sleep_until(now());
