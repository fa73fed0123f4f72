//! Crash safety, proven: the real binary writes as fast as it can and is
//! killed with SIGKILL at seeded random moments, 100 times over. After
//! each kill the store must open, hold everything the process reported
//! saved (it reports only after the flush), hold nothing half-written, and
//! its indexes must agree with its records, and every reported write must
//! have its audit entry (read from the audit tree itself, not its index).
//! The store's own markers (`LINLI_TEST_MARKERS`) tell where each kill
//! landed; at least a quarter must land inside a write, or the test fails.

use crate::powercut::{Landed, clean_env, landed};
use linli::domain::Request;
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;
use std::collections::HashMap;
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
    let home = tempfile::tempdir().unwrap();
    let markers = home.path().join("markers");
    let mut reported: Vec<String> = Vec::new();
    let mut where_: HashMap<Landed, u32> = HashMap::new();
    for round in 0..100u64 {
        std::fs::remove_file(&markers).ok();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
        clean_env(&mut cmd, dir.path(), home.path());
        let mut child = cmd
            .args(["stress", "--count", "100000", "--seed", &(round + 1).to_string()])
            .env("LINLI_TEST_MARKERS", &markers)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // kill after a random number of reported writes (0 = while opening);
        // every other round, once a write has begun and not yet ended
        let wait_for = rnd() % 12;
        for _ in 0..wait_for {
            match lines.next() {
                Some(Ok(l)) => reported.push(l),
                _ => break,
            }
        }
        if round % 2 == 1 {
            let t = std::time::Instant::now();
            while t.elapsed() < std::time::Duration::from_secs(5) && landed(&markers) != Landed::Inside {}
        }
        child.kill().unwrap();
        child.wait().unwrap();
        *where_.entry(landed(&markers)).or_default() += 1;
        // lines already in the pipe were also reported saved
        reported.extend(lines.map_while(Result::ok));

        let store =
            linli::store::Store::open(dir.path()).unwrap_or_else(|e| panic!("round {round}: store does not open: {e}"));
        crate::support::check_reported_writes(&store, &reported, round);
        let audit = crate::support::audit_by_record(&store);
        // every record has its creation in the audit trail, reported or not
        store
            .scan(|r: Request| {
                let actions = audit.get(&(RecordKind::Request, r.id.0)).map(Vec::as_slice).unwrap_or(&[]);
                assert!(actions.contains(&AuditAction::Create), "round {round}: {} has no audit entry", r.id.0);
            })
            .unwrap();
        let report = store.check(false).unwrap();
        assert!(report.is_clean(), "round {round}: {report:?}");
        // nothing half-written: every request decodes and is whole
        store.scan(|r: Request| assert!(!r.notes.is_empty() && r.title.starts_with("压力"))).unwrap();
    }
    assert!(reported.len() > 200, "the test must actually write: {}", reported.len());
    eprintln!("crash: 100 kills landed {where_:?}, {} writes reported saved", reported.len());
    let inside = where_.get(&Landed::Inside).copied().unwrap_or(0);
    assert!(inside >= 25, "too few kills inside a write: {where_:?}");
}
