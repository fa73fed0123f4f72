//! Named styles: panels ask for `theme.overdue`, never for a colour. With
//! `NO_COLOR` set, the monochrome theme says the same with bold, underline
//! and reverse video, and marks in the text carry the meaning anyway.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub base: Style,
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub title: Style,
    pub column_head: Style,
    pub selected: Style,
    pub overdue: Style,
    pub due_soon: Style,
    pub done: Style,
    pub dim: Style,
    pub key: Style,
    pub error: Style,
    pub warn: Style,
    pub ok: Style,
    pub border: Style,
    pub focus: Style,
    pub input: Style,
}

impl Theme {
    pub fn color() -> Theme {
        Theme {
            base: Style::new(),
            header: Style::new().bg(Color::Blue).fg(Color::White),
            tab: Style::new().bg(Color::Blue).fg(Color::Gray),
            tab_active: Style::new().bg(Color::White).fg(Color::Blue).add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            column_head: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::DarkGray).fg(Color::White).add_modifier(Modifier::BOLD),
            overdue: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            due_soon: Style::new().fg(Color::Yellow),
            done: Style::new().fg(Color::DarkGray),
            dim: Style::new().fg(Color::DarkGray),
            key: Style::new().fg(Color::Black).bg(Color::Cyan),
            error: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            border: Style::new().fg(Color::Cyan),
            focus: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            input: Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    pub fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            base: plain,
            header: plain.add_modifier(Modifier::REVERSED),
            tab: plain.add_modifier(Modifier::REVERSED),
            tab_active: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            title: plain.add_modifier(Modifier::BOLD),
            column_head: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: plain.add_modifier(Modifier::REVERSED),
            overdue: plain.add_modifier(Modifier::BOLD),
            due_soon: plain.add_modifier(Modifier::UNDERLINED),
            done: plain,
            dim: plain,
            key: plain.add_modifier(Modifier::REVERSED),
            error: plain.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            warn: plain.add_modifier(Modifier::BOLD),
            ok: plain,
            border: plain,
            focus: plain.add_modifier(Modifier::BOLD),
            input: plain.add_modifier(Modifier::UNDERLINED),
        }
    }

    /// `NO_COLOR` (any non-empty value, see no-color.org) picks monochrome.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::color(),
        }
    }
}
