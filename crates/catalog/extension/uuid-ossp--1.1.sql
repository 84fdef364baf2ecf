-- uuid-ossp 1.1 as built into tusk.

CREATE FUNCTION uuid_nil() RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_nil';
CREATE FUNCTION uuid_ns_dns() RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_ns_dns';
CREATE FUNCTION uuid_ns_url() RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_ns_url';
CREATE FUNCTION uuid_ns_oid() RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_ns_oid';
CREATE FUNCTION uuid_ns_x500() RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_ns_x500';
CREATE FUNCTION uuid_generate_v1() RETURNS uuid
VOLATILE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_generate_v1';
CREATE FUNCTION uuid_generate_v1mc() RETURNS uuid
VOLATILE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_generate_v1mc';
CREATE FUNCTION uuid_generate_v3(namespace uuid, name text) RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_generate_v3';
CREATE FUNCTION uuid_generate_v4() RETURNS uuid
VOLATILE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_generate_v4';
CREATE FUNCTION uuid_generate_v5(namespace uuid, name text) RETURNS uuid
IMMUTABLE STRICT LANGUAGE internal PARALLEL SAFE AS 'uuid_generate_v5';
