//! linli's integration tests: one binary (link time on two cores is real).

mod e2e;
mod pty;
mod roster;
mod screens;
mod store;
mod support;
