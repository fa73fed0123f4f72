//! linli's integration tests: one binary (link time on two cores is real).

mod backup;
mod commands;
mod e2e;
mod pty;
mod screens;
mod sheets;
mod store;
mod support;
