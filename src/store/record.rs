//! What the store needs to know about each kind of record: where it lives,
//! its key, and its fields as text for the audit trail. Adding a new kind of
//! record means one `impl Record` here, one arm in [`RecordKind::visit`] and
//! one tree name in `schema`; backups, restores and exports then carry it
//! (the exports' columns are a `match` that the compiler will point at).

use crate::domain::{Request, Resident, Worker};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    Request,
    Resident,
    Worker,
    // the volunteer roster (impl Record in store/roster.rs); audit entries
    // store the variant index: append, never reorder
    Team,
    Post,
    Volunteer,
    Activity,
    ServiceRecord,
    Certificate,
    // the duties board (schema 2); audit entries store the variant index,
    // so new kinds are only ever appended
    Duty,
    Task,
    RotaSlot,
    Leave,
    LogEntry,
    Training,
    Evaluation,
}

impl RecordKind {
    pub const ALL: [RecordKind; 16] = [
        RecordKind::Request,
        RecordKind::Resident,
        RecordKind::Worker,
        RecordKind::Team,
        RecordKind::Post,
        RecordKind::Volunteer,
        RecordKind::Activity,
        RecordKind::ServiceRecord,
        RecordKind::Certificate,
        RecordKind::Duty,
        RecordKind::Task,
        RecordKind::RotaSlot,
        RecordKind::Leave,
        RecordKind::LogEntry,
        RecordKind::Training,
        RecordKind::Evaluation,
    ];

    /// The sled tree that holds this kind.
    pub fn tree_name(self) -> &'static str {
        use super::schema::*;
        match self {
            RecordKind::Request => TREE_REQUESTS,
            RecordKind::Resident => TREE_RESIDENTS,
            RecordKind::Worker => TREE_WORKERS,
            RecordKind::Team => TREE_TEAMS,
            RecordKind::Post => TREE_POSTS,
            RecordKind::Volunteer => TREE_VOLUNTEERS,
            RecordKind::Activity => TREE_ACTIVITIES,
            RecordKind::ServiceRecord => TREE_SERVICE,
            RecordKind::Certificate => TREE_CERTIFICATES,
            RecordKind::Duty => TREE_DUTIES,
            RecordKind::Task => TREE_TASKS,
            RecordKind::RotaSlot => TREE_ROTA,
            RecordKind::Leave => TREE_LEAVE,
            RecordKind::LogEntry => TREE_LOG,
            RecordKind::Training => TREE_TRAINING,
            RecordKind::Evaluation => TREE_EVALUATIONS,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Request => "request",
            RecordKind::Resident => "resident",
            RecordKind::Worker => "worker",
            RecordKind::Team => "team",
            RecordKind::Post => "post",
            RecordKind::Volunteer => "volunteer",
            RecordKind::Activity => "activity",
            RecordKind::ServiceRecord => "service",
            RecordKind::Certificate => "certificate",
            RecordKind::Duty => "duty",
            RecordKind::Task => "task",
            RecordKind::RotaSlot => "rota",
            RecordKind::Leave => "leave",
            RecordKind::LogEntry => "log",
            RecordKind::Training => "training",
            RecordKind::Evaluation => "evaluation",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Calls `v` with the Rust type of this kind: the one place that maps a
    /// kind to its type, so generic code (backups, restores) can go through
    /// `RecordKind::ALL`.
    pub fn visit<V: KindVisitor>(self, v: V) -> V::Out {
        crate::with_record_type!(self, R => v.visit::<R>())
    }
}

/// Runs `$body` with `$R` bound to the record type of `$kind`: the one
/// place where a kind is turned back into its type (undo, checks, backups,
/// exports; [`RecordKind::visit`] goes through it too). A new kind of
/// record adds one arm here.
#[macro_export]
macro_rules! with_record_type {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            $crate::store::record::RecordKind::Request => {
                type $R = $crate::domain::Request;
                $body
            }
            $crate::store::record::RecordKind::Resident => {
                type $R = $crate::domain::Resident;
                $body
            }
            $crate::store::record::RecordKind::Worker => {
                type $R = $crate::domain::Worker;
                $body
            }
            $crate::store::record::RecordKind::Team => {
                type $R = $crate::domain::volunteer::Team;
                $body
            }
            $crate::store::record::RecordKind::Post => {
                type $R = $crate::domain::volunteer::Post;
                $body
            }
            $crate::store::record::RecordKind::Volunteer => {
                type $R = $crate::domain::volunteer::Volunteer;
                $body
            }
            $crate::store::record::RecordKind::Activity => {
                type $R = $crate::domain::volunteer::Activity;
                $body
            }
            $crate::store::record::RecordKind::ServiceRecord => {
                type $R = $crate::domain::volunteer::ServiceRecord;
                $body
            }
            $crate::store::record::RecordKind::Certificate => {
                type $R = $crate::domain::volunteer::Certificate;
                $body
            }
            $crate::store::record::RecordKind::Duty => {
                type $R = $crate::domain::duties::standing::Duty;
                $body
            }
            $crate::store::record::RecordKind::Task => {
                type $R = $crate::domain::duties::task::Task;
                $body
            }
            $crate::store::record::RecordKind::RotaSlot => {
                type $R = $crate::domain::duties::rota::RotaSlot;
                $body
            }
            $crate::store::record::RecordKind::Leave => {
                type $R = $crate::domain::duties::leave::Leave;
                $body
            }
            $crate::store::record::RecordKind::LogEntry => {
                type $R = $crate::domain::duties::log::LogEntry;
                $body
            }
            $crate::store::record::RecordKind::Training => {
                type $R = $crate::domain::duties::training::Training;
                $body
            }
            $crate::store::record::RecordKind::Evaluation => {
                type $R = $crate::domain::duties::evaluation::Evaluation;
                $body
            }
        }
    };
}

