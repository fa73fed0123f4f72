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
}

impl RecordKind {
    pub const ALL: [RecordKind; 9] = [
        RecordKind::Request,
        RecordKind::Resident,
        RecordKind::Worker,
        RecordKind::Team,
        RecordKind::Post,
        RecordKind::Volunteer,
        RecordKind::Activity,
        RecordKind::ServiceRecord,
        RecordKind::Certificate,
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
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Calls `v` with the Rust type of this kind: the one place that maps a
    /// kind to its type, so generic code (backups, restores) can go through
    /// `RecordKind::ALL`.
    pub fn visit<V: KindVisitor>(self, v: V) -> V::Out {
        match self {
            RecordKind::Request => v.visit::<Request>(),
            RecordKind::Resident => v.visit::<Resident>(),
            RecordKind::Worker => v.visit::<Worker>(),
            RecordKind::Team => v.visit::<crate::domain::volunteer::Team>(),
            RecordKind::Post => v.visit::<crate::domain::volunteer::Post>(),
            RecordKind::Volunteer => v.visit::<crate::domain::volunteer::Volunteer>(),
            RecordKind::Activity => v.visit::<crate::domain::volunteer::Activity>(),
            RecordKind::ServiceRecord => v.visit::<crate::domain::volunteer::ServiceRecord>(),
            RecordKind::Certificate => v.visit::<crate::domain::volunteer::Certificate>(),
        }
    }
}

/// Runs `$body` with `$R` bound to the record type of `$kind`: the one
/// place where a kind is turned back into its type (for undo, checks and
/// backups). A new kind of record adds one arm here.
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
        }
    };
}

/// Generic work over one kind of record; see [`RecordKind::visit`].
pub trait KindVisitor {
    type Out;
    fn visit<R: Record>(self) -> Self::Out;
}

pub trait Record: Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug {
    const KIND: RecordKind;
    fn key(&self) -> u64;
    /// Every field a person would care about, as text, for the audit trail's
    /// old → new values.
    fn fields(&self) -> Vec<(&'static str, String)>;
    /// Index entries this record owns: (index tree from `schema::INDEXES`,
    /// the owner's id). The store writes `owner ++ key` in that tree and
    /// removes entries a newer version no longer has.
    fn links(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }
    /// The index entries as (tree name, key bytes), from `links`.
    fn index_keys(&self) -> Vec<(&'static str, Vec<u8>)> {
        self.links().into_iter().map(|(tree, owner)| (tree, super::codec::key2(owner, self.key()).to_vec())).collect()
    }
}

impl Record for Request {
    const KIND: RecordKind = RecordKind::Request;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("channel", format!("{:?}", self.channel)),
            ("category", self.category.clone()),
            ("title", self.title.clone()),
            ("description", self.description.clone()),
            ("location", self.location.clone()),
            ("resident", self.resident.map(|r| r.0.to_string()).unwrap_or_default()),
            ("urgency", format!("{:?}", self.urgency)),
            ("status", format!("{:?}", self.status)),
            ("assignee", self.assignee.map(|w| w.0.to_string()).unwrap_or_default()),
            ("due", self.due.to_string()),
            ("satisfaction", self.satisfaction.map(|s| format!("{s:?}")).unwrap_or_default()),
            ("timeline", self.notes.len().to_string()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        self.resident.map(|r| (super::schema::TREE_REQ_BY_RESIDENT, r.0)).into_iter().collect()
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
        ]
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
        assert_eq!(diff(None, &a).len(), 3); // name, post, active
        let mut r = Resident::new(ResidentId(1), "张三");
        r.phone = "13812345678".into();
        assert_eq!(diff(None, &r)[1].new, "138****5678");
    }
}
