//! The server's connection, on each platform.
//!
//! - **Unix**: a Unix domain socket, `linli.sock` in the data dir, owner-only
//!   (0600 in a 0700 dir): another OS account cannot connect.
//! - **Windows**: a TCP connection on the loopback address (Windows' own
//!   Unix domain sockets exist from 10 1803 on, but std has them only on
//!   nightly, and Wine, on which the Windows build is tried, has none).
//!   `linli.sock` is then a small file in the data dir naming the port and a
//!   random key of 32 bytes; a connection is served only after its first
//!   bytes are that key. The data dir lies in the user's own profile, which
//!   other accounts cannot read, so they cannot connect either, and the port
//!   listens on 127.0.0.1 only: nothing from the network reaches it.
//!
//! The loopback way also runs on Unix when `LINLI_SERVE_TCP=1` is set (the
//! tests use it to run the Windows way here).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
#[cfg(unix)]
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// The key's length in bytes (sent as they are, first on a connection).
const KEY_LEN: usize = 32;

/// Whether this Unix process uses the loopback way (Windows always does).
#[cfg(unix)]
fn tcp() -> bool {
    std::env::var("LINLI_SERVE_TCP").is_ok_and(|v| v == "1")
}

/// One connection to or from the server.
#[derive(Debug)]
pub enum Stream {
    #[cfg(unix)]
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    /// Connects to the server whose socket (or port file) is `path`.
    pub fn connect(path: &Path) -> io::Result<Stream> {
        #[cfg(unix)]
        if !tcp() {
            return UnixStream::connect(path).map(Stream::Unix);
        }
        let (port, key) = read_port_file(path)?;
        let mut s = TcpStream::connect(("127.0.0.1", port))?;
        s.set_nodelay(true)?;
        s.write_all(&key)?;
        Ok(Stream::Tcp(s))
    }

    pub fn try_clone(&self) -> io::Result<Stream> {
        match self {
            #[cfg(unix)]
            Stream::Unix(s) => s.try_clone().map(Stream::Unix),
            Stream::Tcp(s) => s.try_clone().map(Stream::Tcp),
        }
    }

    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Stream::Unix(s) => s.shutdown(how),
            Stream::Tcp(s) => s.shutdown(how),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

/// The server's end: where connections come in.
pub enum Listener {
    #[cfg(unix)]
    Unix(UnixListener),
    /// Connections that gave the key (checked on threads of their own, so
    /// one that sends nothing holds up nobody else's).
    Tcp(Receiver<TcpStream>),
}

impl Listener {
    /// Listens at `path` (the server holds the store's lock: whatever is at
    /// `path` is a dead server's and is replaced).
    pub fn bind(path: &Path) -> io::Result<Listener> {
        let _ = std::fs::remove_file(path);
        #[cfg(unix)]
        if !tcp() {
            use std::os::unix::fs::PermissionsExt;
            let l = UnixListener::bind(path)?;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            return Ok(Listener::Unix(l));
        }
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let mut key = [0u8; KEY_LEN];
        getrandom::getrandom(&mut key).map_err(io::Error::other)?;
        write_port_file(path, listener.local_addr()?.port(), &key)?;
        Ok(Listener::admitting(listener, key))
    }

    /// Accepts loopback connections, each served once it has sent `key`
    /// (within a second).
    fn admitting(listener: TcpListener, key: [u8; KEY_LEN]) -> Listener {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for s in listener.incoming() {
                let Ok(mut s) = s else { continue };
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let mut got = [0u8; KEY_LEN];
                    let read = s.set_read_timeout(Some(Duration::from_secs(1))).and_then(|_| s.read_exact(&mut got));
                    // compared whole (no early exit on the first differing byte)
                    let same = got.iter().zip(key).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
                    if read.is_ok() && same && s.set_read_timeout(None).and_then(|_| s.set_nodelay(true)).is_ok() {
                        let _ = tx.send(s);
                    } else {
                        let _ = s.shutdown(Shutdown::Both);
                    }
                });
            }
        });
        Listener::Tcp(rx)
    }

    /// The next connection that may be served.
    pub fn accept(&self) -> io::Result<Stream> {
        match self {
            #[cfg(unix)]
            Listener::Unix(l) => l.accept().map(|(s, _)| Stream::Unix(s)),
            Listener::Tcp(rx) => rx.recv().map(Stream::Tcp).map_err(|_| io::ErrorKind::BrokenPipe.into()),
        }
    }
}

