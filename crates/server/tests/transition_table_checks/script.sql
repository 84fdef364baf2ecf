-- CREATE TRIGGER ... REFERENCING: PostgreSQL's checks of the clause, in its order
create table my_table (i int);
create view my_view as select * from my_table;
create function my_trigger_function() returns trigger as $$ begin return null; end; $$ language plpgsql;
create trigger t after update on my_view referencing old table as old_table
  for each statement execute procedure my_trigger_function();
create trigger t after insert or update on my_table referencing new table as new_table
  for each statement execute procedure my_trigger_function();
create trigger t after update of i on my_table referencing new table as new_table
  for each statement execute procedure my_trigger_function();
create trigger t before update on my_table referencing new table as new_table
  for each statement execute procedure my_trigger_function();
create trigger t after delete on my_table referencing new table as new_table
  for each statement execute procedure my_trigger_function();
create trigger t after insert on my_table referencing old table as old_table
  for each statement execute procedure my_trigger_function();
create trigger t after update on my_table referencing new table as x old table as x
  for each statement execute procedure my_trigger_function();
create trigger t after update on my_table referencing new table as x new table as y
  for each statement execute procedure my_trigger_function();
create trigger t after update on my_table referencing new row as x
  for each row execute procedure my_trigger_function();
create trigger t after truncate on my_table referencing old table as x
  for each statement execute procedure my_trigger_function();
create table parted_trig (a int) partition by list (a);
create trigger failed after update on parted_trig referencing old table as old_table
  for each row execute procedure my_trigger_function();
create table part1 partition of parted_trig for values in (1);
create trigger failed after insert on part1 referencing new table as new_table
  for each row execute procedure my_trigger_function();
create table child (b int) inherits (my_table);
create trigger failed after insert on child referencing new table as new_table
  for each row execute procedure my_trigger_function();
select count(*) from pg_trigger;
