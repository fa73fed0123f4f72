//! The whole office at once, measured (issue 18): see `unix.rs` and
//! `scripts/bench-office.sh`. The store server is Unix-only, and so is
//! this bench.

#[cfg(unix)]
mod unix;

#[cfg(unix)]
fn main() {
    unix::main()
}

#[cfg(not(unix))]
fn main() {
    eprintln!("officebench: Unix only (the store server is)");
}
