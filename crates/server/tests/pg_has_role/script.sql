-- pg_has_role: MEMBER, USAGE through INHERIT roles, WITH ADMIN OPTION, names and OIDs.
create role r_a; create role r_b noinherit; create role r_c;
grant r_a to r_b; grant r_c to r_a with admin option;
select pg_has_role('r_b', 'r_a', 'MEMBER'), pg_has_role('r_b', 'r_a', 'USAGE'), pg_has_role('r_a', 'r_c', 'usage'), pg_has_role('r_b', 'r_c', 'member'), pg_has_role('r_b', 'r_c', 'usage');
select pg_has_role('r_a', 'r_c', 'MEMBER WITH ADMIN OPTION'), pg_has_role('r_b', 'r_c', 'USAGE WITH GRANT OPTION'), pg_has_role('r_c', 'r_a', 'member');
select pg_has_role('postgres', 'r_a', 'usage'), pg_has_role('r_a', 'usage');
select pg_has_role('r_a', 'nosuch', 'usage');
select pg_has_role('r_a', 'r_c', 'select');
select pg_has_role(0::oid, 'usage');
drop role r_b; drop role r_a; drop role r_c;
