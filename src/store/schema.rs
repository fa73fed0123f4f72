//! Tree names, meta keys and the schema version, in one place.

/// Bump when stored values change shape, and add a step to
/// `migrate::STEPS` that rewrites older values (tested against a store
/// written by the older version, under `data/fixtures/`).
///
/// 1: requests, residents, workers. 2: workers gain grade, areas, start
/// date and status; the duties board's records.
pub const SCHEMA_VERSION: u32 = 2;

pub const TREE_META: &str = "meta";
pub const TREE_REQUESTS: &str = "requests";
pub const TREE_RESIDENTS: &str = "residents";
pub const TREE_WORKERS: &str = "workers";
/// resident id ++ request id → (): a resident's request history.
pub const TREE_REQ_BY_RESIDENT: &str = "idx_request_by_resident";
pub const TREE_AUDIT: &str = "audit";
// the duties board (schema 2)
pub const TREE_DUTIES: &str = "duties";
pub const TREE_TASKS: &str = "tasks";
/// Keyed by date: `yyyymmdd * 10 + shift`.
pub const TREE_ROTA: &str = "rota";
pub const TREE_LEAVE: &str = "leave";
pub const TREE_LOG: &str = "log";
pub const TREE_TRAINING: &str = "training";
/// Keyed by `year * 100000 + worker id`.
pub const TREE_EVALUATIONS: &str = "evaluations";
/// worker id ++ log id → (): a worker's daily log.
pub const TREE_LOG_BY_WORKER: &str = "idx_log_by_worker";
/// resident id ++ log id → (): when a resident was visited.
pub const TREE_LOG_BY_RESIDENT: &str = "idx_log_by_resident";
/// worker id ++ slot key → (): a worker's shifts.
pub const TREE_ROTA_BY_WORKER: &str = "idx_rota_by_worker";
/// worker id ++ record id → (): a worker's leave, tasks, duties, training.
pub const TREE_LEAVE_BY_WORKER: &str = "idx_leave_by_worker";
pub const TREE_TASK_BY_WORKER: &str = "idx_task_by_worker";
pub const TREE_DUTY_BY_WORKER: &str = "idx_duty_by_worker";
pub const TREE_TRAINING_BY_WORKER: &str = "idx_training_by_worker";

/// Secondary indexes: trees of `owner id ++ record id → ()` entries, kept
/// by the store from each record's `Record::links` in the same transaction
/// as the record. Add a new index's tree name here.
pub const INDEXES: &[&str] = &[
    TREE_REQ_BY_RESIDENT,
    TREE_LOG_BY_WORKER,
    TREE_LOG_BY_RESIDENT,
    TREE_ROTA_BY_WORKER,
    TREE_LEAVE_BY_WORKER,
    TREE_TASK_BY_WORKER,
    TREE_DUTY_BY_WORKER,
    TREE_TRAINING_BY_WORKER,
];

pub const META_SCHEMA: &[u8] = b"schema_version";
pub const META_LAST_OPERATOR: &[u8] = b"last_operator";
pub const META_DEMO: &[u8] = b"demo";

/// Per-year request sequence: `seq/request/2026`.
pub fn seq_key(kind: &str, year: i32) -> Vec<u8> {
    format!("seq/{kind}/{year}").into_bytes()
}
