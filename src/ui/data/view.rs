//! Drawing the data screens.

use super::{BackupStep, DataView, ImportStep, KINDS, RestoreStep, bar, kind_at, mb};
use crate::domain::text::width;
use crate::i18n;
use crate::i18n::Lang;
use crate::ui::text::{boxed, line};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

impl DataView {
    /// Draws the screen over `area`; returns where the cursor belongs.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) -> Option<Position> {
        let colon = lang.t().colon;
        let d = lang.data_ui();
        let r = area;
        let title = match self {
            DataView::Menu(_) => d.title,
            DataView::Backup { .. } => d.backup,
            DataView::Restore { .. } => d.restore,
            DataView::Export { .. } => d.export,
            DataView::Import { volunteers: false, .. } => d.import,
            DataView::Import { volunteers: true, .. } => d.import_volunteers,
            DataView::Report { .. } => d.report,
        };
        // the keys of the screen and step shown, from the key map
        let keys = &crate::ui::keymap::hint_line(lang, self.scope());
        let inner = boxed(r, buf, theme, title);
        let (x, w) = (inner.x + 1, inner.width.saturating_sub(2));
        let mut y = inner.y;
        let bottom = inner.bottom().saturating_sub(1);
        line(buf, x, bottom, w, keys, theme.dim);
        let put = |buf: &mut Buffer, y: &mut u16, s: &str, style| {
            if *y < bottom {
                line(buf, x, *y, w, s, style);
                *y += 1;
            }
        };
        let mut cursor = None;
        match self {
            DataView::Menu(sel) => {
                for (i, item) in d.items.iter().enumerate() {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    put(buf, &mut y, &format!("{mark} {} {item}", i + 1), style);
                }
            }
            DataView::Backup { targets, sel, typed, step } => {
                put(buf, &mut y, d.pick_target, theme.base);
                for (i, t) in targets.iter().enumerate() {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    let free = t.free.map(|b| format!("  {} {}", d.free, mb(b))).unwrap_or_default();
                    let kind = if t.removable { d.removable } else { "" };
                    put(buf, &mut y, &format!("{mark} {} {kind} {}{free}", t.label, t.path.display()), style);
                }
                let style = if *sel == targets.len() { theme.selected } else { theme.base };
                let mark = if *sel == targets.len() { ">" } else { " " };
                let label = format!("{mark} {}{colon}", d.typed_path);
                let lw = width(&label) as u16;
                put(buf, &mut y, &label, style);
                if y - 1 < bottom {
                    let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                    if *sel == targets.len() && matches!(step, BackupStep::Choose) {
                        cursor = Some(p);
                    }
                }
                y += 1;
                match step {
                    BackupStep::Choose => {}
                    BackupStep::AskEncrypt(_) => put(buf, &mut y, d.suggest_encrypt, theme.warn),
                    BackupStep::Pass(_, input, first) => {
                        let label = if first.is_some() { d.pass_again } else { d.pass };
                        let stars = "*".repeat(input.value().chars().count());
                        put(buf, &mut y, &format!("{label}{colon}{stars}"), theme.focus);
                        cursor = Some(Position::new(x + width(label) as u16 + 2 + stars.len() as u16, y - 1));
                    }
                    BackupStep::Running(a, b) => {
                        put(buf, &mut y, d.working, theme.base);
                        put(buf, &mut y, &bar(*a, *b, (w as usize).saturating_sub(8).min(50)), theme.focus);
                    }
                    BackupStep::Done(s) => {
                        put(buf, &mut y, &bar(1, 1, (w as usize).saturating_sub(8).min(50)), theme.ok);
                        for l in crate::ui::text::wrap(s, w as usize) {
                            put(buf, &mut y, &l, theme.ok);
                        }
                    }
                    BackupStep::Failed(s) => {
                        for l in crate::ui::text::wrap(&format!("! {s}"), w as usize) {
                            put(buf, &mut y, &l, theme.error);
                        }
                    }
                }
            }
            DataView::Restore { files, sel, typed, step } => match step {
                RestoreStep::Choose | RestoreStep::Failed(_) => {
                    put(buf, &mut y, d.pick_file, theme.base);
                    let room = bottom.saturating_sub(y + 3) as usize;
                    let start = sel.saturating_sub(room.saturating_sub(1)).min(files.len());
                    for (i, f) in files.iter().enumerate().skip(start).take(room) {
                        let style = if i == *sel { theme.selected } else { theme.base };
                        let mark = if i == *sel { ">" } else { " " };
                        put(buf, &mut y, &format!("{mark} {}", f.display()), style);
                    }
                    let style = if *sel == files.len() { theme.selected } else { theme.base };
                    let mark = if *sel == files.len() { ">" } else { " " };
                    let label = format!("{mark} {}{colon}", d.typed_path);
                    let lw = width(&label) as u16;
                    put(buf, &mut y, &label, style);
                    let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                    if *sel == files.len() {
                        cursor = Some(p);
                    }
                    if let RestoreStep::Failed(s) = step {
                        put(buf, &mut y, &format!("! {s}"), theme.error);
                    }
                }
                RestoreStep::Pass(path, input) => {
                    put(buf, &mut y, &path.display().to_string(), theme.base);
                    let stars = "*".repeat(input.value().chars().count());
                    put(buf, &mut y, &format!("{}{colon}{stars}", d.pass), theme.focus);
                    cursor = Some(Position::new(x + width(d.pass) as u16 + 2 + stars.len() as u16, y - 1));
                }
                RestoreStep::Preview(path, _, summary, foreign) => {
                    put(buf, &mut y, &path.display().to_string(), theme.base);
                    y += 1;
                    for l in summary.lines().flat_map(|l| crate::ui::text::wrap(l, w as usize)) {
                        put(buf, &mut y, &l, theme.base);
                    }
                    y += 1;
                    for l in crate::ui::text::wrap(d.restore_warning, w as usize) {
                        put(buf, &mut y, &l, theme.warn);
                    }
                    match foreign {
                        None => put(buf, &mut y, d.restore_question, theme.focus),
                        Some(s) => {
                            let ask = crate::i18n::fill(lang.trust().confirm_foreign_key, s.describe());
                            for l in crate::ui::text::wrap(&ask, w as usize) {
                                put(buf, &mut y, &l, theme.error);
                            }
                        }
                    }
                }
            },
            DataView::Export { sel, xlsx, full, result, running } => {
                // in two columns: every kind fits at 80×24
                let rows = KINDS.div_ceil(2) as u16;
                let col_w = w / 2;
                for i in 0..KINDS {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    let (cx, cy) = (x + (i as u16 / rows) * col_w, y + i as u16 % rows);
                    if cy < bottom {
                        let label = format!("{mark} {}", i18n::as_label(&i18n::section(lang, kind_at(i).name())));
                        line(buf, cx, cy, col_w.saturating_sub(1), &label, style);
                    }
                }
                y += rows;
                y += 1;
                put(
                    buf,
                    &mut y,
                    &format!("{}{colon}{}", d.format, if *xlsx { "XLSX" } else { "CSV (UTF-8 BOM)" }),
                    theme.base,
                );
                let numbers = if *full { d.numbers_full } else { d.numbers_masked };
                put(
                    buf,
                    &mut y,
                    &format!("{}{colon}{numbers}", d.numbers),
                    if *full { theme.warn } else { theme.base },
                );
                if let Some((a, b)) = running {
                    y += 1;
                    put(buf, &mut y, &i18n::fill_all(d.exporting, &[a, b]), theme.dim);
                    put(buf, &mut y, &super::bar(*a, *b, (w as usize).saturating_sub(8).min(40)), theme.focus);
                } else if let Some((s, err)) = result {
                    y += 1;
                    for l in crate::ui::text::wrap(s, w as usize) {
                        put(buf, &mut y, &l, if *err { theme.error } else { theme.ok });
                    }
                }
            }
            DataView::Import { typed, step, volunteers } => {
                let label = format!("{}{colon}", d.file);
                let lw = width(&label) as u16;
                put(buf, &mut y, &label, theme.base);
                let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                if step.edits_path() {
                    cursor = Some(p);
                }
                match step {
                    ImportStep::Choose => {
                        put(buf, &mut y, if *volunteers { d.import_hint_volunteers } else { d.import_hint }, theme.dim);
                    }
                    ImportStep::Reading => put(buf, &mut y, d.import_reading, theme.dim),
                    ImportStep::Importing(n) => {
                        for l in crate::ui::text::wrap(&i18n::fill(d.importing, n), w as usize) {
                            put(buf, &mut y, &l, theme.base);
                        }
                    }
                    ImportStep::Failed(s) => {
                        for l in crate::ui::text::wrap(&format!("! {s}"), w as usize) {
                            put(buf, &mut y, &l, theme.error);
                        }
                        put(buf, &mut y, d.fix_path, theme.dim);
                    }
                    ImportStep::Preview(p, rows) => {
                        let head = i18n::fill_all(d.import_preview, &[&p.to_import(), &p.duplicates(), &p.errors()]);
                        put(buf, &mut y, &head, theme.base);
                        let room = bottom.saturating_sub(y + 1) as usize;
                        for r in rows.iter().take(room) {
                            put(buf, &mut y, r, theme.warn);
                        }
                        if p.errors() > 0 {
                            put(buf, &mut y, d.import_has_errors, theme.error);
                            put(buf, &mut y, d.fix_path, theme.dim);
                        } else {
                            put(buf, &mut y, d.import_question, theme.focus);
                        }
                    }
                    ImportStep::Done(s, err) => {
                        for l in crate::ui::text::wrap(s, w as usize) {
                            put(buf, &mut y, &l, if *err { theme.error } else { theme.ok });
                        }
                    }
                }
            }
            DataView::Report { month, lines, scroll, result, .. } => {
                let t = lang.report();
                put(buf, &mut y, &format!("< {} {} >", t.title, month.label()), theme.title);
                let room = bottom.saturating_sub(y + if result.is_some() { 1 } else { 0 }) as usize;
                for (l, head) in lines.iter().skip(*scroll as usize).take(room) {
                    put(buf, &mut y, l, if *head { theme.column_head } else { theme.base });
                }
                if let Some((s, err)) = result {
                    line(buf, x, bottom - 1, w, s, if *err { theme.error } else { theme.ok });
                }
            }
        }
        cursor
    }
}
