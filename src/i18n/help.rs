//! `linli --help` and every command's help, in Chinese and English. Keyed
//! by the command's name and the argument's id as clap knows them
//! (`backup`, `backup.to`); the root's own are bare (`about`, `lang`).
//! `cli::command` puts them into clap's command; a test there checks that
//! every command and argument has its words in both languages.

use super::Lang;

/// (key, Chinese, English)
const HELP: &[(&str, &str, &str)] = &[
    (
        "about",
        "邻里：社区居委会的台账（居民诉求、居民名册、职责看板、志愿服务队）",
        "linli (邻里): records for a community office (requests, residents, duties, volunteers)",
    ),
    (
        "data_dir",
        "数据存放的文件夹（默认：本机用户的数据文件夹；也可用环境变量 LINLI_DATA_DIR）",
        "Where the data lives (default: the platform data dir; env LINLI_DATA_DIR)",
    ),
    (
        "demo",
        "打开演示数据（单独存放，不会混入正式台账）",
        "Open the demo data (kept in its own folder, never mixed with real records)",
    ),
    (
        "lang",
        "界面语言：zh 中文（默认）或 en 英文（也可用环境变量 LINLI_LANG）",
        "Interface language: zh (default) or en (env LINLI_LANG)",
    ),
    (
        "alone",
        "本窗口单独打开数据，不经共享的数据服务（也可用环境变量 LINLI_ALONE=1）",
        "Open the data in this window alone, without the shared data service (env LINLI_ALONE=1)",
    ),
    ("help", "显示帮助", "Print help"),
    ("version", "显示版本", "Print version"),
    ("help.about", "显示本帮助，或某个命令的帮助", "Print this message or the help of the given subcommand(s)"),
    ("help.subcommand", "要看帮助的命令", "Print help for the subcommand(s)"),
    (
        "gen",
        "往空的数据文件夹里填入生成的记录（演示、性能测试用）",
        "Fill an empty data dir with generated records (for demos and benchmarks)",
    ),
    (
        "gen.size",
        "规模：demo、typical 或 large（3 万居民、10 万条诉求；默认 large）",
        "demo, typical or large (30,000 residents, 100,000 requests; default large)",
    ),
    (
        "gen.scale",
        "居民和诉求再乘以几倍（测试增长用；默认 1）",
        "Multiply residents and requests (growth benchmarks; default 1)",
    ),
    ("gen.seed", "随机数种子（同一种子生成同样的数据）", "Random seed (the same seed makes the same data)"),
    (
        "gen.today",
        "生成数据时的“今天”，格式 年-月-日（默认：今天）",
        "\"Today\" for the generated data, YYYY-MM-DD (default: today)",
    ),
    ("info", "显示数据存放在哪里、有多少条记录", "Show where the data lives and how many records it holds"),
    (
        "who",
        "列出现在谁在使用数据（操作员、终端、进入时间）",
        "List who is using the data now (operator, terminal, since when)",
    ),
    (
        "serve",
        "第一个窗口启动的共享数据服务（不用手动运行）",
        "The shared data service the first window starts (not for typing)",
    ),
    (
        "backup",
        "把全部记录备份成一个文件，校验无误才报完成",
        "Back up every record into one file, verified before it says done",
    ),
    (
        "backup.to",
        "文件夹（自动取带日期的文件名）或文件名；默认：数据文件夹里的 backups",
        "A folder (a dated name is chosen) or a file name; default: DATA_DIR/backups",
    ),
    (
        "backup.encrypt",
        "用口令加密（运行时询问，或用环境变量 LINLI_PASSPHRASE）",
        "Encrypt with a passphrase (asked for, or env LINLI_PASSPHRASE)",
    ),
    (
        "backup.by",
        "谁做的备份（社区工作者的姓名或编号；默认：上次的操作人）",
        "Who makes the backup (a worker's name or number; default: the last operator)",
    ),
    (
        "verify",
        "从头到尾检查一份备份（校验和与签名），显示其中内容和签名者；不改动任何数据",
        "Check a backup through (its checksum and signature) and show what it holds and who signed it; changes nothing",
    ),
    ("verify.file", "备份文件", "The backup file"),
    (
        "restore",
        "用备份替换现有数据（现有数据先另存一份）；不给文件时，从数据文件夹里的备份中选择",
        "Replace the data with a backup's (the current data is kept aside first); without FILE, choose among the backups in the data dir",
    ),
    ("restore.file", "备份文件", "The backup file"),
    ("restore.yes", "不再询问确认", "Do not ask for confirmation"),
    (
        "restore.accept_key",
        "恢复另一台电脑签名的备份：它的密钥指纹（至少前 8 位，verify 会显示）",
        "Restore a backup signed by another computer's key: its fingerprint (at least its first 8 digits), as verify shows it",
    ),
    (
        "export",
        "把任何一类记录或操作记录导出为 CSV 或 XLSX 表格（中文表头）",
        "Export any kind of record, or the audit trail, as CSV or XLSX",
    ),
    (
        "export.kind",
        "导出什么：诉求 requests、居民 residents、社区工作者 workers、服务队 teams、服务岗位 posts、志愿者 volunteers、志愿活动 activities、服务记录 services、服务证明 certificates、常规职责 duties、任务 tasks、值班 rota、请假 leaves、民情日志 logs、培训 trainings、考评 evaluations、操作记录 audit",
        "requests, residents, workers, teams, posts, volunteers, activities, services, certificates, duties, tasks, rota, leaves, logs, trainings, evaluations, audit",
    ),
    (
        "export.encoding",
        "CSV 的编码：utf8（带 BOM：Excel 2016 及以后、WPS、LibreOffice）或 gbk（较老的 Excel 和 WPS）",
        "CSV's encoding: utf8 (with BOM: Excel 2016+, WPS, LibreOffice) or gbk (older Excel and WPS)",
    ),
    ("export.format", "格式：csv 或 xlsx（默认 xlsx）", "csv or xlsx (default xlsx)"),
    (
        "export.out",
        "写到哪个文件（默认：当前文件夹里带日期的文件名）",
        "File to write (default: a dated name in the current folder)",
    ),
    (
        "export.full_numbers",
        "电话号码完整导出，不打码（记入操作记录）",
        "Phone numbers in full instead of masked (recorded in the audit trail)",
    ),
    (
        "export.by",
        "谁导出（社区工作者的姓名或编号；默认：上次的操作人）",
        "Who exports (a worker's name or number; default: the last operator)",
    ),
    (
        "profile",
        "社区信息（印在每张表、月报和证明上）：不带选项时显示，带选项时修改",
        "The community profile printed on every sheet, report and certificate: shown, or set with the options given",
    ),
    ("profile.name", "社区名称", "The community's name"),
    ("profile.street", "所属街道", "The street office it belongs to"),
    ("profile.address", "地址", "Address"),
    ("profile.phone", "联系电话", "Phone"),
    ("profile.head", "负责人（在证明和月报上签字）", "The head who signs certificates and reports"),
    (
        "profile.issuer",
        "证明的出具单位（如 幸福里社区居民委员会）",
        "Issuer on certificates (e.g. 幸福里社区居民委员会)",
    ),
    ("profile.letterhead", "每份打印件标题上方的一行信头", "A line above every printout's title"),
    (
        "id-number",
        "志愿者或居民的身份证号：打码显示、设置（检查校验位）、清除，或显示完整号码（记入操作记录）",
        "A volunteer's or resident's ID number: shown masked, set (checked against its check digit), cleared, or revealed (recorded)",
    ),
    ("id-number.kind", "volunteer（志愿者）或 resident（居民）", "volunteer or resident"),
    ("id-number.id", "志愿者或居民在邻里里的编号", "The volunteer's or resident's number in linli"),
    ("id-number.number", "要保存的身份证号（18 位）", "The ID number to keep (18 characters)"),
    ("id-number.clear", "清除已保存的身份证号", "Remove the ID number kept"),
    ("id-number.reveal", "显示完整号码（记入操作记录）", "Show it in full (recorded in the audit trail)"),
    (
        "id-number.by",
        "谁操作（社区工作者的姓名或编号；默认：上次的操作人）",
        "Who does it (a worker's name or number; default: the last operator)",
    ),
    (
        "report",
        "生成某个月的月报（A4 网页或 XLSX），报街道用",
        "Write a month's report (A4 HTML or XLSX) for the street office",
    ),
    ("report.month", "哪个月，如 2026-11（默认：上个月）", "The month, e.g. 2026-11 (default: last month)"),
    ("report.format", "格式：html 或 xlsx（默认 html）", "html or xlsx (default html)"),
    (
        "report.out",
        "写到哪个文件（默认：当前文件夹里的 月报-年-月.html）",
        "File to write (default: 月报-YYYY-MM.html in the current folder)",
    ),
    ("report.by", "制表人（默认：上次的操作人）", "Prepared by (default: the last operator)"),
    (
        "import",
        "从 CSV 或 XLSX 表格导入居民或志愿者（要么全部导入，要么一条不导）",
        "Import residents or volunteers from a CSV or XLSX sheet (all or nothing)",
    ),
    ("import.kind", "导入什么：residents 居民 或 volunteers 志愿者", "What to import: residents or volunteers"),
    ("import.file", "表格文件（CSV 或 XLSX）", "The sheet (CSV or XLSX)"),
    (
        "import.dry_run",
        "只检查并显示将导入什么，不写入任何数据",
        "Check and show what would be imported, write nothing",
    ),
    (
        "import.columns",
        "哪一列是哪个字段，例如 --column phone=联系电话 或 --column name=B",
        "Which column holds a field, e.g. --column phone=联系电话 or --column name=B",
    ),
    ("import.skip_bad_rows", "有些行有错时，仍导入没有错的行", "Import the good rows even if some rows have errors"),
    (
        "import.by",
        "谁导入（社区工作者的姓名或编号；默认：上次的操作人）",
        "Who imports (a worker's name or number; default: the last operator)",
    ),
    (
        "pin",
        "设置或取消开机密码（几个人共用一台电脑时）",
        "Set or clear the start-up PIN (for a PC several people use)",
    ),
    (
        "pin.set",
        "输入新的开机密码（两次），以后每次打开都要输入",
        "Ask for a new PIN (twice) and require it at every start",
    ),
    ("pin.clear", "取消开机密码（需要输入现在的密码）", "Remove the PIN (asks for the current one)"),
    (
        "check",
        "检查每条记录都能读出、每个索引都与记录一致",
        "Check that every record reads and every index agrees with the records",
    ),
    ("check.repair", "索引与记录不一致时，按记录重建索引", "Rebuild the indexes from the records if they disagree"),
];

