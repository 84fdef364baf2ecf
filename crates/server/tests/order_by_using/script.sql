-- ORDER BY ... USING an ordering operator
create table ou (a int, b text);
insert into ou values (1, 'x'), (null, 'y'), (3, 'z'), (2, null);
select a from ou order by a using >;
select a from ou order by a using <;
select a from ou order by a using > nulls last;
select a from ou order by a using < nulls first;
select b from ou order by b using operator(pg_catalog.>);
select a, b from ou order by b using >, a using <;
select distinct on (a) a, b from ou order by a using >, b;
select array_agg(a order by a using >) from ou;
select a, row_number() over (order by a using >) from ou order by 1;
select a from ou order by a using =;
select a from ou order by a using ~~;
select a from ou order by a using <>;
