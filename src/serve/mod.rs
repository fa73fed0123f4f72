//! The whole office at once (issue 18): the first `linli` on a data dir
//! starts a store server that owns the store and runs one app per
//! connected terminal; every `linli` after it is a client that only passes
//! keys and its window size in and writes the frames it gets back (the
//! tmux model). Command-line commands run inside the server too, on the
//! store it already has open.
//!
//! The connection is a Unix domain socket in the data dir, owner-only; on
//! Windows a loopback connection that must give a key kept in the data dir
//! (`sock`). On Windows sharing is used only when the office asks for it
//! (`LINLI_SHARE=1`, see `cli::serving::alone`): the server and the
//! command-line path are run under Wine, the client's screen has not been
//! tried on a Windows console yet. With `--alone` linli opens the store
//! itself as before.

/// Where a command run inside the server prints and asks: the terminal of
/// the `linli` that asked for it, over the socket.
pub trait CliIo: Send {
    /// Bytes for the client's standard output.
    fn out(&mut self, bytes: &[u8]);
    /// Bytes for the client's standard error (messages, prompts, progress).
    fn err(&mut self, bytes: &[u8]);
    /// Asks at the client's terminal (`secret`: without echo, as a PIN).
    /// `None` when there is no answer (no terminal there, or it went away).
    fn ask(&mut self, prompt: &str, secret: bool) -> Option<String>;
}

/// How a command run inside the server ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hosted {
    /// The exit code the client's `linli` ends with.
    pub code: i32,
    /// It may have written records (an import): the server reads its
    /// lists again and every screen catches up.
    pub wrote: bool,
}

pub mod client;
pub mod server;
pub mod sock;
pub mod wire;

/// The server's socket (on Windows: its port and key): in the data dir,
/// which only its owner may enter.
pub fn socket_path(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("linli.sock")
}
