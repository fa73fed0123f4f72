//! Words about keeping the data whole and private: disk errors that say
//! what to do, a store that will not open and the way back, signed
//! backups, unreadable records left out of a copy, the PIN on the command
//! line, bounded imports.

use super::Lang;

#[derive(serde::Serialize)]
pub struct TrustText {
    pub e_damaged: &'static str,
    pub e_data_dir_gone: &'static str,
    pub e_disk_not_found: &'static str,
    pub e_disk_device: &'static str,
    pub e_disk_other: &'static str,
    pub e_target_full: &'static str,
    pub e_target_not_backup: &'static str,
    pub e_target_not_file: &'static str,
    pub e_bad_signature: &'static str,
    pub e_foreign_signer: &'static str,
    pub e_unopenable: &'static str,
    pub e_no_store: &'static str,
    pub way_back: &'static str,
    pub way_back_none: &'static str,
    pub snapshot_word: &'static str,
    pub backup_word: &'static str,
    pub encrypted_word: &'static str,
    pub choose_restore: &'static str,
    pub choose_restore_or_new: &'static str,
    pub start_empty: &'static str,
    pub unreadable_left_out: &'static str,
    pub unsigned: &'static str,
    pub signed_here: &'static str,
    pub signed_foreign: &'static str,
    pub confirm_foreign: &'static str,
    pub foreign_needs_flag: &'static str,
    pub confirm_foreign_key: &'static str,
    pub check_unreadable: &'static str,
    pub check_links: &'static str,
    pub a_accept_key: &'static str,
    pub check_rebuilt: &'static str,
    pub check_ok: &'static str,
    pub check_unreadable_found: &'static str,
    pub check_problems: &'static str,
    pub check_problems_repair: &'static str,
    pub pin_prompt: &'static str,
    pub pin_wrong: &'static str,
    pub pin_needed: &'static str,
    pub import_not_a_file: &'static str,
    pub import_too_big: &'static str,
    pub import_too_many_rows: &'static str,
    pub import_cell_too_long: &'static str,
    pub import_open_quote: &'static str,
    pub import_too_big_unpacked: &'static str,
    pub import_too_wide: &'static str,
    pub import_stopped: &'static str,
    /// The file changed after its preview: nothing imported.
    pub import_changed: &'static str,
    /// The file changed while its rows were written: `{}` written.
    pub import_changed_part_way: &'static str,
}

