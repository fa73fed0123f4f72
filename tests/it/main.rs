//! linli's integration tests: one binary (link time on two cores is real).

mod crash;
mod e2e;
mod faults;
mod fuzz;
mod pty;
mod roster;
mod safety;
mod screens;
mod store;
mod support;
