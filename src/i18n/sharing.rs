//! The words of several staff on one store at once (issue 18): the header's
//! count of colleagues, `linli who`, and what a client says when the store
//! server stops or cannot start. Reached as `lang.sharing()`.

use super::Lang;

#[derive(serde::Serialize)]
pub struct SharingText {
    /// The header's badge: `同事 {}` (colleagues connected besides me).
    pub colleagues_badge: &'static str,
    /// `linli who`'s column heads.
    pub who_heads: [&'static str; 4],
    pub who_nobody: &'static str,
    /// No operator chosen yet at that terminal.
    pub who_choosing: &'static str,
    /// The server went away with this client attached.
    pub server_gone: &'static str,
    /// The server said it is stopping (a signal, a shutdown).
    pub server_stopping: &'static str,
    /// The server could not be started: this window opens the store itself.
    pub server_failed: &'static str,
    /// Another build of linli runs the server.
    pub other_version: &'static str,
    /// After a command's refusal while colleagues are on: how many.
    pub exclusive_count: &'static str,
    /// A restore asked for in the app while colleagues are on.
    pub restore_with_colleagues: &'static str,
    /// A client waits: a colleague's window is starting the server, or
    /// the last one is ending it (the index and the day's snapshot saved).
    pub waiting: &'static str,
}

pub fn t(lang: Lang) -> &'static SharingText {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static ZH: SharingText = SharingText {
    colleagues_badge: "同事{}人",
    who_heads: ["操作员", "终端", "进入时间", "进程号"],
    who_nobody: "现在没有人在使用这份数据。",
    who_choosing: "（未选操作员）",
    server_gone: "邻里的数据服务意外停止了。已显示“已保存”的内容都在；请重新运行 linli。",
    server_stopping: "邻里的数据服务已停止（电脑关机或注销）。已保存的内容都在。",
    server_failed: "无法启动数据服务（{}），本窗口单独打开数据，同事暂时不能同时使用。",
    other_version: "另一个版本的邻里正在使用这份数据（{}）：请所有人退出后，再用同一版本打开。",
    exclusive_count: "（现在有 {} 人在用）",
    restore_with_colleagues: "还有 {} 位同事正在使用：请大家先退出邻里，再恢复备份。",
    waiting: "同事的窗口正在打开或保存数据，稍等……",
};

static EN: SharingText = SharingText {
    colleagues_badge: "+{} on",
    who_heads: ["Operator", "Terminal", "Since", "PID"],
    who_nobody: "Nobody is using this data now.",
    who_choosing: "(choosing)",
    server_gone: "linli's data service stopped unexpectedly. Everything shown as saved is kept; run linli again.",
    server_stopping: "linli's data service has stopped (the computer is shutting down or logging out). Everything saved is kept.",
    server_failed: "Could not start the data service ({}): this window opens the data on its own, and colleagues cannot join it for now.",
    other_version: "Another version of linli is using this data ({}): ask everyone to quit, then open it with one version.",
    exclusive_count: " ({} using it now)",
    restore_with_colleagues: "{} colleagues are still using linli: ask everyone to quit before restoring a backup.",
    waiting: "A colleague's window is opening or saving the data, one moment…",
};