pub static ZH_TRUST: TrustText = TrustText {
    e_damaged: "数据文件损坏，整个数据无法打开（{}）：不是某一条记录的问题，linli check 也修不好。请从备份恢复：运行 linli restore（不带文件名会列出可用的备份）。",
    e_data_dir_gone: "数据目录 {} 已被删除或移走：刚才的修改没有保存。请关闭邻里后重新打开（可以从备份恢复）。",
    e_disk_not_found: "找不到需要的文件或文件夹（可能被删除或移走了）。请检查数据目录；必要时用 linli restore 从备份恢复。",
    e_disk_device: "读写磁盘出错（错误码 {}）：磁盘可能有故障，或U盘被拔出。请检查磁盘、重新插好U盘后再试；已保存的记录不受影响。",
    e_disk_other: "读写磁盘出错（错误码 {}）。请检查磁盘后再试；已保存的记录不受影响。",
    e_target_full: "备份位置 {} 所在的磁盘已满：请清理那里的空间，或换一个位置（例如另一个U盘）再备份。现有数据没有改动。",
    e_target_not_backup: "{} 已经存在，而且不是邻里的备份文件：不会覆盖它。请换一个文件名，或选择一个文件夹。",
    e_target_not_file: "{} 不是普通文件或文件夹（例如设备或管道）：备份只写入文件夹或普通文件。",
    e_bad_signature: "备份的签名对不上：备份做好以后被改动过，不能使用。请换一个备份。",
    e_foreign_signer: "这个备份由另一台电脑的密钥签名（指纹 {}）。请确认它来自您的社区，再明确同意恢复。",
    e_unopenable: "数据无法打开（{}）。记录多半还在备份里。",
    e_no_store: "{} 里没有数据（没有 store 文件夹），但找到了备份。",
    way_back: "可以从以下备份恢复（最新的在前）：",
    way_back_none: "数据目录里没有找到备份或自动备份；如果有U盘上的备份，请用 linli restore 文件名 恢复。",
    snapshot_word: "自动备份",
    backup_word: "备份",
    encrypted_word: "已加密",
    choose_restore: "输入编号从该备份恢复（现有数据会先另存一份），直接回车退出：",
    choose_restore_or_new: "输入编号从该备份恢复，输入 new 从空数据开始，直接回车退出：",
    start_empty: "将从空数据开始。",
    unreadable_left_out: "注意：有 {} 条记录无法读取，没有包含在内（其余记录都已包含并校验）：{}。请运行 linli check 查看。",
    unsigned: "这个备份没有签名（由旧版本邻里制作）：无法证明它没有被改动过。",
    signed_here: "签名：本机的密钥 {}",
    signed_foreign: "签名：另一台电脑的密钥 {}",
    confirm_foreign: "这个备份不是用本机的密钥签名的（{}）。确认它来自您的社区吗？请输入指纹的前 4 位确认：",
    foreign_needs_flag: "这个备份由另一台电脑的密钥签名（{}）：请在终端里确认，或加上 --accept-key 指纹。",
    confirm_foreign_key: "这个备份不是用本机的密钥签名的（{}）。确认它来自您的社区后，按 a 接受这把密钥并恢复；n 或 Esc 取消。",
    check_unreadable: "无法读取：{} {}（{}）",
    check_links: "索引：缺少 {} 条，多余 {} 条",
    a_accept_key: "接受密钥并恢复",
    check_rebuilt: "已按记录重建索引",
    check_ok: "检查完毕，没有问题",
    check_unreadable_found: "有记录无法读取（见上）：备份和导出会跳过它们并列出编号。可以从较早的备份恢复这些记录。",
    check_problems: "发现问题（见上）",
    check_problems_repair: "发现索引问题（见上）：运行 linli check --repair 按记录重建索引。",
    pin_prompt: "开机密码：",
    pin_wrong: "开机密码不对，没有做任何操作。",
    pin_needed: "这些数据设了开机密码：请在终端里输入，或从标准输入传入一行密码。",
    import_not_a_file: "{} 不是普通文件，无法导入。",
    import_too_big: "文件太大（{} MB）：一次最多导入 {} MB。请把表格分成几个文件。",
    import_too_many_rows: "行数太多：一次最多导入 {} 行。请把表格分成几个文件。",
    import_cell_too_long: "第 {} 行有一格超过 {} 个字：可能有一个引号没有配对。请在表格软件里检查这一行。",
    import_open_quote: "第 {} 行的引号（\"）一直没有结束：请在表格软件里检查这一行。没有导入任何人。",
    import_too_big_unpacked: "这个表格解压后超过 {} MB：可能已损坏或不是正常的表格，没有导入。",
    import_too_wide: "第 {} 行超过 {} 列：请检查分隔符，或在表格软件里检查这一行。",
    import_stopped: "导入在写入 {} 人后停止：{}。已写入的都完整；处理好后重新导入同一个文件，已导入的人会自动跳过。",
    import_changed: "文件在预览之后被改动过，没有导入任何人。请重新预览后再导入。",
    import_changed_part_way: "文件在导入过程中被改动，导入在写入 {} 人后停止。已写入的都完整；请重新预览同一个文件，已导入的人会自动跳过。",
};

