-- Catalogs holding passwords, sampled values or connection options are readable by their
-- owner only; everyone reads their public parts through the system views.
create role cp_reader;
select relname, relacl from pg_class
  where relname in ('pg_authid', 'pg_statistic', 'pg_user_mapping') order by 1;
set role cp_reader;
select rolname from pg_authid where rolname = 'cp_reader';
select count(*) from pg_statistic;
select count(*) from pg_user_mapping;
select rolname, rolpassword from pg_roles where rolname = 'cp_reader';
select usename, passwd from pg_user where usename = 'cp_reader';
select count(*) from pg_user_mappings;
select count(*) > 0 as readable from pg_class;
reset role;
select count(*) from pg_authid where rolname = 'cp_reader';
drop role cp_reader;
