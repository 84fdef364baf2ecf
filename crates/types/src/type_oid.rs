//! OIDs of PostgreSQL 15's built-in types (`pg_type.dat`), which drivers key on.

use crate::Oid;

macro_rules! type_oids {
    ($($name:ident = $oid:literal, $sql:literal;)*) => {
        $(
            #[doc = concat!("`", $sql, "`")]
            pub const $name: Oid = Oid($oid);
        )*
        /// The SQL name of a built-in type, as `format_type` prints it without typmod.
        pub fn builtin_name(oid: Oid) -> Option<&'static str> {
            match oid.0 {
                $($oid => Some($sql),)*
                _ => None,
            }
        }
    };
}

type_oids! {
    BOOL = 16, "boolean";
    BYTEA = 17, "bytea";
    CHAR = 18, "\"char\"";
    NAME = 19, "name";
    INT8 = 20, "bigint";
    INT2 = 21, "smallint";
    INT2VECTOR = 22, "int2vector";
    INT4 = 23, "integer";
    REGPROC = 24, "regproc";
    TEXT = 25, "text";
    OID = 26, "oid";
    TID = 27, "tid";
    XID = 28, "xid";
    CID = 29, "cid";
    OIDVECTOR = 30, "oidvector";
    JSON = 114, "json";
    XML = 142, "xml";
    POINT = 600, "point";
    LSEG = 601, "lseg";
    PATH = 602, "path";
    BOX = 603, "box";
    POLYGON = 604, "polygon";
    LINE = 628, "line";
    CIRCLE = 718, "circle";
    FLOAT4 = 700, "real";
    FLOAT8 = 701, "double precision";
    UNKNOWN = 705, "unknown";
    MONEY = 790, "money";
    MACADDR = 829, "macaddr";
    MACADDR8 = 774, "macaddr8";
    INET = 869, "inet";
    CIDR = 650, "cidr";
    ACLITEM = 1033, "aclitem";
    BPCHAR = 1042, "character";
    VARCHAR = 1043, "character varying";
    DATE = 1082, "date";
    TIME = 1083, "time without time zone";
    TIMESTAMP = 1114, "timestamp without time zone";
    TIMESTAMPTZ = 1184, "timestamp with time zone";
    INTERVAL = 1186, "interval";
    TIMETZ = 1266, "time with time zone";
    BIT = 1560, "bit";
    VARBIT = 1562, "bit varying";
    NUMERIC = 1700, "numeric";
    REFCURSOR = 1790, "refcursor";
    REGPROCEDURE = 2202, "regprocedure";
    REGOPER = 2203, "regoper";
    REGOPERATOR = 2204, "regoperator";
    REGCLASS = 2205, "regclass";
    REGTYPE = 2206, "regtype";
    RECORD = 2249, "record";
    CSTRING = 2275, "cstring";
    ANY = 2276, "\"any\"";
    ANYARRAY = 2277, "anyarray";
    VOID = 2278, "void";
    TRIGGER = 2279, "trigger";
    ANYELEMENT = 2283, "anyelement";
    UUID = 2950, "uuid";
    PG_LSN = 3220, "pg_lsn";
    TXID_SNAPSHOT = 2970, "txid_snapshot";
    PG_SNAPSHOT = 5038, "pg_snapshot";
    XID8 = 5069, "xid8";
    TSVECTOR = 3614, "tsvector";
    TSQUERY = 3615, "tsquery";
    GTSVECTOR = 3642, "gtsvector";
    REGCONFIG = 3734, "regconfig";
    REGDICTIONARY = 3769, "regdictionary";
    JSONB = 3802, "jsonb";
    JSONPATH = 4072, "jsonpath";
    REGNAMESPACE = 4089, "regnamespace";
    REGROLE = 4096, "regrole";
    INT4RANGE = 3904, "int4range";
    NUMRANGE = 3906, "numrange";
    TSRANGE = 3908, "tsrange";
    TSTZRANGE = 3910, "tstzrange";
    DATERANGE = 3912, "daterange";
    INT8RANGE = 3926, "int8range";
    INT4MULTIRANGE = 4451, "int4multirange";
    NUMMULTIRANGE = 4532, "nummultirange";
    TSMULTIRANGE = 4533, "tsmultirange";
    TSTZMULTIRANGE = 4534, "tstzmultirange";
    DATEMULTIRANGE = 4535, "datemultirange";
    INT8MULTIRANGE = 4536, "int8multirange";
    BOOL_ARRAY = 1000, "boolean[]";
    BYTEA_ARRAY = 1001, "bytea[]";
    NAME_ARRAY = 1003, "name[]";
    INT2_ARRAY = 1005, "smallint[]";
    INT4_ARRAY = 1007, "integer[]";
    TEXT_ARRAY = 1009, "text[]";
    VARCHAR_ARRAY = 1015, "character varying[]";
    INT8_ARRAY = 1016, "bigint[]";
    FLOAT4_ARRAY = 1021, "real[]";
    FLOAT8_ARRAY = 1022, "double precision[]";
    OID_ARRAY = 1028, "oid[]";
    NUMERIC_ARRAY = 1231, "numeric[]";
    TIMESTAMP_ARRAY = 1115, "timestamp without time zone[]";
    DATE_ARRAY = 1182, "date[]";
    TIMESTAMPTZ_ARRAY = 1185, "timestamp with time zone[]";
    INTERVAL_ARRAY = 1187, "interval[]";
    UUID_ARRAY = 2951, "uuid[]";
    JSONB_ARRAY = 3807, "jsonb[]";
}

/// The `reg*` OID alias types (`regclass`, `regtype`, ...): stored, compared and indexed
/// as `oid`.
pub fn is_reg_type(oid: Oid) -> bool {
    matches!(
        oid,
        REGPROC
            | REGPROCEDURE
            | REGOPER
            | REGOPERATOR
            | REGCLASS
            | REGTYPE
            | REGNAMESPACE
            | REGROLE
            | REGCONFIG
            | REGDICTIONARY
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_common_types() {
        assert_eq!(builtin_name(INT4), Some("integer"));
        assert_eq!(builtin_name(TIMESTAMPTZ), Some("timestamp with time zone"));
        assert_eq!(builtin_name(Oid(999_999)), None);
    }
}
