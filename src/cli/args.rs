//! What can be typed: the commands, their options, and their help in the
//! interface language (the words are in `i18n::help`).

use super::*;
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "linli", version, about = "邻里: records for a community office (requests, residents, workers)")]
pub struct Cli {
    /// Where the data lives (default: the platform data dir; env LINLI_DATA_DIR)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Open the demo data (kept in its own folder, never mixed with real records)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Interface language: zh (default) or en (env LINLI_LANG)
    #[arg(long, global = true, value_name = "zh|en", value_parser = lang_arg)]
    pub lang: Option<String>,
    /// Open the data in this window alone, without the shared data service (env LINLI_ALONE=1)
    #[arg(long, global = true)]
    pub alone: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fill an empty data dir with generated records (for demos and benchmarks)
    Gen {
        /// demo, typical or large (30,000 residents, 100,000 requests)
        #[arg(long, default_value = "large")]
        size: String,
        /// Multiply residents and requests (growth benchmarks)
        #[arg(long, default_value_t = 1)]
        scale: usize,
        #[arg(long, default_value_t = 20261124)]
        seed: u64,
        /// "Today" for the generated data, YYYY-MM-DD (default: today)
        #[arg(long)]
        today: Option<String>,
    },
    /// Show where the data lives and how many records it holds
    Info,
    /// List who is using the data now (operator, terminal, since when)
    Who,
    /// The shared data service the first window starts (not for typing)
    #[command(hide = true)]
    Serve,
    /// Back up every record into one file, verified before it says done
    Backup {
        /// A folder (a dated name is chosen) or a file name; default: DATA_DIR/backups
        #[arg(long, value_name = "PATH")]
        to: Option<PathBuf>,
        /// Encrypt with a passphrase (asked for, or env LINLI_PASSPHRASE)
        #[arg(long)]
        encrypt: bool,
        /// Who makes the backup (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Check a backup through (its checksum and signature) and show what it
    /// holds and who signed it; changes nothing
    Verify { file: PathBuf },
    /// Replace the data with a backup's (the current data is kept aside
    /// first); without FILE, choose among the backups in the data dir
    Restore {
        file: Option<PathBuf>,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
        /// Restore a backup signed by another computer's key: its
        /// fingerprint (at least its first 8 digits), as verify shows it
        #[arg(long, value_name = "FINGERPRINT")]
        accept_key: Option<String>,
    },
    /// Export any kind of record, or the audit trail, as CSV or XLSX
    Export {
        /// requests, residents, workers, teams, posts, volunteers, activities,
        /// services, certificates, duties, tasks, rota, leaves, logs,
        /// trainings, evaluations, audit (Chinese names too)
        kind: String,
        #[arg(long, default_value = "xlsx", value_name = "csv|xlsx")]
        format: String,
        /// CSV's encoding: utf8 (with BOM: Excel 2016+, WPS, LibreOffice) or
        /// gbk (older Excel and WPS)
        #[arg(long, default_value = "utf8", value_name = "utf8|gbk")]
        encoding: String,
        /// File to write (default: a dated name in the current folder)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Phone numbers in full instead of masked (recorded in the audit trail)
        #[arg(long)]
        full_numbers: bool,
        /// Who exports (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Import residents or volunteers from a CSV or XLSX sheet (all or nothing)
    Import {
        /// What to import: residents or volunteers
        kind: String,
        file: PathBuf,
        /// Check and show what would be imported, write nothing
        #[arg(long)]
        dry_run: bool,
        /// Which column holds a field, e.g. --column phone=联系电话 or --column name=B
        #[arg(long = "column", value_name = "FIELD=COLUMN")]
        columns: Vec<String>,
        /// Import the good rows even if some rows have errors
        #[arg(long)]
        skip_bad_rows: bool,
        /// Who imports (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// The community profile printed on every sheet, report and
    /// certificate: shown, or set with the options given
    Profile {
        /// 社区名称
        #[arg(long)]
        name: Option<String>,
        /// 所属街道
        #[arg(long)]
        street: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// 负责人
        #[arg(long)]
        head: Option<String>,
        /// 出具单位 on certificates (e.g. 幸福里社区居民委员会)
        #[arg(long)]
        issuer: Option<String>,
        /// A line above every printout's title
        #[arg(long)]
        letterhead: Option<String>,
    },
    /// A volunteer's or resident's ID number (居民身份证): shown masked, set
    /// (checked against its check digit), cleared, or revealed (recorded)
    IdNumber {
        /// volunteer or resident
        kind: String,
        /// The volunteer's or resident's number in linli
        id: u64,
        /// The ID number to keep (18 characters)
        number: Option<String>,
        #[arg(long)]
        clear: bool,
        /// Show it in full (recorded in the audit trail)
        #[arg(long)]
        reveal: bool,
        /// Who does it (a worker's name or number; default: the last operator)
        #[arg(long, value_name = "NAME|ID")]
        by: Option<String>,
    },
    /// Write a month's report (A4 HTML or XLSX) for the street office
    Report {
        /// The month, e.g. 2026-11 (default: last month)
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        #[arg(long, default_value = "html", value_name = "html|xlsx")]
        format: String,
        /// File to write (default: 月报-YYYY-MM.html in the current folder)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// 制表人 (default: the last operator)
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Set or clear the start-up PIN (for a PC several people use)
    Pin {
        #[command(subcommand)]
        what: PinCommand,
    },
    /// Check that every record reads and every index agrees with the records
    Check {
        /// Rebuild the indexes from the records if they disagree
        #[arg(long)]
        repair: bool,
    },
    /// Testing aid: durable writes as fast as possible, printing each one
    /// once it is on disk (the crash test kills this at random moments)
    #[command(hide = true)]
    Stress {
        #[arg(long, default_value_t = 1000)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PinCommand {
    /// Ask for a new PIN (twice) and require it at every start
    Set,
    /// Remove the PIN (asks for the current one)
    Clear,
}

/// The command line as typed, parsed with help in the interface language
/// (`--lang`, else `LINLI_LANG`, else Chinese). Exits after printing help,
/// the version or a usage error, as clap does.
pub fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = lang_in_args(&args).or_else(lang_in_env).unwrap_or(Lang::Zh);
    let parsed = command(lang).try_get_matches_from(args).and_then(|m| {
        use clap::FromArgMatches;
        Cli::from_arg_matches(&m)
    });
    parsed.unwrap_or_else(|e| {
        if lang == Lang::En || !e.use_stderr() {
            e.exit()
        }
        eprint!("{}", usage_error_text(&e, lang));
        std::process::exit(e.exit_code())
    })
}

/// What to print for a command line clap could not read. Help and the
/// version, and any error in English, are clap's own text; an error in
/// Chinese is said in Chinese, with the usage (already in Chinese) and
/// where to read more: clap has no words but English for its errors.
pub fn usage_error_text(e: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind as C, ContextValue as V, ErrorKind as K};
    if lang == Lang::En || !e.use_stderr() {
        return e.render().to_string();
    }
    let w = &i18n::USAGE_ERRORS_ZH;
    let get = |k: C| match e.get(k)? {
        V::String(s) => Some(s.clone()),
        V::Strings(v) => Some(v.join("、")),
        V::StyledStr(s) => Some(s.to_string()),
        V::StyledStrs(v) => Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join("、")),
        V::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(C::InvalidArg).unwrap_or_default();
    let value = get(C::InvalidValue).unwrap_or_default();
    let mut lines = vec![match e.kind() {
        K::UnknownArgument => i18n::fill(w.unknown_argument, &arg),
        K::InvalidSubcommand => i18n::fill(w.unknown_command, get(C::InvalidSubcommand).unwrap_or_default()),
        K::InvalidValue | K::ValueValidation if value.is_empty() => i18n::fill(w.needs_value, &arg),
        K::InvalidValue | K::ValueValidation => i18n::fill_all(w.invalid_value, &[&arg, &value]),
        K::MissingRequiredArgument => i18n::fill(w.missing, &arg),
        K::MissingSubcommand | K::DisplayHelpOnMissingArgumentOrSubcommand => w.missing_command.to_string(),
        K::ArgumentConflict => i18n::fill_all(w.conflict, &[&arg, &get(C::PriorArg).unwrap_or_default()]),
        K::TooManyValues => i18n::fill(w.too_many, if value.is_empty() { &arg } else { &value }),
        K::WrongNumberOfValues | K::TooFewValues => {
            let n = get(C::ExpectedNumValues).or_else(|| get(C::MinValues)).unwrap_or_default();
            i18n::fill_all(w.value_count, &[&arg, &n])
        }
        K::NoEquals => i18n::fill(w.needs_value, &arg),
        K::InvalidUtf8 => w.not_utf8.to_string(),
        _ => w.other.to_string(),
    }];
    if let Some(valid) = get(C::ValidValue).filter(|v| !v.is_empty()) {
        lines.push(i18n::fill(w.valid_values, valid));
    }
    if let Some(like) = get(C::SuggestedSubcommand).or_else(|| get(C::SuggestedArg)).or_else(|| get(C::SuggestedValue))
    {
        lines.push(i18n::fill(w.did_you_mean, like));
    }
    let mut out = format!("linli: {}\n", lines.join("\n"));
    if let Some(usage) = get(C::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out += &format!("\n{}{usage}\n", i18n::cli_headings(lang).usage);
        // `linli import [选项] <种类> <文件>` → `linli import --help`
        let path: Vec<&str> = usage.split(' ').take_while(|w| !w.starts_with(['[', '<'])).collect();
        out += &format!("{}\n", i18n::fill(w.more_help, path.join(" ")));
    }
    out
}

/// `--lang`'s value, refused (not ignored) when it names no language.
fn lang_arg(s: &str) -> Result<String, String> {
    Lang::parse(s).map(|_| s.to_string()).ok_or_else(|| "zh, en".to_string())
}

/// `--lang X` or `--lang=X` among the arguments, before clap has read them
/// (the help it prints depends on it).
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().as_deref().and_then(Lang::parse);
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
    }
    None
}

fn lang_in_env() -> Option<Lang> {
    std::env::var("LINLI_LANG").ok().as_deref().and_then(Lang::parse)
}

/// linli's command line with its help (about, every argument's, the
/// headings) in `lang`'s words from `i18n::cli_help`.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // clap adds --help, --version and the help command when it builds:
    // built first, they are there to be put into words too
    cmd.build();
    localize(cmd, lang, None, None)
}

