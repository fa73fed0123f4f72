//! The words of command-line commands run inside the store server (issue
//! 18): why a command needs the data to itself, and what a command that
//! broke down says. Reached as `i18n::hosted::t(lang)`.

use super::Lang;

#[derive(serde::Serialize)]
pub struct HostedText {
    /// `linli {}` cannot run while colleagues are in linli (restore, gen).
    pub exclusive: &'static str,
    /// After [`HostedText::exclusive`] for `check --repair`.
    pub check_without_repair: &'static str,
    /// The app itself was sent to run as a command.
    pub not_a_command: &'static str,
    /// A command stopped by a program error inside the server.
    pub broke_down: &'static str,
}

static ZH: HostedText = HostedText {
    exclusive: "“linli {}”需要独占数据，而现在有人正在用邻里：请大家先退出邻里，再运行一次。",
    check_without_repair: "不加 --repair 的检查现在就可以运行。",
    not_a_command: "这里只能运行命令；要打开邻里，请直接运行 linli。",
    broke_down: "命令因程序出错而中止；同事们的邻里照常运行，已保存的数据都在。请把这条消息告诉维护邻里的人。",
};

static EN: HostedText = HostedText {
    exclusive: "`linli {}` needs the data to itself and linli is in use now: ask everyone to close linli, then run it again.",
    check_without_repair: "A check without --repair can run now.",
    not_a_command: "Only commands run here; to open linli, run linli by itself.",
    broke_down: "The command stopped on a program error; colleagues' linli goes on and everything saved is kept. Please tell whoever looks after linli.",
};

pub fn t(lang: Lang) -> &'static HostedText {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
