//! Reusable pieces of screen: text input, forms, pickers.

pub mod form;
pub mod input;
pub mod picker;
