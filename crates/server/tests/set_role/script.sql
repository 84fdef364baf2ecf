-- SET ROLE / SET LOCAL ROLE / SET SESSION AUTHORIZATION are undone when the transaction aborts.
create role sr_a;
begin; set role sr_a; select current_user; rollback;
select current_user;
begin; set local role sr_a; select current_user; commit;
select current_user;
begin; set role sr_a; commit;
select current_user, current_setting('role');
reset role;
begin; create role sr_b; set role sr_b; select current_user; rollback;
select current_user;
create role sr_c;
begin; set session authorization sr_a; select session_user, current_user; select 1/0; rollback;
select session_user, current_user;
drop role sr_a; drop role sr_c;