/// Puts `cmd`'s help into `lang`'s words; `name` is its key (`pin.set`),
/// `None` for linli itself; `parent` the key its help command's entries
/// are named under (`linli pin help set` is `pin.set`).
fn localize(mut cmd: clap::Command, lang: Lang, name: Option<&str>, parent: Option<&str>) -> clap::Command {
    let words = |key: &str| i18n::cli_help(lang, key);
    let about = match name {
        None => words("about"),
        Some(n) if n == "help" || n.ends_with(".help") => words("help.about"),
        Some(n) => words(n),
    };
    if let Some(a) = about {
        cmd = cmd.about(a).long_about(None);
    }
    cmd = cmd.mut_args(|a| {
        let id = a.get_id().as_str().to_string();
        // an argument of this command, else one of linli's global ones
        let text = name.and_then(|n| words(&format!("{n}.{id}"))).or_else(|| words(&id));
        let a = match text {
            Some(t) => a.help(t).long_help(None).hide_default_value(true),
            None => a,
        };
        // `<DIR>` → `<文件夹>`; `zh|en`, `csv|xlsx` are what is typed
        let names: Vec<&'static str> = a
            .get_value_names()
            .unwrap_or_default()
            .iter()
            .filter_map(|n| i18n::cli_value_name(lang, n.as_str()))
            .collect();
        let positional = a.is_positional() && a.get_value_names().is_none();
        let own = i18n::cli_value_name(lang, &id.to_ascii_uppercase());
        match (names.is_empty(), positional, own) {
            (false, _, _) => a.value_names(names),
            (true, true, Some(n)) => a.value_name(n),
            _ => a,
        }
    });
    let is_help = name.is_some_and(|n| n == "help" || n.ends_with(".help"));
    // `linli help backup` and `linli pin help set`: the words of `backup`, `pin.set`
    let prefix = if is_help { parent } else { name };
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for sub in subs {
        let key = match prefix {
            None => sub.clone(),
            Some(p) => format!("{p}.{sub}"),
        };
        cmd = cmd.mut_subcommand(&sub, |s| localize(s, lang, Some(&key), prefix));
    }
    if lang != Lang::En {
        // clap writes `[OPTIONS]` and `<COMMAND>` itself
        cmd = cmd.subcommand_value_name(i18n::cli_value_name(lang, "COMMAND").unwrap_or("COMMAND"));
        let usage = cmd.render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        let usage =
            usage.replace("[OPTIONS]", &format!("[{}]", i18n::cli_value_name(lang, "OPTIONS").unwrap_or("OPTIONS")));
        cmd = cmd.override_usage(usage);
    }
    let h = i18n::cli_headings(lang);
    let mut template = format!("{{about-with-newline}}\n{}{{usage}}\n", h.usage);
    if cmd.has_subcommands() {
        template += &format!("\n{}\n{{subcommands}}\n", h.commands);
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        template += &format!("\n{}\n{{positionals}}\n", h.arguments);
    }
    template += &format!("\n{}\n{{options}}{{after-help}}", h.options);
    cmd.help_template(template)
}

