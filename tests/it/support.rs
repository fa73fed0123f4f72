//! Shared fixtures: a store in its own temp dir with a few workers,
//! residents and requests logged at fixed times (never the wall clock).

use chrono::{NaiveDate, NaiveDateTime};
use linli::domain::request::{Channel, Move, NewRequest, Urgency};
use linli::domain::{Address, Categories, Request, Resident, ResidentId, WorkCalendar, WorkerId};
use linli::i18n::Lang;
use linli::store::Store;
use linli::ui::app::{App, Loaded};
use linli::ui::theme::Theme;
use std::sync::Arc;

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

/// "Now" in every fixture: Tuesday 24 November 2026, 10:00.
pub fn now() -> NaiveDateTime {
    at(2026, 11, 24, 10, 0)
}

/// A fresh temp dir whose path has the same length on every machine:
/// screens show the data dir (the backups folder, where an export went), so
/// a snapshot or a message must not change with the caller's TMPDIR. On
/// Unix it lies in `/tmp` (`/tmp/.tmpXXXXXX`), elsewhere in the system's
/// temp dir.
pub fn fixture_dir() -> tempfile::TempDir {
    let fixed = std::path::Path::new("/tmp");
    if cfg!(unix) && fixed.is_dir() {
        tempfile::Builder::new().tempdir_in(fixed).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Arc<Store>,
    pub cal: Arc<WorkCalendar>,
    pub cats: Categories,
    pub workers: Vec<WorkerId>,
    pub requests: Vec<Request>,
}

pub fn resident(name: &str, phone: &str, address: &str, tags: &[&str]) -> Resident {
    let mut r = Resident::new(ResidentId(0), name);
    r.phone = phone.into();
    r.address = Address::parse(address);
    r.grid = "第3网格".into();
    r.tags = tags.iter().map(|s| s.to_string()).collect();
    r
}

pub fn new_request(cat: &str, title: &str, res: Option<ResidentId>, ch: Channel) -> NewRequest {
    NewRequest {
        channel: ch,
        category: cat.into(),
        title: title.into(),
        description: "居民反映情况，需要尽快处理。".into(),
        location: "幸福小区".into(),
        resident: res,
        urgency: Urgency::Normal,
        work_order: String::new(),
        hotline_due: None,
    }
}

impl Fixture {
    /// An empty store in a fresh temp dir (see [`fixture_dir`]).
    pub fn empty() -> Fixture {
        let dir = fixture_dir();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        Fixture {
            dir,
            store,
            cal: Arc::new(WorkCalendar::builtin()),
            cats: Categories::default(),
            workers: Vec::new(),
            requests: Vec::new(),
        }
    }

    /// A small office: two workers, four residents, five requests in
    /// several states, one of them overdue on `now()`.
    pub fn office() -> Fixture {
        let mut f = Fixture::empty();
        let s = f.store.clone();
        let li = s.create_worker("李娜", "网格员", None, at(2026, 11, 1, 9, 0)).unwrap().id;
        let wang = s.create_worker("王建国", "主任", Some(li), at(2026, 11, 1, 9, 5)).unwrap().id;
        f.workers = vec![li, wang];
        let zs = s
            .create_resident(
                &resident("张三", "13812345678", "幸福小区 3-2-301", &["独居老人"]),
                li,
                at(2026, 11, 2, 9, 0),
            )
            .unwrap()
            .id;
        let zeng = s
            .create_resident(&resident("曾小明", "13900001111", "幸福小区 5-1-102", &[]), li, at(2026, 11, 2, 9, 1))
            .unwrap()
            .id;
        let shan = s
            .create_resident(
                &resident("单田芳", "13700002222", "锦绣花园 2-3-601", &["退役军人"]),
                li,
                at(2026, 11, 2, 9, 2),
            )
            .unwrap()
            .id;
        s.create_resident(&resident("欧阳娜娜", "", "老街坊 1-1-101", &["低保户"]), li, at(2026, 11, 2, 9, 3)).unwrap();
        let (cal, cats) = (f.cal.clone(), f.cats.clone());
        let log = |nr: NewRequest, when: NaiveDateTime, moves: Vec<Move>| {
            let mut r = s.create_request(&nr, li, when, &cats, &cal).unwrap();
            for (i, m) in moves.into_iter().enumerate() {
                r = s.move_request(r.id, &m, li, when + chrono::Duration::hours(i as i64 + 1), &cats, &cal).unwrap();
            }
            r
        };
        let a = log(
            new_request("小修小补", "楼道灯不亮", Some(zs), Channel::Visit),
            at(2026, 11, 16, 9, 30),
            vec![Move::Assign(li)],
        );
        let b = log(
            new_request("停车难", "小区内乱停车堵住消防通道", Some(zeng), Channel::Hotline12345),
            at(2026, 11, 20, 14, 0),
            vec![Move::Assign(wang), Move::Start],
        );
        let c = log(
            new_request("文明养犬", "有人遛狗不牵绳", Some(shan), Channel::WeChat),
            at(2026, 11, 21, 10, 0),
            vec![Move::Assign(li), Move::Resolve("已上门劝导，狗主人承诺牵绳".into())],
        );
        let d = log(new_request("老旧小区", "屋顶漏水", None, Channel::Patrol), at(2026, 11, 23, 16, 0), vec![]);
        let e = log(
            new_request("邻里纠纷", "楼上漏水与邻居产生纠纷", Some(zs), Channel::Phone),
            at(2026, 11, 24, 9, 0),
            vec![],
        );
        f.requests = vec![a, b, c, d, e];
        f
    }

    /// The app over this store as it starts, with `now()` as the clock:
    /// nothing loaded yet, its first layers (the welcome, the operator
    /// picker) open.
    pub fn app_as_started(&self, lang: Lang) -> App {
        App::new(self.store.clone(), lang, Theme::color(), self.cal.clone(), self.cats.clone(), Box::new(now)).unwrap()
    }

    /// The app over this store, loaded, with `now()` as the clock, the
    /// first worker at the keyboard.
    pub fn app(&self, lang: Lang) -> App {
        let mut app = self.app_as_started(lang);
        app.finish_loading(Loaded::read(&self.store).unwrap());
        if !self.workers.is_empty() {
            app.layers.clear();
            app.sh.operator = Some(self.workers[0]);
        }
        app
    }
}

/// The real binary in a pseudo-terminal over data dir `dir`, with the
/// fixed "now" of the fixtures.
pub fn linli_pty(dir: &std::path::Path) -> crate::pty::Pty {
    let opts = crate::pty::PtyOptions::default()
        .with_env("LINLI_DATA_DIR", dir.to_string_lossy())
        .with_env("LINLI_NOW", "2026-11-24T10:00:00");
    crate::pty::Pty::spawn(std::path::Path::new(env!("CARGO_BIN_EXE_linli")), opts)
}

/// The real binary in a pseudo-terminal as an office starts it: a client
/// of the data dir's store server (started by the first one).
#[cfg(unix)]
pub fn served_pty(dir: &std::path::Path) -> crate::pty::Pty {
    let opts = crate::pty::PtyOptions::default()
        .with_env("LINLI_DATA_DIR", dir.to_string_lossy())
        .with_env("LINLI_NOW", "2026-11-24T10:00:00")
        .with_env("LINLI_ALONE", "0");
    crate::pty::Pty::spawn(std::path::Path::new(env!("CARGO_BIN_EXE_linli")), opts)
}

/// First start in a pseudo-terminal: add the first worker, who becomes
/// the operator.
pub fn first_start(p: &mut crate::pty::Pty, name: &str) {
    use crate::pty::Key;
    p.wait_for("欢迎使用邻里");
    p.key(Key::Enter);
    p.wait_for("新增社区工作者");
    p.type_text(name);
    p.key(Key::Ctrl('s'));
    p.wait_for(&format!("操作员：{name}"));
}

/// The real binary with a whole environment of its own: nothing from the
/// caller's (a `LINLI_LANG=en` or `LINLI_DATA_DIR` there changed what tests
/// saw) but PATH, and Chinese. Callers set the data dir.
pub fn bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_linli"));
    let tmp = std::env::temp_dir();
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &tmp)
        .env("TMPDIR", &tmp)
        .env("LINLI_LANG", "zh");
    c
}

