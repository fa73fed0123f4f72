//! linli's integration tests: one binary (link time on two cores is real).

mod backup;
mod bytes;
mod commands;
mod crash;
mod data_screens;
mod duties;
mod e2e;
mod faults;
mod fields;
mod first_week;
mod fuzz;
mod layers;
mod mounts;
mod office_pc;
mod opening;
mod practice;
mod pty;
mod roster;
mod safety;
mod screens;
mod sheets;
mod sizes;
mod store;
mod support;
mod trust;
mod work_order;