#[cfg(test)]
mod help_tests {
    use super::*;

    /// Every visible command's about and argument's help, by path.
    fn texts(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push((path.to_string(), about));
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            out.push((format!("{path} {}", a.get_id()), a.get_help().map(|h| h.to_string()).unwrap_or_default()));
        }
        for s in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            texts(s, &format!("{path} {}", s.get_name()), out);
        }
    }

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        texts(&command(Lang::Zh), "linli", &mut zh);
        texts(&command(Lang::En), "linli", &mut en);
        assert_eq!(zh.len(), en.len());
        assert!(zh.len() > 40, "the whole tree, `linli help …` included: {}", zh.len());
        for ((path, z), (_, e)) in zh.iter().zip(&en) {
            // a missing entry in i18n::help leaves the code's English in both
            assert!(has_chinese(z), "{path}: no Chinese help ({z:?}); add it to i18n/help.rs");
            assert!(!e.is_empty() && z != e, "{path}: no English help of its own ({e:?})");
        }
    }

    #[test]
    fn the_help_page_is_in_the_interface_language() {
        let zh = command(Lang::Zh).find_subcommand_mut("restore").unwrap().render_help().to_string();
        for word in ["用法：linli restore [选项] [文件]", "参数：", "选项：", "--accept-key <指纹>", "显示帮助"]
        {
            assert!(zh.contains(word), "{word} in\n{zh}");
        }
        for english in ["Usage", "Options", "Arguments", "Print help", "OPTIONS", "[default"] {
            assert!(!zh.contains(english), "{english} in\n{zh}");
        }
        let en = command(Lang::En).render_help().to_string();
        for word in ["Usage: linli [OPTIONS] [COMMAND]", "Commands:", "Options:", "Print help", "Back up every record"]
        {
            assert!(en.contains(word), "{word} in\n{en}");
        }
        assert!(!en.contains("用法") && !en.contains("选项"), "{en}");
    }

    #[test]
    fn the_language_is_found_before_clap_reads_the_line() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_in_args(&args(&["linli", "--lang", "en", "backup", "--help"])), Some(Lang::En));
        assert_eq!(lang_in_args(&args(&["linli", "backup", "--lang=zh", "--help"])), Some(Lang::Zh));
        assert_eq!(lang_in_args(&args(&["linli", "backup", "--help"])), None);
        // a file called --lang after `--` is a file
        assert_eq!(lang_in_args(&args(&["linli", "verify", "--", "--lang", "en"])), None);
    }
}
