//! The data screens' keys, each resolved through the key map (the scope of
//! the screen and step shown, see [`DataView::scope`]); anything else is
//! typed into the path or passphrase line.

use super::*;
use crate::ui::keymap::{self, Action};

/// A key on a data screen.
pub fn handle_key(mut v: Box<DataView>, key: &KeyEvent, sh: &mut Shared, _panels: &mut Panels, stack: &mut Vec<Layer>) {
    let action = keymap::resolve(&[v.scope()], key);
    let keep = match v.as_mut() {
        DataView::Menu(sel) => match action {
            Some(Action::Back) => false,
            Some(Action::Choose) => {
                let n = sh.lang.data_ui().items.len();
                *sel = if matches!(key.code, KeyCode::Up | KeyCode::Char('k')) {
                    sel.saturating_sub(1)
                } else {
                    (*sel + 1).min(n - 1)
                };
                true
            }
            Some(Action::OpenItem) => {
                let i = match key.code {
                    KeyCode::Char(c) => c as usize - '1' as usize,
                    _ => *sel,
                };
                if i == PROFILE_ITEM {
                    // the form opens over the menu; Esc comes back to it
                    sh.open(profile::form(sh));
                } else {
                    *v = screen(sh, i);
                }
                true
            }
            _ => true,
        },
        DataView::Backup { .. } => backup_key(&mut v, key, action, sh),
        DataView::Restore { .. } => restore_key(&mut v, key, action, sh),
        DataView::Export { sel, xlsx, full, result, running } => {
            match action {
                Some(Action::Back) => *v = DataView::Menu(2),
                Some(Action::Choose) if key.code == KeyCode::Up => *sel = sel.saturating_sub(1),
                Some(Action::Choose) => *sel = (*sel + 1).min(KINDS - 1),
                Some(Action::Format) => *xlsx = !*xlsx,
                Some(Action::FullNumbers) => *full = !*full,
                // one export at a time
                Some(Action::Export) if running.is_none() => {
                    *result = exporting::export_kind(sh, kind_at(*sel), *xlsx, *full);
                    if result.is_none() {
                        *running = Some((0, 1));
                    }
                }
                _ => {}
            }
            true
        }
        DataView::Import { .. } => import_key(&mut v, key, action, sh),
        DataView::Report { month, lines, scroll, result, report } => {
            match action {
                Some(Action::Back) => *v = DataView::Menu(4),
                Some(Action::Scroll) if key.code == KeyCode::Up => *scroll = scroll.saturating_sub(1),
                Some(Action::Scroll) => *scroll = (*scroll + 1).min(lines.len().saturating_sub(1) as u16),
                Some(Action::Month) => {
                    *month = if key.code == KeyCode::Left { month.prev() } else { month.next() };
                    (*lines, *report) = reporting::start(sh, *month);
                    *scroll = 0;
                    *result = None;
                }
                Some(Action::Html) => *result = reporting::write(sh, report.as_deref(), "html"),
                Some(Action::Xlsx) => *result = reporting::write(sh, report.as_deref(), "xlsx"),
                _ => {}
            }
            true
        }
    };
    if keep {
        stack.push(Layer::Data(v));
    }
}

fn backup_key(v: &mut DataView, key: &KeyEvent, action: Option<Action>, sh: &mut Shared) -> bool {
    let DataView::Backup { targets, sel, typed, step } = v else { return true };
    let typing = *sel == targets.len();
    if matches!(step, BackupStep::Done(_) | BackupStep::Failed(_)) {
        // the result stays until a key: Esc leaves, the arrows choose
        // again at once, Enter only acknowledges (never a second backup)
        let again = keymap::resolve(&[Scope::DataBackup], key);
        match again {
            Some(Action::Back) => *v = DataView::Menu(0),
            Some(Action::Choose) => {
                *step = BackupStep::Choose;
                return backup_key(v, key, again, sh);
            }
            _ => *step = BackupStep::Choose,
        }
        return true;
    }
    match step {
        BackupStep::Choose => match action {
            Some(Action::Back) => *v = DataView::Menu(0),
            Some(Action::Choose) if key.code == KeyCode::Up => *sel = sel.saturating_sub(1),
            Some(Action::Choose) => *sel = (*sel + 1).min(targets.len()),
            // a letter on the typed path is part of the path
            Some(Action::BackUp | Action::Encrypt) if !typing || action == Some(Action::BackUp) => {
                let (path, removable) = if typing {
                    let p = PathBuf::from(typed.value().trim());
                    let r = crate::platform::drives::is_on_removable(&p, &(sh.data.drives)());
                    (p, r)
                } else {
                    (targets[*sel].path.clone(), targets[*sel].removable)
                };
                if path.as_os_str().is_empty() {
                } else if action == Some(Action::Encrypt) {
                    *step = BackupStep::Pass(path, LineInput::default(), None);
                } else if removable || typing {
                    // a typed path (where `e` is a letter of the path) is
                    // asked about encryption like a stick
                    *step = BackupStep::AskEncrypt(path);
                } else {
                    *step = backing_up::start(sh, path, None);
                }
            }
            _ => {
                if typing {
                    typed.handle_key(key);
                }
            }
        },
        BackupStep::AskEncrypt(path) => match action {
            Some(Action::Yes) => *step = BackupStep::Pass(path.clone(), LineInput::default(), None),
            Some(Action::No) if key.code == KeyCode::Esc => *step = BackupStep::Choose,
            Some(Action::No) => *step = backing_up::start(sh, path.clone(), None),
            _ => {}
        },
        BackupStep::Pass(path, input, first) => match action {
            Some(Action::Back) => *step = BackupStep::Choose,
            Some(Action::Pick) if input.is_empty() => {}
            Some(Action::Pick) => match first.take() {
                None => {
                    *first = Some(input.value());
                    input.clear();
                }
                Some(a) if a == input.value() => *step = backing_up::start(sh, path.clone(), Some(a)),
                Some(_) => {
                    input.clear();
                    sh.fail(sh.lang.data_ui().pass_mismatch);
                }
            },
            _ => {
                input.handle_key(key);
            }
        },
        BackupStep::Running(..) | BackupStep::Done(_) | BackupStep::Failed(_) => {}
    }
    true
}

