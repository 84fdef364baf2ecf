//! Logical replication's catalog statements (PostgreSQL docs: CREATE | ALTER | DROP
//! PUBLICATION, CREATE | ALTER | DROP SUBSCRIPTION) and ALTER TABLE's `REPLICA
//! IDENTITY`.
//!
//! The grammar's checks on publication object lists (PostgreSQL's
//! `preprocess_pubobj_list`: a standalone name needs a preceding `TABLE` or `TABLES IN
//! SCHEMA`, no WHERE or column list on a schema, no qualified schema name) are made
//! while converting, so the engine sees tables and schemas only.

use crate::ast::{Expr, RangeVar};
use crate::ast_role::RoleSpec;

/// A `WITH (name [= value], ...)` option: its name (lower case), value as written and
/// the option's location.
pub type ReplicationOption = (String, Option<String>, usize);

/// One element of a publication's object list.
#[derive(Debug, Clone, PartialEq)]
pub enum PublicationObject {
    /// `TABLE [ONLY] name [*] [(columns)] [WHERE (filter)]`.
    Table {
        /// The table (`inh` false for ONLY).
        relation: RangeVar,
        /// The column list.
        columns: Option<Vec<String>>,
        /// The row filter as written and its deparsed text.
        filter: Option<Box<(Expr, String)>>,
    },
    /// `TABLES IN SCHEMA name | CURRENT_SCHEMA` (`None` for CURRENT_SCHEMA).
    Schema {
        /// The schema's name.
        name: Option<String>,
        /// Location of the name.
        location: usize,
    },
}

/// `CREATE PUBLICATION name [FOR ALL TABLES | FOR objects] [WITH (options)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePublicationStmt {
    /// The publication's name.
    pub name: String,
    /// `FOR ALL TABLES`.
    pub all_tables: bool,
    /// The object list.
    pub objects: Vec<PublicationObject>,
    /// `WITH (...)`.
    pub options: Vec<ReplicationOption>,
}

/// What `ALTER PUBLICATION ... ADD | DROP | SET objects` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationAction {
    /// `ADD`.
    Add,
    /// `DROP`.
    Drop,
    /// `SET`.
    Set,
}

/// `ALTER PUBLICATION name SET (options)` or `ALTER PUBLICATION name ADD | DROP | SET
/// objects`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterPublication {
    /// `SET (options)`.
    Options(Vec<ReplicationOption>),
    /// `ADD | DROP | SET objects`.
    Objects(PublicationAction, Vec<PublicationObject>),
}

/// `CREATE SUBSCRIPTION name CONNECTION 'conninfo' PUBLICATION names [WITH (options)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateSubscriptionStmt {
    /// The subscription's name.
    pub name: String,
    /// The connection string.
    pub conninfo: String,
    /// The publications.
    pub publications: Vec<String>,
    /// `WITH (...)`.
    pub options: Vec<ReplicationOption>,
}

/// The forms of `ALTER SUBSCRIPTION name ...`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterSubscription {
    /// `SET (options)`.
    Options(Vec<ReplicationOption>),
    /// `CONNECTION 'conninfo'`.
    Connection(String),
    /// `SET | ADD | DROP PUBLICATION names [WITH (options)]`.
    Publication {
        /// `SET` (`None`), `ADD` (`Some(true)`) or `DROP` (`Some(false)`).
        add: Option<bool>,
        /// The publications.
        names: Vec<String>,
        /// `WITH (...)`.
        options: Vec<ReplicationOption>,
    },
    /// `REFRESH PUBLICATION [WITH (options)]`.
    Refresh(Vec<ReplicationOption>),
    /// `ENABLE` (true) or `DISABLE` (false).
    Enable(bool),
    /// `SKIP (options)`.
    Skip(Vec<ReplicationOption>),
}

/// The object kind of a replication statement's rename, owner change or drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicationObject {
    /// A publication.
    Publication,
    /// A subscription.
    Subscription,
}

/// A publication or subscription statement.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplicationStmt {
    /// `CREATE PUBLICATION`.
    CreatePublication(CreatePublicationStmt),
    /// `ALTER PUBLICATION name ...`.
    AlterPublication {
        /// The publication.
        name: String,
        /// What changes.
        change: AlterPublication,
    },
    /// `CREATE SUBSCRIPTION`.
    CreateSubscription(CreateSubscriptionStmt),
    /// `ALTER SUBSCRIPTION name ...`.
    AlterSubscription {
        /// The subscription.
        name: String,
        /// What changes.
        change: AlterSubscription,
    },
    /// `DROP PUBLICATION | SUBSCRIPTION [IF EXISTS] names [CASCADE | RESTRICT]`.
    Drop {
        /// Publication or subscription.
        kind: ReplicationObject,
        /// The names.
        names: Vec<String>,
        /// `IF EXISTS`.
        missing_ok: bool,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `ALTER PUBLICATION | SUBSCRIPTION name RENAME TO new_name`.
    Rename {
        /// Publication or subscription.
        kind: ReplicationObject,
        /// The current name.
        name: String,
        /// The new name.
        new_name: String,
    },
    /// `ALTER PUBLICATION | SUBSCRIPTION name OWNER TO role`.
    Owner {
        /// Publication or subscription.
        kind: ReplicationObject,
        /// The object's name.
        name: String,
        /// The new owner.
        owner: RoleSpec,
    },
}

/// ALTER TABLE's `REPLICA IDENTITY { DEFAULT | FULL | NOTHING | USING INDEX index }`
/// (`pg_class.relreplident` `d`, `f`, `n`, `i`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaIdentity {
    /// `DEFAULT`: the primary key, if any.
    Default,
    /// `FULL`: the whole old row.
    Full,
    /// `NOTHING`.
    Nothing,
    /// `USING INDEX index`.
    Index(String),
}

impl ReplicaIdentity {
    /// `pg_class.relreplident`.
    pub fn relreplident(&self) -> char {
        match self {
            ReplicaIdentity::Default => 'd',
            ReplicaIdentity::Full => 'f',
            ReplicaIdentity::Nothing => 'n',
            ReplicaIdentity::Index(_) => 'i',
        }
    }
}
