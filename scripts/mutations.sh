#!/usr/bin/env bash
# Applies each mutation of SAFETY.md's table ("promise -> test -> the
# mutation that makes it fail") to a COPY of this tree, runs the test named
# for it and says whether the mutation was killed (the test failed, as it
# must) or survived (the test cannot see that promise break). The worktree
# itself is never modified. The copy builds into its own target dir, seeded
# once from ./target (about 5 GB), so each mutation rebuilds only linli.
#   scripts/mutations.sh            every mutation (measured: 15-45 s each after the
#                                   first, which builds the copy: ~3 min; ~9 min in all)
#   scripts/mutations.sh 1 4 9      only these (numbers as listed below)
# Exit status 1 when any mutation survived or did not apply.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work="${MUT_DIR:-${TMPDIR:-/tmp}/linli-mutants}"
mkdir -p "$work"
tree="$work/tree"
rm -rf "$tree" && mkdir -p "$tree"
tar --exclude=./target --exclude=./.git -cf - . | tar -xf - -C "$tree"
if [ ! -d "$work/target" ]; then
  echo "seeding $work/target from ./target (once)…"
  cp -a target "$work/target"
fi

# mut NUMBER FILE EXACT-TEXT REPLACEMENT TEST  (\n in the texts is a newline;
# TEST is the full name of one test of tests/it, run with --exact)
N=(); F=(); A=(); B=(); T=()
mut() { N+=("$1"); F+=("$2"); A+=("$3"); B+=("$4"); T+=("$5"); }
mut 1 src/store/mod.rs '        self.data_file.sync_data()?;\n' '' \
  powercut::a_power_cut_keeps_every_write_reported_saved_with_its_audit_entry
mut 2 src/store/mod.rs '        self.flush()?;\n        markers::end(mark);' '        markers::end(mark);' \
  crash::sigkill_at_random_moments_loses_nothing_reported_saved
mut 3 src/store/mod.rs '        if same { Ok(()) } else { Err(StoreError::DataDirGone(self.dir.clone())) }' '        let _ = same;\n        Ok(())' \
  opening::a_save_into_a_deleted_data_dir_is_an_error_not_saved
mut 4 src/store/mod.rs '        tidy::set_aside_sled_leftovers(dir, &path)?;\n' '' \
  opening::killed_while_opening_at_200_moments_the_store_always_opens_again
mut 5 src/store/migrate.rs '        store.check(true)?;\n        store.trees[T_META].remove(META_REINDEX)?;' '        store.trees[T_META].remove(META_REINDEX)?;' \
  promises::an_upgrade_cut_short_by_a_kill_runs_again_to_the_end
mut 6 src/store/check.rs '        report.missing_links += expected_set.difference(&present).count();\n' '' \
  safety::check_finds_and_repairs_broken_indexes
mut 7 src/store/mod.rs '                if found > SCHEMA_VERSION {' '                if found > SCHEMA_VERSION + 1000 {' \
  promises::a_newer_schema_is_refused_and_nothing_in_the_data_dir_changes
mut 8 src/domain/text.rs 'pub fn display_safe(s: &str) -> String {\n' 'pub fn display_safe(s: &str) -> String {\n    if !s.is_empty() {\n        return s.to_string();\n    }\n' \
  bad_input::escape_codes_and_bidi_overrides_in_data_never_reach_the_terminal
mut 9 src/ui/widgets/input.rs "        let s = if s.contains(['\\u{1b}', '\\u{9b}']) {" '        let s = if false {' \
  duties::a_pasted_escape_sequence_never_enters_a_log_entry
mut 10 src/store/pin.rs '    for _ in 0..ROUNDS {' '    for _ in 0..0 {' \
  promises::the_pin_is_stored_salted_and_iterated
mut 11 src/store/pin.rs '                let s = salt();' '                let s = [0u8; 16];' \
  promises::the_pin_is_stored_salted_and_iterated
mut 12 src/files/export.rs '        if self.opts.full_numbers { p.to_string() } else { mask::phone(p) }' '        p.to_string()' \
  promises::a_command_line_export_masks_numbers_in_the_file_itself
mut 13 src/files/import.rs '        return Err(ImportError::RowsHaveErrors(errors));\n    }\n    let mut n = 0;' '    }\n    let mut n = 0;' \
  promises::a_refused_import_leaves_the_store_unchanged
mut 14 src/store/error.rs '            K::StorageFull | K::QuotaExceeded => StoreError::DiskFull,\n            K::PermissionDenied | K::ReadOnlyFilesystem => StoreError::ReadOnly(e.to_string()),\n            _ if e.raw_os_error() == Some(28) => StoreError::DiskFull,\n' '            K::PermissionDenied | K::ReadOnlyFilesystem => StoreError::ReadOnly(e.to_string()),\n' \
  faults::a_full_disk_is_a_clear_message_and_loses_nothing_saved