fn restore_key(v: &mut DataView, key: &KeyEvent, action: Option<Action>, sh: &mut Shared) -> bool {
    let DataView::Restore { files, sel, typed, step } = v else { return true };
    let typing = *sel == files.len();
    if matches!(step, RestoreStep::Failed(_)) {
        // the list is still on screen: its keys work at once (and typing
        // corrects the path), the message goes
        *step = RestoreStep::Choose;
        let action = keymap::resolve(&[Scope::DataRestore], key);
        return restore_key(v, key, action, sh);
    }
    match step {
        RestoreStep::Choose => match action {
            Some(Action::Back) => *v = DataView::Menu(1),
            Some(Action::Choose) if key.code == KeyCode::Up => *sel = sel.saturating_sub(1),
            Some(Action::Choose) => *sel = (*sel + 1).min(files.len()),
            Some(Action::See) => {
                let path = if typing { PathBuf::from(typed.value().trim()) } else { files[*sel].clone() };
                if !path.as_os_str().is_empty() {
                    *step = restoring::peek(sh, path, None);
                }
            }
            _ => {
                if typing {
                    typed.handle_key(key);
                }
            }
        },
        RestoreStep::Pass(path, input) => match action {
            Some(Action::Back) => *step = RestoreStep::Choose,
            Some(Action::Pick) if !input.is_empty() => *step = restoring::peek(sh, path.clone(), Some(input.value())),
            Some(Action::Pick) => {}
            _ => {
                input.handle_key(key);
            }
        },
        RestoreStep::Preview(path, pass, _, foreign) => match action {
            // the scope offers `Yes` for a backup signed here, `AcceptKey`
            // for one signed elsewhere: never both
            Some(Action::Yes) | Some(Action::AcceptKey) => {
                let accept_key = foreign.as_ref().map(|s| s.key.clone());
                sh.data.restore = Some(RestoreRequest { file: path.clone(), passphrase: pass.take(), accept_key });
                sh.quit = true;
                return false;
            }
            Some(Action::No) => *step = RestoreStep::Choose,
            _ => {}
        },
        RestoreStep::Failed(_) => {}
    }
    true
}

fn import_key(v: &mut DataView, key: &KeyEvent, action: Option<Action>, sh: &mut Shared) -> bool {
    let d = sh.lang.data_ui();
    let DataView::Import { typed, step, volunteers } = v else { return true };
    if step.edits_path() {
        // a failed preview leaves the path open to correct: typing edits
        // it (and clears the old answer), Enter tries again, Esc leaves
        match action {
            Some(Action::Back) => *v = DataView::Menu(if *volunteers { 5 } else { 3 }),
            Some(Action::Preview) => {
                *step = importing::start_preview(sh, PathBuf::from(typed.value().trim()), *volunteers);
            }
            _ => {
                if typed.handle_key(key) {
                    *step = ImportStep::Choose;
                }
            }
        }
        return true;
    }
    match step {
        ImportStep::Choose | ImportStep::Failed(_) => {}
        // leaving the wait: a late preview is dropped
        ImportStep::Reading if action == Some(Action::Back) => *step = ImportStep::Choose,
        ImportStep::Reading => {}
        // the import goes on: its result comes on the message line
        ImportStep::Importing(_) if action == Some(Action::Back) => {
            *v = DataView::Menu(if *volunteers { 5 } else { 3 });
        }
        ImportStep::Importing(_) => {}
        ImportStep::Preview(p, _) => match action {
            Some(Action::Yes) if p.errors() == 0 => {
                *step = match (sh.operator, p.to_import()) {
                    (_, 0) => ImportStep::Done(i18n::fill_all(d.imported, &[&0, &p.duplicates()]), false),
                    (Some(by), _) => match std::mem::replace(step, ImportStep::Choose) {
                        ImportStep::Preview(p, _) => importing::start_import(sh, *p, by),
                        other => other,
                    },
                    (None, _) => ImportStep::Done(d.no_operator.into(), true),
                };
            }
            Some(Action::No) => *step = ImportStep::Choose,
            _ => {}
        },
        ImportStep::Done(..) => {
            if action == Some(Action::Back) {
                *step = ImportStep::Choose;
            }
        }
    }
    true
}