/// The audit trail by record: every action taken on each (kind, key).
pub fn audit_by_record(
    store: &Store,
) -> std::collections::HashMap<(linli::store::record::RecordKind, u64), Vec<linli::store::audit::AuditAction>> {
    let mut out: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
    store
        .scan_audit(|e: linli::store::audit::AuditEntry| out.entry((e.kind, e.key)).or_default().push(e.action))
        .unwrap();
    out
}

/// Every write `linli stress` reported saved (`resident ID NAME`,
/// `request ID TITLE`, `assigned ID`) is in the store as reported, with
/// its entry in the audit trail; `round` names the kill in a failure.
pub fn check_reported_writes(store: &Store, reported: &[String], round: u64) {
    use linli::domain::RequestId;
    use linli::domain::request::Status;
    use linli::store::audit::AuditAction;
    use linli::store::record::RecordKind;
    let audit = audit_by_record(store);
    for l in reported {
        let mut parts = l.splitn(3, ' ');
        let (what, id) = (parts.next().unwrap(), parts.next().unwrap().parse::<u64>().unwrap());
        let (kind, action) = match what {
            "resident" => {
                let r: Resident = store.get(id).unwrap().unwrap_or_else(|| panic!("round {round}: lost {l}"));
                assert_eq!(r.name, parts.next().unwrap());
                (RecordKind::Resident, AuditAction::Create)
            }
            "request" => {
                let r = store.request(RequestId(id)).unwrap().unwrap_or_else(|| panic!("round {round}: lost {l}"));
                assert_eq!(r.title, parts.next().unwrap());
                (RecordKind::Request, AuditAction::Create)
            }
            "assigned" => {
                let r = store.request(RequestId(id)).unwrap().unwrap_or_else(|| panic!("round {round}: lost {l}"));
                assert_eq!(r.status, Status::Assigned, "round {round}: lost {l}");
                (RecordKind::Request, AuditAction::Update)
            }
            other => panic!("unexpected line {other}"),
        };
        let actions = audit.get(&(kind, id)).map(Vec::as_slice).unwrap_or(&[]);
        assert!(actions.contains(&action), "round {round}: {l} has no {action:?} audit entry: {actions:?}");
    }
}

/// sled itself on a store's folder (`DATA/store`), at the segment size its
/// `conf` names (sled opens a store at no other; new stores are 256 KB).
/// A store dropped a moment ago can still hold sled's lock for a little
/// while: tried for up to five seconds.
pub fn raw_sled_at(store_dir: &std::path::Path) -> sled::Result<sled::Db> {
    let conf = std::fs::read(store_dir.join("conf")).unwrap_or_default();
    let first = String::from_utf8_lossy(conf.split(|b| *b == b'\n').next().unwrap_or(&[])).into_owned();
    let size = first.strip_prefix("segment_size: ").and_then(|s| s.trim().parse().ok()).unwrap_or(512 * 1024);
    let t = std::time::Instant::now();
    loop {
        match sled::Config::new().path(store_dir).segment_size(size).open() {
            Err(sled::Error::Io(e)) if t.elapsed() < std::time::Duration::from_secs(5) => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}