/// The help text under `key` (see the module comment), if there is one.
pub fn cli_help(lang: Lang, key: &str) -> Option<&'static str> {
    HELP.iter().find(|(k, _, _)| *k == key).map(|(_, zh, en)| if lang == Lang::Zh { *zh } else { *en })
}

/// A placeholder in a usage line (`<DIR>`) in `lang`'s words; English as
/// written in the code.
pub fn cli_value_name(lang: Lang, name: &str) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    Some(match name {
        "DIR" => "文件夹",
        "PATH" => "路径",
        "NAME|ID" => "姓名或编号",
        "FINGERPRINT" => "指纹",
        "FIELD=COLUMN" => "字段=列",
        "KIND" => "种类",
        "FILE" => "文件",
        "SIZE" => "规模",
        "SCALE" => "倍数",
        "SEED" => "种子",
        "TODAY" => "日期",
        "COMMAND" => "命令",
        "OPTIONS" => "选项",
        "NAME" => "姓名",
        "YYYY-MM" => "年-月",
        "ID" => "编号",
        "NUMBER" => "身份证号",
        _ => return None,
    })
}

/// The headings of clap's help page.
pub struct HelpHeadings {
    /// Ends with its own space where the language wants one.
    pub usage: &'static str,
    pub commands: &'static str,
    pub arguments: &'static str,
    pub options: &'static str,
}

