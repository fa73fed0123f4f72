//! What differs between the office's machines: where the data lives
//! (`paths`), which drives are USB sticks (`drives`), and how files are
//! kept private (`private`). Nothing here knows
//! a record or a screen.

pub mod drives;
pub mod paths;
pub mod private;
