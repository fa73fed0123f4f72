//! Pasting where the terminal has no bracketed paste (the Windows console):
//! pasted text arrives as key presses, one per character, its line breaks
//! as Enter, which would submit the form halfway through the text. The
//! input thread reads every event already waiting along with the first one
//! (a batch); a person types one key at a time and the thread wakes for
//! each, so keys waiting together were pasted (or sent by an IME). A batch
//! with more than one key press and an Enter among them has its runs of
//! text keys turned into one paste, which a text field takes with its
//! line breaks as spaces, exactly as a bracketed paste; other keys in it
//! (arrows, Esc, a Ctrl key) stay keys. A batch without an Enter (an IME's
//! phrase, typed-ahead keys) is left as it came.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The batch as the app should see it.
pub fn coalesce(batch: Vec<Event>) -> Vec<Event> {
    let presses = batch.iter().filter(|e| matches!(e, Event::Key(k) if k.kind != KeyEventKind::Release)).count();
    let enter =
        batch.iter().any(|e| matches!(e, Event::Key(k) if k.kind != KeyEventKind::Release && text_of(k) == Some('\n')));
    if presses < 2 || !enter {
        return batch;
    }
    let mut out = Vec::new();
    let mut text = String::new();
    for ev in batch {
        match &ev {
            Event::Key(k) if text_of(k).is_some() => {
                // a key's release (Windows reports both) is nothing to paste
                if k.kind != KeyEventKind::Release
                    && let Some(c) = text_of(k)
                {
                    text.push(c);
                }
            }
            _ => {
                if !text.is_empty() {
                    out.push(Event::Paste(std::mem::take(&mut text)));
                }
                out.push(ev);
            }
        }
    }
    if !text.is_empty() {
        out.push(Event::Paste(text));
    }
    out
}

/// The character a key types into text, if it is a text key: a character
/// (Shift allowed), Enter as a line break, Tab.
fn text_of(k: &KeyEvent) -> Option<char> {
    if !(k.modifiers - KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    match k.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn release(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new_with_kind(code, KeyModifiers::NONE, KeyEventKind::Release))
    }

    /// Text as the Windows console delivers a paste: a press and a release
    /// for every character, line breaks as Enter.
    fn console_paste(s: &str) -> Vec<Event> {
        s.chars()
            .flat_map(|c| {
                let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
                [press(code), release(code)]
            })
            .collect()
    }

    fn has_enter(events: &[Event]) -> bool {
        events.iter().any(|e| matches!(e, Event::Key(k) if k.code == KeyCode::Enter && k.kind != KeyEventKind::Release))
    }

    #[test]
    fn a_pasted_address_with_line_breaks_never_presses_enter() {
        let got = coalesce(console_paste("幸福里小区3栋\n2单元501\n"));
        assert_eq!(got, [Event::Paste("幸福里小区3栋\n2单元501\n".into())]);
        assert!(!has_enter(&got));
        // a line copied from a sheet: text, then its line break
        assert_eq!(coalesce(console_paste("13800138000\n")), [Event::Paste("13800138000\n".into())]);
        // the shortest: one character and Enter, waiting together
        assert_eq!(coalesce(vec![press(KeyCode::Char('1')), press(KeyCode::Enter)]), [Event::Paste("1\n".into())]);
    }

    #[test]
    fn keys_typed_one_at_a_time_stay_keys() {
        // the input thread wakes for each: batches of one
        for ev in console_paste("张三\n") {
            assert_eq!(coalesce(vec![ev.clone()]), [ev]);
        }
        // an IME's phrase arrives at once, without Enter: left as typed
        let phrase = console_paste("楼道灯不亮");
        assert_eq!(coalesce(phrase.clone()), phrase);
        // Enter with its own release only
        let enter = vec![press(KeyCode::Enter), release(KeyCode::Enter)];
        assert_eq!(coalesce(enter.clone()), enter);
    }

    #[test]
    fn other_keys_in_a_burst_stay_keys_in_their_place() {
        let ctrl_s = Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        let mut batch = console_paste("a\nb");
        batch.push(press(KeyCode::Down));
        batch.extend(console_paste("c\n"));
        batch.push(ctrl_s.clone());
        assert_eq!(
            coalesce(batch),
            [Event::Paste("a\nb".into()), press(KeyCode::Down), Event::Paste("c\n".into()), ctrl_s]
        );
        // capitals come with Shift and are text
        let shifted = Event::Key(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT));
        assert_eq!(coalesce(vec![shifted, press(KeyCode::Enter)]), [Event::Paste("A\n".into())]);
    }
}
