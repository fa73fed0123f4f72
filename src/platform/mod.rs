//! What differs between the office's machines: where the data lives
//! (`paths`) and which drives are USB sticks (`drives`). Nothing here knows
//! a record or a screen.

pub mod drives;
pub mod paths;
