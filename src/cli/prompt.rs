//! Asking the person at the terminal for a secret (a PIN, a backup
//! passphrase) without showing it. One implementation for every command.

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::crossterm::terminal;
use std::io::{IsTerminal, Write};

/// Where a secret may come from when standard input is not a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piped {
    /// Read one line of standard input (a script pipes the secret in).
    ReadLine,
    /// Refuse: the caller has its own way for scripts (an environment
    /// variable) and says so.
    Refuse,
}

/// Reads a secret without echoing it. `None` when the user pressed Esc or
/// Ctrl+C, when standard input is closed, or when it is not a terminal and
/// `piped` is [`Piped::Refuse`]. Inside the server, the terminal of the
/// `linli` that sent the command is asked (see `out::with_sink`).
pub fn read_secret(prompt: &str, piped: Piped) -> Option<String> {
    if let Some(answer) = super::out::ask(prompt, true) {
        return answer;
    }
    if !std::io::stdin().is_terminal() {
        if piped == Piped::Refuse {
            return None;
        }
        super::out::err_part(prompt);
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        return match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
        };
    }
    /// Leaves raw mode however the loop ends.
    struct Raw;
    impl Drop for Raw {
        fn drop(&mut self) {
            let _ = terminal::disable_raw_mode();
        }
    }
    super::out::err_part(prompt);
    let _ = std::io::stderr().flush();
    terminal::enable_raw_mode().ok()?;
    let raw = Raw;
    let mut s = String::new();
    let out = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Some(s),
                KeyCode::Esc => break None,
                KeyCode::Char('c' | 'd') if k.modifiers.contains(KeyModifiers::CONTROL) => break None,
                KeyCode::Backspace => {
                    s.pop();
                }
                KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => s.push(c),
                _ => {}
            },
            // a pasted secret: its line breaks are not part of it
            Ok(Event::Paste(p)) => s.extend(p.chars().filter(|c| !c.is_control())),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    drop(raw);
    super::out::err_line("");
    out
}
