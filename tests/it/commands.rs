//! The data commands of the real binary: backup, verify, restore, export,
//! import. What the user reads, the exit status, and that a refusal
//! changes nothing.

use crate::support::Fixture;
use std::path::Path;
use std::process::{Output, Stdio};

/// The office fixture in a data dir, its store closed.
fn office_dir() -> tempfile::TempDir {
    let Fixture { dir, store, .. } = Fixture::office();
    drop(store);
    dir
}

fn linli(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = crate::support::bin();
    c.arg("--data-dir").arg(data).args(args);
    c.env("LINLI_NOW", "2026-11-24T10:00:00").env("LINLI_SCRYPT_WORK_FACTOR", "10").env_remove("LINLI_PASSPHRASE");
    c.env_remove("LINLI_LANG");
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdin(Stdio::null()).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn an_encrypted_backup_verifies_with_its_passphrase_and_says_so_without_it() {
    let data = office_dir();
    let stick = tempfile::tempdir().unwrap();
    let to = stick.path().to_string_lossy().into_owned();
    let pass = [("LINLI_PASSPHRASE", "邻里2026")];
    let o = linli(data.path(), &["backup", "--encrypt", "--to", &to, "--by", "李娜"], &pass);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("备份完成并已校验"), "{}", text(&o));
    let file = std::fs::read_dir(stick.path()).unwrap().next().unwrap().unwrap().path();
    let f = file.to_string_lossy().into_owned();

    let o = linli(data.path(), &["verify", &f], &pass);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("备份人：李娜") && text(&o).contains("诉求 5"), "{}", text(&o));

    let o = linli(data.path(), &["verify", &f], &[("LINLI_PASSPHRASE", "不对")]);
    assert!(!o.status.success());
    assert!(text(&o).contains("密码不对"), "{}", text(&o));
    // no terminal and no passphrase: said plainly, no hang
    let o = linli(data.path(), &["verify", &f], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("LINLI_PASSPHRASE"), "{}", text(&o));
    let o = linli(data.path(), &["--lang", "en", "verify", &f], &[("LINLI_PASSPHRASE", "x")]);
    assert!(text(&o).contains("Wrong passphrase"), "{}", text(&o));
}

