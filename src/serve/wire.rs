//! What client and server say to each other over the socket: one message
//! is its length (4 bytes, little-endian) and then its postcard encoding.
//! A message over [`MAX_MESSAGE`] is refused as damage, never allocated.

use ratatui::crossterm::event::Event;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// Raised whenever a message changes shape: a client and a server of two
/// different builds refuse each other with a clear message.
pub const VERSION: u32 = 1;

/// The largest message either side accepts (a full-screen frame at 300×100
/// with colours is well under 1 MB; a command's output comes in pieces).
pub const MAX_MESSAGE: usize = 8 << 20;

/// From a client to the server.
#[derive(Debug, Serialize, Deserialize)]
pub enum Up {
    /// A terminal joins: who and where, for `linli who` and the app.
    Hello(Hello),
    /// A key, a paste or a resize at the client's terminal.
    Event(Event),
    /// A command line to run on the server's store (`linli backup …`).
    Exec(Exec),
    /// The answer to an [`Down::Ask`] (`None`: no answer to give).
    Answer(Option<String>),
    /// `linli who`: the list, then the server closes the connection.
    Who,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hello {
    pub version: u32,
    /// `zh` or `en`, as `--lang` / LINLI_LANG chose at the client.
    pub lang: String,
    /// NO_COLOR was set at the client.
    pub mono: bool,
    pub width: u16,
    pub height: u16,
    /// The client's terminal as `linli who` shows it (`pts/3`,
    /// `ssh 192.168.1.23`).
    pub terminal: String,
    pub pid: u32,
    /// A line for the app's message line (what a restore just did), and
    /// whether it is an error.
    pub message: Option<(String, bool)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exec {
    pub version: u32,
    pub argv: Vec<String>,
    pub cwd: String,
    pub lang: Option<String>,
}

/// From the server to a client.
#[derive(Debug, Serialize, Deserialize)]
pub enum Down {
    /// Bytes for the terminal, as they are.
    Frame(Vec<u8>),
    /// The app ended for this client: what to say, and what to do next.
    Bye(Bye),
    /// A command's output: standard output, standard error.
    Out(Vec<u8>),
    Err(Vec<u8>),
    /// A command asks at the client's terminal.
    Ask { prompt: String, secret: bool },
    /// The command ended with this exit code.
    Exit(i32),
    /// Who is connected.
    Who(Vec<WhoRow>),
    /// The server refuses the client (another build, or it is stopping).
    Refused(String),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Bye {
    /// The user quit.
    Quit,
    /// The user asked for the demo data (the client opens it).
    OpenDemo,
    /// The user confirmed a restore, and nobody else is connected: the
    /// server has stopped, the client restores and starts again.
    Restore { file: String, passphrase: Option<String>, accept_key: Option<String> },
    /// The server is stopping (a signal, or the machine shutting down).
    Stopping,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WhoRow {
    /// The operator chosen at that terminal, if one is chosen yet.
    pub operator: Option<String>,
    pub terminal: String,
    /// When it joined, `YYYY-MM-DD HH:MM`.
    pub since: String,
    pub pid: u32,
}

/// Writes one message.
pub fn send<W: Write, T: Serialize>(w: &mut W, msg: &T) -> io::Result<()> {
    let body = postcard::to_stdvec(msg).map_err(io::Error::other)?;
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    w.write_all(&out)?;
    w.flush()
}

/// Reads one message; `Ok(None)` at a clean end of the stream.
pub fn recv<R: Read, T: for<'de> Deserialize<'de>>(r: &mut R) -> io::Result<Option<T>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_MESSAGE {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("message of {len} bytes")));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    postcard::from_bytes(&body).map(Some).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn messages_round_trip_and_a_stream_ends_cleanly() {
        let mut buf = Vec::new();
        let key = Event::Key(KeyEvent::new(KeyCode::Char('楼'), KeyModifiers::CONTROL));
        send(&mut buf, &Up::Event(key.clone())).unwrap();
        send(&mut buf, &Up::Event(Event::Paste("张三\n李四".into()))).unwrap();
        let mut r = &buf[..];
        match recv::<_, Up>(&mut r).unwrap() {
            Some(Up::Event(e)) => assert_eq!(e, key),
            other => panic!("{other:?}"),
        }
        assert!(matches!(recv::<_, Up>(&mut r).unwrap(), Some(Up::Event(Event::Paste(s))) if s == "张三\n李四"));
        assert!(recv::<_, Up>(&mut r).unwrap().is_none());
    }

    #[test]
    fn an_oversized_or_cut_message_is_an_error_not_an_allocation() {
        let mut r = &((MAX_MESSAGE as u32) + 1).to_le_bytes()[..];
        assert_eq!(recv::<_, Up>(&mut r).unwrap_err().kind(), io::ErrorKind::InvalidData);
        let mut buf = Vec::new();
        send(&mut buf, &Down::Frame(vec![7; 100])).unwrap();
        buf.truncate(50);
        assert!(recv::<_, Down>(&mut &buf[..]).is_err());
    }
}
