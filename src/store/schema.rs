//! Tree names, meta keys and the schema version, in one place.

/// Bump when stored values change shape, and add a step to
/// `migrate::STEPS` that rewrites older values (tested against a store
/// written by the older version, under `data/fixtures/`).
///
/// 1: requests, residents, workers. 2: workers gain grade, areas, start
/// date and status; the duties board's records. 3: secondary indexes packed,
/// one entry per owner (`store::links`), and values written in format 2
/// (dates and times as numbers, `store::codec`; format 1 values are still
/// read, so no record is rewritten by the upgrade). 4: requests gain the
/// 12345 hotline's work-order number (every request rewritten once). 5:
/// the 12345 loop: requests gain the hotline's deadline, 并单, 延期 and
/// 督办 (`merged_into`, `asked_due`, `card`), notes a date (`on`), and
/// an index of the extensions waiting for a leader. 6: evaluations gain
/// 德、能、勤、绩、廉.
pub const SCHEMA_VERSION: u32 = 6;

pub const TREE_META: &str = "meta";
pub const TREE_REQUESTS: &str = "requests";
pub const TREE_RESIDENTS: &str = "residents";
pub const TREE_WORKERS: &str = "workers";
/// resident id → request ids: a resident's request history.
pub const TREE_REQ_BY_RESIDENT: &str = "idx_request_by_resident";
/// 0 → ids of the requests whose extension (延期) waits for a leader
/// (schema 5).
pub const TREE_REQ_EXTENSION_ASKED: &str = "idx_request_extension_asked";
pub const TREE_AUDIT: &str = "audit";
/// record → audit sequence numbers: one record's history without a full scan.
pub const TREE_AUDIT_BY_RECORD: &str = "idx_audit_by_record";
/// Tiny entries with no meaning, read to make sled count its cache (see
/// `Store::relieve_cache`). Not in backups; rebuilt when missing.
pub const TREE_BALLAST: &str = "cache_ballast";
pub const TREE_TEAMS: &str = "teams";
pub const TREE_POSTS: &str = "posts";
pub const TREE_VOLUNTEERS: &str = "volunteers";
pub const TREE_ACTIVITIES: &str = "activities";
pub const TREE_SERVICE: &str = "service_records";
pub const TREE_CERTIFICATES: &str = "certificates";
/// volunteer id → service record ids: a volunteer's service history.
pub const TREE_SERVICE_BY_VOLUNTEER: &str = "idx_service_by_volunteer";
/// activity id → service record ids: who was credited for an activity.
pub const TREE_SERVICE_BY_ACTIVITY: &str = "idx_service_by_activity";
/// volunteer id → team ids: the teams a volunteer is (or was) in.
pub const TREE_TEAM_BY_VOLUNTEER: &str = "idx_team_by_volunteer";
/// resident id → volunteer ids: a resident who volunteers.
pub const TREE_VOLUNTEER_BY_RESIDENT: &str = "idx_volunteer_by_resident";
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
/// worker id → log ids: a worker's daily log.
pub const TREE_LOG_BY_WORKER: &str = "idx_log_by_worker";
/// resident id → log ids: when a resident was visited.
pub const TREE_LOG_BY_RESIDENT: &str = "idx_log_by_resident";
/// worker id → slot keys: a worker's shifts.
pub const TREE_ROTA_BY_WORKER: &str = "idx_rota_by_worker";
/// worker id → record ids: a worker's leave, tasks, duties, training.
pub const TREE_LEAVE_BY_WORKER: &str = "idx_leave_by_worker";
pub const TREE_TASK_BY_WORKER: &str = "idx_task_by_worker";
pub const TREE_DUTY_BY_WORKER: &str = "idx_duty_by_worker";
pub const TREE_TRAINING_BY_WORKER: &str = "idx_training_by_worker";

/// Secondary indexes: trees of `owner id → record ids` (see `store::links`), kept
/// by the store from each record's `Record::links` in the same transaction
/// as the record. Add a new index's tree name here.
pub const INDEXES: &[&str] = &[
    TREE_REQ_BY_RESIDENT,
    TREE_SERVICE_BY_VOLUNTEER,
    TREE_SERVICE_BY_ACTIVITY,
    TREE_TEAM_BY_VOLUNTEER,
    TREE_VOLUNTEER_BY_RESIDENT,
    TREE_LOG_BY_WORKER,
    TREE_LOG_BY_RESIDENT,
    TREE_ROTA_BY_WORKER,
    TREE_LEAVE_BY_WORKER,
    TREE_TASK_BY_WORKER,
    TREE_DUTY_BY_WORKER,
    TREE_TRAINING_BY_WORKER,
    TREE_REQ_EXTENSION_ASKED,
];

pub const META_SCHEMA: &[u8] = b"schema_version";
pub const META_LAST_OPERATOR: &[u8] = b"last_operator";
pub const META_DEMO: &[u8] = b"demo";
/// The overview (概览) shows first at start (a director's choice).
pub const META_OVERVIEW_FIRST: &[u8] = b"overview_first";
/// The work calendar's text the open requests' due dates were computed
/// with.
pub const META_CALENDAR: &[u8] = b"calendar";
/// Moves on with every write: a saved copy of the in-memory index is valid
/// only for the generation it was made at.
pub const META_GENERATION: &[u8] = b"generation";

/// How many records were ever removed (an undone creation is the only
/// way): moves on in the same transaction as each removal. A backup's
/// saved counts (`META_COUNTED`) hold only while it is unchanged.
pub const META_REMOVED: &[u8] = b"removed";
/// What the last backup counted: each section's last key and number of
/// records (see `backup::write::Plan`). Not carried in backups.
pub const META_COUNTED: &[u8] = b"backup/counted";

/// Per-year request sequence: `seq/request/2026`.
pub fn seq_key(kind: &str, year: i32) -> Vec<u8> {
    format!("seq/{kind}/{year}").into_bytes()
}