#[test]
fn bad_files_get_their_own_messages_and_no_panic() {
    let data = office_dir();
    let junk = data.path().join("notes.txt");
    std::fs::write(&junk, "这只是一个文本文件\n").unwrap();
    let o = linli(data.path(), &["verify", &junk.to_string_lossy()], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("这不是邻里的备份文件"), "{}", text(&o));
    let o = linli(data.path(), &["verify", "/nonexistent/x.jsonl.gz"], &[]);
    assert!(text(&o).contains("找不到文件"), "{}", text(&o));
    // a backup into a folder that is not there says so: not "file not found"
    let o = linli(data.path(), &["backup", "--to", "/nonexistent/stick/x.jsonl.gz"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("文件夹不存在：/nonexistent/stick") && !text(&o).contains("找不到文件"), "{}", text(&o));
    let o = linli(data.path(), &["restore", "--yes", &junk.to_string_lossy()], &[]);
    assert!(!o.status.success());
    assert!(!text(&o).contains("panicked"), "{}", text(&o));
    let o = linli(data.path(), &["export", "cats"], &[]);
    assert!(text(&o).contains("不认识的种类：cats"), "{}", text(&o));
    let o = linli(data.path(), &["import", "residents", &junk.to_string_lossy()], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("姓名"), "{}", text(&o));
}

#[test]
fn restore_asks_first_and_keeps_the_old_data_aside() {
    let data = office_dir();
    let out = tempfile::tempdir().unwrap();
    let o = linli(data.path(), &["backup", "--to", &out.path().to_string_lossy()], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("建议加密"), "a plain backup leaving the data dir suggests encryption");
    let file = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    let f = file.to_string_lossy().into_owned();

    // no terminal to confirm on and no --yes: refused, nothing changed
    let o = linli(data.path(), &["restore", &f], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("--yes"), "{}", text(&o));
    assert!(!data.path().join("store.before-restore-20261124-100000").exists());

    let o = linli(data.path(), &["restore", "--yes", &f], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("原来的数据已另存为"), "{}", text(&o));
    assert!(data.path().join("store.before-restore-20261124-100000").is_dir());
    let s = linli::store::Store::open(data.path()).unwrap();
    assert_eq!(s.residents().unwrap().len(), 4);
}

#[test]
fn exports_and_imports_from_the_command_line() {
    let data = office_dir();
    let csv = data.path().join("居民.csv");
    let c = csv.to_string_lossy().into_owned();
    let o = linli(data.path(), &["export", "residents", "--format", "csv", "--out", &c], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("已导出 4 条"), "{}", text(&o));
    assert!(std::fs::read(&csv).unwrap().starts_with("\u{feff}编号".as_bytes()));
    // full numbers need a name for the audit trail
    let o = linli(data.path(), &["export", "residents", "--format", "csv", "--out", &c, "--full-numbers"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("--by"), "{}", text(&o));
    let o = linli(
        data.path(),
        &["export", "residents", "--format", "csv", "--out", &c, "--full-numbers", "--by", "王建国"],
        &[],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("操作记录"), "{}", text(&o));

    // the full-number sheet into the same data: everyone is already there
    let o = linli(data.path(), &["import", "residents", &c, "--by", "1"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("可导入 0 人，已存在 4 人"), "{}", text(&o));
    let roster = data.path().join("new.csv");
    std::fs::write(&roster, "姓名,电话\n周七,13900005555\n吴八,123\n").unwrap();
    let r = roster.to_string_lossy().into_owned();
    let o = linli(data.path(), &["import", "residents", &r, "--dry-run"], &[]);
    assert!(text(&o).contains("试运行") && text(&o).contains("电话号码格式不对：123"), "{}", text(&o));
    let o = linli(data.path(), &["import", "residents", &r, "--by", "1"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("--skip-bad-rows"), "{}", text(&o));
    let o = linli(data.path(), &["import", "residents", &r, "--by", "1", "--skip-bad-rows"], &[]);
    assert!(text(&o).contains("已导入 1 位居民"), "{}", text(&o));

    // volunteers: 张三 is resident 1 and gets linked; the same file twice adds nobody
    let vols = data.path().join("志愿者.csv");
    std::fs::write(
        &vols,
        "姓名,电话,性别,技能
张三,13812345678,男,理发
郑十,13900007777,不详,
",
    )
    .unwrap();
    let v = vols.to_string_lossy().into_owned();
    let o = linli(data.path(), &["import", "volunteers", &v, "--dry-run"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("性别看不懂：不详") && text(&o).contains("1 人与居民名册"), "{}", text(&o));
    let o = linli(data.path(), &["import", "volunteers", &v, "--by", "1", "--skip-bad-rows"], &[]);
    assert!(text(&o).contains("已导入 1 位志愿者"), "{}", text(&o));
    let o = linli(data.path(), &["import", "volunteers", &v, "--by", "1", "--skip-bad-rows"], &[]);
    assert!(text(&o).contains("可导入 0 人，已存在 1 人") && text(&o).contains("已导入 0 位志愿者"), "{}", text(&o));
}

/// Chinese command-line output has no English word and no internal id:
/// `info`, `check`, `verify`, a missing file, a new office's `--by`.
#[test]
fn the_commands_speak_chinese_and_name_the_file() {
    let data = office_dir();
    let english = |s: &str| -> Vec<String> {
        // the program's name, file names and the command line may be Latin
        let allowed = ["linli", "check", "repair", "MB", "by", "jsonl", "gz", "csv", "backup"];
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.len() > 1 && w.chars().any(|c| c.is_ascii_alphabetic()))
            // a key's fingerprint is hex (b367 ee93), no word
            .filter(|w| !allowed.contains(w) && !w.starts_with("tmp") && !w.chars().all(|c| c.is_ascii_hexdigit()))
            .map(str::to_string)
            .collect()
    };
    let o = linli(data.path(), &["info"], &[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("数据目录：") && out.contains("数据版本：") && out.contains("诉求"), "{out}");
    assert!(english(&out.replace(&data.path().display().to_string(), "")).is_empty(), "{out}");
    let o = linli(data.path(), &["check"], &[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("检查完毕，没有问题") && out.contains("索引：缺少 0 条，多余 0 条"), "{out}");
    assert!(english(&out).is_empty(), "{out}");
    // a file that is not there: in Chinese, with its path
    let o = linli(data.path(), &["import", "residents", "/不存在/名册.csv"], &[]);
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("找不到这个文件或文件夹：/不存在/名册.csv"), "{out}");
    assert!(!out.contains("os error") && !out.contains("No such file"), "{out}");
    // verify lists what a backup holds in words, without the kinds it has none of
    let stick = tempfile::tempdir().unwrap();
    let o = linli(data.path(), &["backup", "--to", &stick.path().to_string_lossy(), "--by", "李娜"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let file = std::fs::read_dir(stick.path()).unwrap().next().unwrap().unwrap().path();
    let o = linli(data.path(), &["verify", &file.to_string_lossy()], &[]);
    let out = text(&o);
    assert!(out.contains("内容：诉求 5，居民 4，社区工作者 2，操作记录"), "{out}");
    assert!(!out.contains("服务证明 0"), "{out}");
    assert!(english(&out.replace(&file.display().to_string(), "")).is_empty(), "{out}");
    // a new office: nobody to name with --by yet, and it says what to do
    let empty = tempfile::tempdir().unwrap();
    let sheet = empty.path().join("名册.csv");
    std::fs::write(&sheet, "姓名,电话\n张三,13812345678\n").unwrap();
    let o = linli(empty.path(), &["import", "residents", &sheet.to_string_lossy(), "--by", "王丽"], &[]);
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("还没有社区工作者") && !out.contains("找不到该记录"), "{out}");
}

/// A command line clap cannot read is answered in Chinese: what is wrong,
/// the usage, where to read more (clap has English words only). English
/// keeps clap's own. `linli` in a script (no terminal) says what to do.
#[test]
fn a_mistyped_command_line_is_answered_in_chinese() {
    let data = tempfile::tempdir().unwrap();
    let said = |args: &[&str]| {
        let o = linli(data.path(), args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let out = text(&o);
        for english in ["error:", "Usage", "tip:", "For more information", "unrecognized", "unexpected"] {
            assert!(!out.contains(english), "{args:?}: {out}");
        }
        out
    };
    let out = said(&["expert"]);
    assert!(out.contains("没有“expert”这个命令") && out.contains("您是不是想写：report、export"), "{out}");
    assert!(out.contains("用法：linli [选项] [命令]") && out.contains("想看说明，请运行：linli --help"), "{out}");
    let out = said(&["backup", "--bogus"]);
    assert!(out.contains("不认识这个参数：--bogus") && out.contains("linli backup --help"), "{out}");
    let out = said(&["import", "residents"]);
    assert!(out.contains("还缺：<文件>") && out.contains("用法：linli import [选项] <种类> <文件>"), "{out}");
    assert!(said(&["report", "--month"]).contains("--month <年-月> 后面要写上值"));
    assert!(said(&["stress", "--count", "x"]).contains("--count <COUNT> 不能取“x”"));
    assert!(said(&["--lang", "fr", "info"]).contains("--lang <zh|en> 不能取“fr”"));
    // linli's own checks after clap, each naming what is wrong
    let o = linli(data.path(), &["export", "requests", "--format", "pdf"], &[]);
    assert!(text(&o).contains("不认识的格式：pdf（可以写 csv 或 xlsx）"), "{}", text(&o));
    let o = linli(data.path(), &["import", "workers", "/x.csv"], &[]);
    assert!(text(&o).contains("不能导入这一种：workers"), "{}", text(&o));
    let o = linli(data.path(), &["gen", "--size", "huge"], &[]);
    assert!(text(&o).contains("--size 只能是 demo、typical 或 large：huge"), "{}", text(&o));
    // English: clap's words
    let o = linli(data.path(), &["--lang", "en", "expert"], &[]);
    assert!(text(&o).contains("unrecognized subcommand 'expert'"), "{}", text(&o));
    // the app itself, its input not a terminal
    let o = linli(data.path(), &["--alone"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("邻里要在终端窗口里打开"), "{}", text(&o));
    assert!(!text(&o).contains("os error"), "{}", text(&o));
}
