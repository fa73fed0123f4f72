//! The selection and revealed phone of the workers list, which the duties
//! board's registry view draws (`panels::duties`).

use super::ListState;

#[derive(Default)]
pub struct WorkersPanel {
    pub list: ListState,
    pub revealed: Option<crate::domain::WorkerId>,
}
