//! linli (邻里): the record keeper of a Chinese urban community office.
//!
//! One library, two front ends (the TUI in `ui` and the command line in
//! `cli`), three layers in one direction: `ui` → `domain` (pure rules, no
//! clock reads, no storage) → `store` (sled, codecs, indexes, schema).

pub mod cli;
pub mod demo;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod platform;
pub mod serve;
pub mod store;
pub mod ui;
