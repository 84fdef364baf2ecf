-- ALTER DEFAULT PRIVILEGES and the ACLs of new objects
create role dp_owner;
create role dp_reader;
create role dp_other;
create schema dp_s authorization dp_owner;
alter default privileges for role dp_owner in schema dp_s grant select on tables to dp_reader;
alter default privileges for role dp_owner grant usage on sequences to dp_reader;
alter default privileges for role dp_owner revoke execute on functions from public;
alter default privileges for role dp_owner grant all on types to dp_other with grant option;
select pg_get_userbyid(defaclrole), defaclnamespace::regnamespace, defaclobjtype, defaclacl
  from pg_default_acl order by 1, 2, 3;
\ddp
set role dp_owner;
create table dp_s.t (a int);
create sequence dp_s.seq;
create view dp_s.v as select 1 as x;
create function dp_s.f() returns int language sql as 'select 1';
create type dp_s.ty as (a int);
reset role;
select relname, relacl from pg_class where relname in ('t', 'seq', 'v') order by 1;
select proname, proacl from pg_proc where proname = 'f';
select typname, typacl from pg_type where typname in ('ty', '_ty') order by 1;
select has_table_privilege('dp_reader', 'dp_s.t', 'select');
\dp dp_s.*
-- taking a grant back leaves no entry
alter default privileges for role dp_owner in schema dp_s revoke select on tables from dp_reader;
alter default privileges for role dp_owner grant execute on functions to public;
select pg_get_userbyid(defaclrole), defaclnamespace::regnamespace, defaclobjtype, defaclacl
  from pg_default_acl order by 1, 2, 3;
-- errors
alter default privileges in schema dp_s grant usage on schemas to dp_reader;
alter default privileges grant insert on sequences to dp_reader;
alter default privileges in schema no_such grant select on tables to dp_reader;
set role dp_other;
alter default privileges for role dp_owner grant select on tables to dp_reader;
reset role;
alter default privileges grant select on tables to public with grant option;
-- roles named by default privileges cannot be dropped
drop role dp_reader;
drop role dp_other;
drop role dp_owner;
