//! The office's people in the store: its workers and the residents.

use super::*;

impl Store {
    // ---- workers ---------------------------------------------------------------

    pub fn workers(&self) -> Result<Vec<Worker>> {
        self.all()
    }

    pub fn worker(&self, id: WorkerId) -> Result<Option<Worker>> {
        self.get(id.0)
    }

    /// Adds a worker. `by` is `None` only when the office's first worker is
    /// created at first start.
    pub fn create_worker(&self, name: &str, post: &str, by: Option<WorkerId>, at: NaiveDateTime) -> Result<Worker> {
        self.create_worker_from(&Worker::new(WorkerId(0), name, post), by, at)
    }

    /// Adds a worker with every field of `draft` (its id is given anew).
    pub fn create_worker_from(&self, draft: &Worker, by: Option<WorkerId>, at: NaiveDateTime) -> Result<Worker> {
        let name = crate::domain::text::clean_input(&draft.name, false);
        if name.is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        // the very first worker is recorded as created by themself
        let by = match by {
            Some(b) => Some(b),
            None => Some(WorkerId(
                self.meta().get(seq_key(RecordKind::Worker.name(), 0))?.map_or(0, |v| codec::id_of(&v).unwrap_or(0))
                    + 1,
            )),
        };
        self.create(by, at, |id| Worker { id: WorkerId(id), name: name.clone(), ..draft.clone() })
    }

    pub fn update_worker(&self, w: &Worker, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.update(w, by, at)
    }

    // ---- residents -------------------------------------------------------------

    pub fn residents(&self) -> Result<Vec<Resident>> {
        self.all()
    }

    pub fn resident(&self, id: ResidentId) -> Result<Option<Resident>> {
        self.get(id.0)
    }

    /// Saves a new resident; `draft.id` is ignored and a fresh id given.
    pub fn create_resident(&self, draft: &Resident, by: WorkerId, at: NaiveDateTime) -> Result<Resident> {
        if draft.name.trim().is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        self.create(Some(by), at, |id| Resident { id: ResidentId(id), ..draft.clone() })
    }

    /// Saves many new residents in one transaction (an import): all of them
    /// or, on any error, none.
    pub fn create_residents(&self, drafts: &[Resident], by: WorkerId, at: NaiveDateTime) -> Result<Vec<Resident>> {
        if drafts.iter().any(|d| d.name.trim().is_empty()) {
            return Err(StoreError::Invalid("name".into()));
        }
        self.transact(|t| {
            let mut out = Vec::with_capacity(drafts.len());
            for draft in drafts {
                let mut r = draft.clone();
                r.id = ResidentId(Self::tx_advance(t, &seq_key("resident", 0), 1)? + 1);
                Self::tx_put(t, None, &r, Some(by), at)?;
                out.push(r);
            }
            Ok(out)
        })
    }

    pub fn update_resident(&self, r: &Resident, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        if r.name.trim().is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        self.update(r, by, at)
    }
}