/// Generic work over one kind of record; see [`RecordKind::visit`].
pub trait KindVisitor {
    type Out;
    fn visit<R: Record>(self) -> Self::Out;
}

pub trait Record: Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug + Send + 'static {
    const KIND: RecordKind;
    fn key(&self) -> u64;
    /// Every field a person would care about, as text, for the audit trail's
    /// old → new values.
    fn fields(&self) -> Vec<(&'static str, String)>;
    /// Index entries this record owns: (index tree from `schema::INDEXES`,
    /// the owner's id). The store adds `key` to the owner's list in that
    /// tree (see `store::links`) and removes it when a newer version no
    /// longer has the link.
    fn links(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }
}

impl Record for Request {
    const KIND: RecordKind = RecordKind::Request;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("channel", code(&self.channel)),
            ("category", self.category.clone()),
            ("title", self.title.clone()),
            ("description", self.description.clone()),
            ("location", self.location.clone()),
            ("resident", self.resident.map(|r| r.0.to_string()).unwrap_or_default()),
            ("urgency", code(&self.urgency)),
            ("status", code(&self.status)),
            ("assignee", self.assignee.map(|w| w.0.to_string()).unwrap_or_default()),
            ("due", self.due.to_string()),
            ("satisfaction", self.satisfaction.map(|s| code(&s)).unwrap_or_default()),
            ("timeline", self.notes.len().to_string()),
            ("work_order", self.work_order.clone()),
            ("hotline_due", self.hotline_due.map(|d| d.to_string()).unwrap_or_default()),
            ("merged_into", self.merged_into.map(|r| r.to_string()).unwrap_or_default()),
            ("asked_due", self.asked_due.map(|d| d.to_string()).unwrap_or_default()),
            ("card", self.card.map(|c| code(&c)).unwrap_or_default()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        let mut out: Vec<(&'static str, u64)> =
            self.resident.map(|r| (super::schema::TREE_REQ_BY_RESIDENT, r.0)).into_iter().collect();
        if self.asked_due.is_some() && self.status.is_open() {
            out.push((super::schema::TREE_REQ_EXTENSION_ASKED, 0));
        }
        out
    }
}

impl Record for Resident {
    const KIND: RecordKind = RecordKind::Resident;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            // the trail keeps the masked number: it records that the phone
            // changed without becoming a second copy of everyone's number
            ("phone", crate::domain::mask::phone(&self.phone)),
            ("address", self.address.to_string()),
            ("grid", self.grid.clone()),
            ("tags", self.tags.join("、")),
            ("notes", self.notes.clone()),
        ]
    }
}

impl Record for Worker {
    const KIND: RecordKind = RecordKind::Worker;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("post", self.post.clone()),
            ("phone", crate::domain::mask::phone(&self.phone)),
            ("grid", self.grid.clone()),
            ("active", self.active.to_string()),
            ("grade", self.grade.clone()),
            ("areas", self.areas.join("、")),
            ("start", self.start.map(|d| d.to_string()).unwrap_or_default()),
            ("status", code(&self.status)),
        ]
    }
}

/// An enum's value as the audit trail keeps it: its stored name (the one
/// serde writes, as backups do), never its `Debug` text. `i18n::fields`
/// shows it in words.
pub fn code<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// The fields that differ between two versions of a record (all of them,
/// with empty old values, for a new record).
pub fn diff<R: Record>(old: Option<&R>, new: &R) -> Vec<FieldChange> {
    let new_fields = new.fields();
    let old_fields = old.map(|o| o.fields()).unwrap_or_default();
    new_fields
        .into_iter()
        .filter_map(|(field, n)| {
            let o = old_fields.iter().find(|(f, _)| *f == field).map(|(_, v)| v.clone()).unwrap_or_default();
            (o != n).then(|| FieldChange { field: field.to_string(), old: o, new: n })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ResidentId, Worker, WorkerId};

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = Worker::new(WorkerId(1), "李娜", "网格员");
        let mut b = a.clone();
        b.post = "主任".into();
        let d = diff(Some(&a), &b);
        assert_eq!(d, vec![FieldChange { field: "post".into(), old: "网格员".into(), new: "主任".into() }]);
        assert_eq!(diff(None, &a).len(), 4); // name, post, active, status
        let mut r = Resident::new(ResidentId(1), "张三");
        r.phone = "13812345678".into();
        assert_eq!(diff(None, &r)[1].new, "138****5678");
    }
}