pub fn cli_headings(lang: Lang) -> HelpHeadings {
    match lang {
        Lang::Zh => {
            HelpHeadings { usage: "用法：", commands: "命令：", arguments: "参数：", options: "选项：" }
        }
        Lang::En => {
            HelpHeadings { usage: "Usage: ", commands: "Commands:", arguments: "Arguments:", options: "Options:" }
        }
    }
}

/// A command line clap could not read, in Chinese (clap says it in English
/// only; English users get clap's own words). Each `{}` is filled in order.
pub struct UsageErrorText {
    pub unknown_argument: &'static str,
    pub unknown_command: &'static str,
    pub did_you_mean: &'static str,
    pub invalid_value: &'static str,
    pub valid_values: &'static str,
    pub missing: &'static str,
    pub missing_command: &'static str,
    pub conflict: &'static str,
    pub too_many: &'static str,
    pub value_count: &'static str,
    pub needs_value: &'static str,
    pub not_utf8: &'static str,
    pub other: &'static str,
    pub more_help: &'static str,
}

pub static USAGE_ERRORS_ZH: UsageErrorText = UsageErrorText {
    unknown_argument: "不认识这个参数：{}",
    unknown_command: "没有“{}”这个命令",
    did_you_mean: "您是不是想写：{}",
    invalid_value: "{} 不能取“{}”",
    valid_values: "可以写：{}",
    missing: "还缺：{}",
    missing_command: "请写出要做的事（命令）",
    conflict: "{} 不能和 {} 一起用",
    too_many: "多出来的参数：{}",
    value_count: "{} 要给 {} 个值",
    needs_value: "{} 后面要写上值",
    not_utf8: "参数里有无法识别的字符",
    other: "命令行写得不对",
    more_help: "想看说明，请运行：{} --help",
};