pub static EN_TRUST: TrustText = TrustText {
    e_damaged: "The store's files are damaged and the data cannot be opened at all ({}): this is not one record, and linli check cannot mend it. Restore a backup: run linli restore (without a file it lists the backups there are).",
    e_data_dir_gone: "The data folder {} was deleted or moved: the last change was NOT saved. Close linli and open it again (a backup can be restored).",
    e_disk_not_found: "A file or folder linli needs is missing (deleted or moved?). Check the data folder; if need be, restore a backup with linli restore.",
    e_disk_device: "The disk failed a read or write (error {}): it may be damaged, or the USB stick was pulled out. Check it or plug the stick back in and try again; what was saved is safe.",
    e_disk_other: "A disk error (error {}). Check the disk and try again; what was saved is safe.",
    e_target_full: "The disk holding {} is full: free some space there, or choose another place (another USB stick) for the backup. Your data was not changed.",
    e_target_not_backup: "{} exists and is not a linli backup: it is not overwritten. Choose another file name, or a folder.",
    e_target_not_file: "{} is not a regular file or a folder (a device, a pipe): backups are written only into folders or regular files.",
    e_bad_signature: "The backup's signature does not match: it was changed after it was made and cannot be used. Choose another backup.",
    e_foreign_signer: "This backup was signed with another computer's key (fingerprint {}). Make sure it comes from your office, then agree to restore it explicitly.",
    e_unopenable: "The data cannot be opened ({}). The records are most likely in a backup.",
    e_no_store: "There is no data in {} (no store folder), but there are backups.",
    way_back: "These backups can be restored (newest first):",
    way_back_none: "No backup or automatic snapshot was found in the data folder; restore one from a USB stick with linli restore FILE.",
    snapshot_word: "snapshot",
    backup_word: "backup",
    encrypted_word: "encrypted",
    choose_restore: "Type a number to restore that backup (the current data is kept aside first), or Enter to quit: ",
    choose_restore_or_new: "Type a number to restore that backup, new to start with empty data, or Enter to quit: ",
    start_empty: "Starting with empty data.",
    unreadable_left_out: "Note: {} records could not be read and were left out (all others are in, and checked): {}. Run linli check to see them.",
    unsigned: "This backup is not signed (made by an older linli): nothing proves it was not changed.",
    signed_here: "Signed with this computer's key {}",
    signed_foreign: "Signed with another computer's key {}",
    confirm_foreign: "This backup is not signed with this computer's key ({}). Does it come from your office? Type the first 4 characters of the fingerprint to confirm: ",
    foreign_needs_flag: "This backup was signed with another computer's key ({}): confirm in a terminal, or add --accept-key FINGERPRINT.",
    confirm_foreign_key: "This backup is not signed with this computer's key ({}). If it comes from your office, press a to accept that key and restore; n or Esc cancels.",
    check_unreadable: "Unreadable: {} {} ({})",
    check_links: "Indexes: {} entries missing, {} left over",
    a_accept_key: "Accept the key and restore",
    check_rebuilt: "Indexes rebuilt from the records",
    check_ok: "Checked: no problems",
    check_unreadable_found: "Some records cannot be read (above): backups and exports leave them out and name them. An earlier backup may still hold them.",
    check_problems: "Problems found (above)",
    check_problems_repair: "Index problems found (above): linli check --repair rebuilds the indexes from the records.",
    pin_prompt: "PIN: ",
    pin_wrong: "Wrong PIN: nothing was done.",
    pin_needed: "This data has a PIN: type it in a terminal, or give it as one line on standard input.",
    import_not_a_file: "{} is not a regular file: it cannot be imported.",
    import_too_big: "The file is too large ({} MB): at most {} MB can be imported at once. Split the sheet into several files.",
    import_too_many_rows: "Too many rows: at most {} rows can be imported at once. Split the sheet into several files.",
    import_cell_too_long: "Row {} has a cell of more than {} characters: perhaps a quote is not closed. Check that row in the spreadsheet program.",
    import_open_quote: "The quote (\") on row {} is never closed: check that row in the spreadsheet program. Nobody was imported.",
    import_too_big_unpacked: "Unpacked, this workbook is larger than {} MB: it may be damaged or not a normal spreadsheet. Nothing was imported.",
    import_too_wide: "Row {} has more than {} cells: check the separator, or that row in the spreadsheet program.",
    import_stopped: "The import stopped after {} people: {}. Those written are whole; once fixed, import the same file again: those already in are skipped.",
    import_changed: "The file changed after its preview: nobody was imported. Preview it again, then import.",
    import_changed_part_way: "The file changed during the import, which stopped after {} people. Those written are whole; preview the same file again: those already in are skipped.",
};

pub fn t(lang: Lang) -> &'static TrustText {
    match lang {
        Lang::Zh => &ZH_TRUST,
        Lang::En => &EN_TRUST,
    }
}

/// The records a copy left out because the store could not read them, in
/// one line (`None` when there are none).
pub fn unreadable_note(lang: Lang, list: &[crate::store::backup::Unreadable]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    let named: Vec<String> =
        list.iter().take(20).map(|u| format!("{} {}", super::section(lang, &u.kind), u.key)).collect();
    let more = if list.len() > 20 { " …" } else { "" };
    Some(super::fill_all(t(lang).unreadable_left_out, &[&list.len(), &format!("{}{more}", named.join(", "))]))
}

/// Who signed a backup, as it stands to this data dir.
pub fn signer_line(lang: Lang, trust: &crate::store::backup::Trust) -> String {
    use crate::store::backup::Trust;
    let tr = t(lang);
    match trust {
        Trust::Ours(s) => super::fill(tr.signed_here, s.fingerprint()),
        Trust::Foreign(s) => super::fill(tr.signed_foreign, s.describe()),
        Trust::Unsigned => tr.unsigned.to_string(),
    }
}
