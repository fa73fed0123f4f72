//! linli's integration tests: one binary (link time on two cores is real).

mod duties;
mod e2e;
mod pty;
mod screens;
mod store;
mod support;
