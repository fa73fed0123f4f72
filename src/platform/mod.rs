//! What differs between the office's machines: where the data lives
//! (`paths`), which drives are USB sticks (`drives`), and how files are
//! kept private (`private`), the office's text files as Notepad
//! reads and writes them (`office_text`). Nothing here knows
//! a record or a screen.

pub mod drives;
pub mod memory;
pub mod office_text;
pub mod paths;
pub mod private;