/// `linli.sock` on the loopback way: `PORT HEXKEY`, written owner-only
/// under another name and renamed into place, so a client never reads half.
fn write_port_file(path: &Path, port: u16, key: &[u8; KEY_LEN]) -> io::Result<()> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let tmp = PathBuf::from(format!("{}.tmp", path.display()));
    {
        let mut f = crate::platform::private::create_file(&tmp)?;
        f.write_all(format!("{port} {hex}\n").as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn read_port_file(path: &Path) -> io::Result<(u16, [u8; KEY_LEN])> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, format!("{}: not a linli port file", path.display()));
    let text = std::fs::read_to_string(path)?;
    let (port, hex) = text.trim().split_once(' ').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if hex.len() != KEY_LEN * 2 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut key = [0u8; KEY_LEN];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok((port, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp_listener(dir: &Path) -> Listener {
        // the loopback way, whatever this platform's default
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let key = [7u8; KEY_LEN];
        write_port_file(&dir.join("linli.sock"), listener.local_addr().unwrap().port(), &key).unwrap();
        Listener::admitting(listener, key)
    }

    fn connect_tcp(path: &Path, key: &[u8]) -> TcpStream {
        let (port, _) = read_port_file(path).unwrap();
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(key).unwrap();
        s
    }

    #[test]
    fn the_port_file_reads_back_and_rejects_what_is_not_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("linli.sock");
        let key: [u8; KEY_LEN] = std::array::from_fn(|i| i as u8 * 7);
        write_port_file(&p, 40123, &key).unwrap();
        assert_eq!(read_port_file(&p).unwrap(), (40123, key));
        for bad in ["", "40123", "x 00", "40123 zz", &format!("70000 {}", "00".repeat(KEY_LEN))] {
            std::fs::write(&p, bad).unwrap();
            assert!(read_port_file(&p).is_err(), "{bad:?} read as a port file");
        }
    }

    #[test]
    fn a_loopback_connection_is_served_only_with_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let l = tcp_listener(dir.path());
        let path = dir.path().join("linli.sock");
        // one who sends nothing (holding nobody up), a stranger with the
        // wrong key, then the right key: only the last is handed on
        let silent = connect_tcp(&path, &[]);
        let mut wrong = connect_tcp(&path, &[8u8; KEY_LEN]);
        let mut right = connect_tcp(&path, &[7u8; KEY_LEN]);
        right.write_all(b"hello").unwrap();
        let mut served = l.accept().unwrap();
        let mut got = [0u8; 5];
        served.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello", "the first connection served is the one with the key");
        // the refused ones were closed
        let mut buf = [0u8; 1];
        assert_eq!(wrong.read(&mut buf).unwrap_or(0), 0);
        drop(silent);
    }

    #[test]
    fn a_clone_and_a_shutdown_work_on_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let l = tcp_listener(dir.path());
        let path = dir.path().join("linli.sock");
        let client = std::thread::spawn(move || {
            let mut s = connect_tcp(&path, &[7u8; KEY_LEN]);
            let mut all = Vec::new();
            s.read_to_end(&mut all).unwrap();
            all
        });
        let served = l.accept().unwrap();
        let mut w = served.try_clone().unwrap();
        w.write_all(b"frame").unwrap();
        served.shutdown(Shutdown::Both).unwrap();
        assert_eq!(client.join().unwrap(), b"frame", "the clone writes; the shutdown ends the client's read");
    }
}
