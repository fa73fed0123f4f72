//! Crash safety, proven: the real binary writes as fast as it can and is
//! killed with SIGKILL at seeded random moments, 100 times over. After
//! each kill the store must open, hold everything the process reported
//! saved (it reports only after the flush), hold nothing half-written, and
//! its indexes must agree with its records.

use linli::domain::request::Status;
use linli::domain::{Request, RequestId, Resident};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn sigkill_at_random_moments_loses_nothing_reported_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut reported: Vec<String> = Vec::new();
    for round in 0..100u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_linli"))
            .args(["stress", "--count", "100000", "--seed", &(round + 1).to_string()])
            .env("LINLI_DATA_DIR", dir.path())
            .env("LINLI_NOW", "2026-11-24T10:00:00")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // kill after a random number of reported writes (0 = while opening)
        let wait_for = rnd() % 12;
        for _ in 0..wait_for {
            match lines.next() {
                Some(Ok(l)) => reported.push(l),
                _ => break,
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // lines already in the pipe were also reported saved
        reported.extend(lines.map_while(Result::ok));

        let store =
            linli::store::Store::open(dir.path()).unwrap_or_else(|e| panic!("round {round}: store does not open: {e}"));
        for l in &reported {
            let mut parts = l.splitn(3, ' ');
            let (what, id) = (parts.next().unwrap(), parts.next().unwrap().parse::<u64>().unwrap());
            match what {
                "resident" => {
                    let r: Resident = store.get(id).unwrap().unwrap_or_else(|| panic!("round {round}: lost {l}"));
                    assert_eq!(r.name, parts.next().unwrap());
                }
                "request" => {
                    let r = store.request(RequestId(id)).unwrap().unwrap_or_else(|| panic!("round {round}: lost {l}"));
                    assert_eq!(r.title, parts.next().unwrap());
                }
                "assigned" => {
                    let r = store.request(RequestId(id)).unwrap().unwrap();
                    assert_eq!(r.status, Status::Assigned, "round {round}: lost {l}");
                }
                other => panic!("unexpected line {other}"),
            }
        }
        let report = store.check(false).unwrap();
        assert!(report.is_clean(), "round {round}: {report:?}");
        // nothing half-written: every request decodes and is whole
        store.scan(|r: Request| assert!(!r.notes.is_empty() && r.title.starts_with("压力"))).unwrap();
    }
    assert!(reported.len() > 200, "the test must actually write: {}", reported.len());
}
