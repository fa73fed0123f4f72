//! The community office's records and the rules that govern them.
//!
//! Nothing here reads the clock, touches the disk or draws: time comes in as
//! an argument, so every rule is tested with a fixed date.

pub mod calendar;
pub mod category;
pub mod duties;
pub mod id_number;
pub mod ids;
pub mod mask;
pub mod overview;
pub mod pinyin;
pub mod profile;
pub mod request;
pub mod resident;
pub mod stored_time;
pub mod text;
pub mod volunteer;
pub mod worker;

pub use calendar::WorkCalendar;
pub use category::{Categories, Category};
pub use ids::{RequestId, ResidentId, WorkerId};
pub use request::{Channel, Move, MoveKind, Note, NoteKind, Request, Satisfaction, Status, Urgency};
pub use resident::{Address, Resident};
pub use worker::Worker;
