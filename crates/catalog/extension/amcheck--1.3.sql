-- amcheck 1.3 as built into tusk: B-tree verification over tusk's own index pages.
-- verify_heapam is not provided.

CREATE FUNCTION bt_index_check(index regclass)
RETURNS void
LANGUAGE internal STRICT PARALLEL RESTRICTED
AS 'bt_index_check';

CREATE FUNCTION bt_index_check(index regclass, heapallindexed boolean)
RETURNS void
LANGUAGE internal STRICT PARALLEL RESTRICTED
AS 'bt_index_check';

CREATE FUNCTION bt_index_parent_check(index regclass)
RETURNS void
LANGUAGE internal STRICT PARALLEL RESTRICTED
AS 'bt_index_parent_check';

CREATE FUNCTION bt_index_parent_check(index regclass, heapallindexed boolean)
RETURNS void
LANGUAGE internal STRICT PARALLEL RESTRICTED
AS 'bt_index_parent_check';

CREATE FUNCTION bt_index_parent_check(index regclass, heapallindexed boolean, rootdescend boolean)
RETURNS void
LANGUAGE internal STRICT PARALLEL RESTRICTED
AS 'bt_index_parent_check';

REVOKE ALL ON FUNCTION bt_index_check(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION bt_index_check(regclass, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION bt_index_parent_check(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION bt_index_parent_check(regclass, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION bt_index_parent_check(regclass, boolean, boolean) FROM PUBLIC;