mut 15 src/domain/volunteer/time.rs '.then(|| h * 60 + m)' '.then_some(h * 60 + m)' \
  props::schedules_and_availability_read_back_what_they_show
mut 16 src/store/mod.rs '        let mark = markers::begin();' '        let mark = 0;' \
  e2e::killing_the_process_mid_write_loses_nothing_that_was_saved
mut 17 src/ui/layers.rs '    if let Some(msg) = f.editing.as_ref().and_then(|e| e.refusal(sh)) {' '    if let Some(msg) = f.editing.as_ref().and(None::<String>) {' \
  colleagues::a_request_form_open_while_a_colleague_saves_is_refused_with_their_name_and_keeps_what_was_typed
mut 18 src/ui/undo.rs '        sh.fail(msg);\n        return;' '        sh.fail(msg);\n        sh.undo.clear();\n        return;' \
  colleagues::undo_refuses_where_a_colleague_changed_the_record_since_and_keeps_the_other_steps
mut 19 src/store/audit.rs '            if e.action.writes() && e.kind == kind && e.key == key {' '            if e.kind == kind && e.key == key {' \
  colleagues::a_records_last_change_skips_reveals_and_its_version_moves_only_when_it_is_written
mut 20 src/store/mod.rs '        self.flush()?;\n        markers::end(mark);' '        markers::end(mark);' \
  office_at_once::sigkill_of_the_server_with_three_windows_writing_loses_nothing_confirmed
mut 21 src/serve/client.rs '            let set = crate::ui::exit_signal_set();\n            let mut sig: libc::c_int = 0;' '            let mut set = crate::ui::exit_signal_set();\n            unsafe { libc::sigdelset(&mut set, libc::SIGHUP) };\n            let mut sig: libc::c_int = 0;' \
  office_at_once::a_save_in_one_window_shows_in_the_others_and_the_header_counts_colleagues
mut 22 src/serve/sock.rs 'Permissions::from_mode(0o600)' 'Permissions::from_mode(0o666)' \
  office_at_once::a_save_in_one_window_shows_in_the_others_and_the_header_counts_colleagues
mut 23 src/serve/server.rs '                    app.panels.colleague_changed(&set, &mut app.sh);\n' '' \
  office_at_once::a_save_in_one_window_shows_in_the_others_and_the_header_counts_colleagues
mut 24 src/ui/volunteers/mod.rs '                    if !sh.from_colleague {\n                        self.apply_change(sh, c);\n                    }' '                    self.apply_change(sh, c);' \
  office_at_once::the_roster_is_shared_and_a_colleagues_service_hours_are_counted_once
mut 29 src/serve/sock.rs 'if read.is_ok() && same && s.set_read_timeout' 'if read.is_ok() && s.set_read_timeout' \
  office_at_once::the_loopback_way_serves_only_windows_that_know_the_key

want=" $* "
killed=0; survived=0; broken=0
for i in "${!N[@]}"; do
  n=${N[$i]}; file=${F[$i]}; test=${T[$i]}
  if [ $# -gt 0 ] && [[ "$want" != *" $n "* ]]; then continue; fi
  cp "$root/$file" "$tree/$file"
  if ! python3 - "$tree/$file" "${A[$i]}" "${B[$i]}" <<'PY'
import sys
p, a, b = sys.argv[1], sys.argv[2].replace("\\n", "\n"), sys.argv[3].replace("\\n", "\n")
s = open(p).read()
if s.count(a) != 1:
    sys.exit(1)
open(p, "w").write(s.replace(a, b, 1))
PY
  then
    echo "$n: NOT APPLIED (text not found once in $file)"; broken=$((broken + 1)); continue
  fi
  start=$(date +%s)
  (cd "$tree" && CARGO_TARGET_DIR="$work/target" INSTA_UPDATE=no nice cargo test --test it -- --exact "$test" >"$work/$n.log" 2>&1)
  rc=$?
  cp "$root/$file" "$tree/$file"
  secs=$(( $(date +%s) - start ))
  if ! grep -q "^running [0-9]* test" "$work/$n.log"; then
    echo "$n: BUILD FAILED ($file) — see $work/$n.log"; broken=$((broken + 1))
  elif [ $rc -ne 0 ]; then
    echo "$n: killed   ($test, ${secs}s)"; killed=$((killed + 1))
  else
    echo "$n: SURVIVED ($test, ${secs}s)"; survived=$((survived + 1))
  fi
done
echo "mutations: $killed killed, $survived survived, $broken not applied or not built"
[ $survived -eq 0 ] && [ $broken -eq 0 ]
