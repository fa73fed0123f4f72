//! Tree names, meta keys and the schema version, in one place.

/// Bump when stored values change shape, and add a migration in
/// `Store::migrate` that rewrites older values.
pub const SCHEMA_VERSION: u32 = 1;

pub const TREE_META: &str = "meta";
pub const TREE_REQUESTS: &str = "requests";
pub const TREE_RESIDENTS: &str = "residents";
pub const TREE_WORKERS: &str = "workers";
/// resident id ++ request id → (): a resident's request history.
pub const TREE_REQ_BY_RESIDENT: &str = "idx_request_by_resident";
pub const TREE_AUDIT: &str = "audit";
/// record ++ audit sequence → (): one record's history without a full scan.
pub const TREE_AUDIT_BY_RECORD: &str = "idx_audit_by_record";

/// Secondary indexes: trees of `owner id ++ record id → ()` entries, kept
/// by the store from each record's `Record::links` in the same transaction
/// as the record. Add a new index's tree name here.
pub const INDEXES: &[&str] = &[TREE_REQ_BY_RESIDENT];

pub const META_SCHEMA: &[u8] = b"schema_version";
pub const META_LAST_OPERATOR: &[u8] = b"last_operator";
pub const META_DEMO: &[u8] = b"demo";
/// Moves on with every write: a saved copy of the in-memory index is valid
/// only for the generation it was made at.
pub const META_GENERATION: &[u8] = b"generation";

/// Per-year request sequence: `seq/request/2026`.
pub fn seq_key(kind: &str, year: i32) -> Vec<u8> {
    format!("seq/{kind}/{year}").into_bytes()
}
