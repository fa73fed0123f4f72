//! Printing a service-record certificate (志愿服务记录证明): a plain text
//! file and an HTML page the office opens in a browser and prints. Both
//! carry the fields 民发〔2015〕149号 asks of a 志愿服务记录证明: the
//! volunteer's name, gender, ID type and number (masked: the full number
//! only after a recorded reveal), 志愿者编号, the service period, hours
//! and content, the issuing organisation (from the community profile),
//! its 负责人 and contact, the date and the stamp area. One A4 page.

use crate::domain::text::{display_safe, fit, width};
use crate::domain::volunteer::{Certificate, hours};
use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};

/// One service on the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertLine {
    pub date: NaiveDate,
    pub team: String,
    pub what: String,
    pub minutes: u32,
}

/// Everything printed on a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDoc {
    pub cert: Certificate,
    /// 出具单位 (from the community profile).
    pub issuer: String,
    /// The worker who issued it.
    pub worker: String,
    pub lines: Vec<CertLine>,
    /// 男 / 女 / empty.
    pub gender: String,
    /// The ID number as printed (masked unless revealed); empty: none kept.
    pub id_number: String,
    /// 志愿者编号.
    pub volunteer_no: String,
    /// The issuer's 负责人 and contact phone (from the profile).
    pub head: String,
    pub contact: String,
}

/// The font stack of every printable (the same as `files::report_print`):
/// Noto/Source Han on Linux, Microsoft YaHei and SimSun on Windows.
const PRINT_FONTS: &str =
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"微软雅黑\",\"SimSun\",\"宋体\",sans-serif";

/// 证件类型 printed beside a kept ID number.
const ID_TYPE: &str = "居民身份证";

fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

impl CertificateDoc {
    fn statement(&self) -> String {
        let c = &self.cert;
        format!(
            "兹证明 {} 同志于 {} 至 {} 期间参加志愿服务 {} 次，累计服务时长 {} 小时。",
            display_safe(&c.name),
            cn_date(c.from),
            cn_date(c.to),
            c.count,
            hours(c.minutes)
        )
    }

    /// The certificate as plain text, columns aligned for CJK.
    pub fn text(&self) -> String {
        let c = &self.cert;
        let mut s = String::new();
        s.push_str(&format!("{}志愿服务记录证明\n\n", " ".repeat(24)));
        s.push_str(&format!("编号：{}\n\n", c.number));
        s.push_str(&format!("姓名：{}　性别：{}\n", display_safe(&c.name), self.gender));
        s.push_str(&format!("证件类型：{}　证件号码：{}\n", self.id_type(), self.id_number));
        s.push_str(&format!("志愿者编号：{}\n", self.volunteer_no));
        s.push_str(&format!("服务内容：{}\n\n", display_safe(&self.content())));
        s.push_str(&self.statement());
        s.push_str("\n\n服务明细：\n");
        let row = |a: &str, b: &str, c: &str, d: &str| {
            let pad = " ".repeat(12usize.saturating_sub(width(d)));
            format!("{} {} {} {pad}{d}\n", fit(a, 12), fit(b, 22), fit(c, 30))
        };
        s.push_str(&row("日期", "服务队", "服务内容", "时长（小时）"));
        for l in &self.lines {
            s.push_str(&row(
                &l.date.to_string(),
                &display_safe(&l.team),
                &display_safe(&l.what),
                &hours(u64::from(l.minutes)),
            ));
        }
        s.push_str(&row("合计", "", &format!("{} 次", c.count), &hours(c.minutes)));
        s.push_str("\n特此证明。\n\n");
        s.push_str(&format!("出具单位：{}（盖章）\n", display_safe(&self.issuer)));
        s.push_str(&format!("负责人：{}　联系电话：{}\n", display_safe(&self.head), display_safe(&self.contact)));
        s.push_str(&format!("经办人：{}\n", display_safe(&self.worker)));
        s.push_str(&format!("出具日期：{}\n", cn_date(c.issued_on)));
        s
    }

    fn id_type(&self) -> &'static str {
        if self.id_number.is_empty() { "" } else { ID_TYPE }
    }

    /// What the services were: each different content once, in order.
    pub fn content(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for l in &self.lines {
            let w = l.what.trim();
            if !w.is_empty() && !seen.contains(&w) {
                seen.push(w);
            }
        }
        let more = seen.len() > 6;
        let mut out = seen.into_iter().take(6).collect::<Vec<_>>().join("、");
        if more {
            out.push('等');
        }
        out
    }

    /// The certificate as a printable HTML page.
    pub fn html(&self) -> String {
        let c = &self.cert;
        let mut rows = String::new();
        for l in &self.lines {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
                l.date,
                esc(&l.team),
                esc(&l.what),
                hours(u64::from(l.minutes))
            ));
        }
        format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>志愿服务记录证明 {number}</title>
<style>
@page {{ size: A4; margin: 18mm 18mm 15mm; }}
body {{ font-family: {fonts}; max-width: 46em; margin: 0 auto; line-height: 1.6; font-size: 11pt; }}
table.who td {{ border: none; padding: .1em .5em .1em 0; }}
h1 {{ text-align: center; letter-spacing: .3em; font-size: 1.6em; }}
.no {{ text-align: right; }}
table {{ width: 100%; border-collapse: collapse; margin: 1em 0; font-size: .95em; }}
th, td {{ border: 1px solid #000; padding: .2em .5em; }}
td.n {{ text-align: right; }}
.sign {{ margin-top: 3em; text-align: right; }}
table.list {{ page-break-inside: auto; }} .sign {{ page-break-inside: avoid; }}
.stamp {{ display: inline-block; width: 4.2cm; height: 4.2cm; border: 1px dashed #999; border-radius: 50%; text-align: center; line-height: 4.2cm; color: #999; }}
</style></head>
<body>
<h1>志愿服务记录证明</h1>
<p class="no">编号：{number}</p>
<table class="who">
<tr><td>姓名：{name}</td><td>性别：{gender}</td><td>志愿者编号：{volunteer_no}</td></tr>
<tr><td colspan="3">证件类型：{id_type}　证件号码：{id_number}</td></tr>
<tr><td colspan="3">服务内容：{content}</td></tr>
</table>
<p>{statement}</p>
<table class="list">
<tr><th>日期</th><th>服务队</th><th>服务内容</th><th>时长（小时）</th></tr>
{rows}<tr><td>合计</td><td></td><td>{count} 次</td><td class="n">{total}</td></tr>
</table>
<p>特此证明。</p>
<div class="sign">
<p>出具单位：{issuer}</p>
<p>负责人：{head}　联系电话：{contact}</p>
<p>经办人：{worker}</p>
<p>出具日期：{issued}</p>
<p><span class="stamp">（盖章）</span></p>
</div>
</body></html>
"#,
            number = esc(&c.number),
            statement = esc(&self.statement()),
            rows = rows,
            count = c.count,
            total = hours(c.minutes),
            issuer = esc(&self.issuer),
            fonts = PRINT_FONTS,
            name = esc(&c.name),
            gender = esc(&self.gender),
            volunteer_no = esc(&self.volunteer_no),
            id_type = self.id_type(),
            id_number = esc(&self.id_number),
            content = esc(&self.content()),
            head = esc(&self.head),
            contact = esc(&self.contact),
            worker = esc(&self.worker),
            issued = cn_date(c.issued_on),
        )
    }

    /// Writes `<stem>.html` and `<stem>.txt` into `dir` (created if needed).
    /// The text file has a BOM and CRLF line ends so that old Notepad shows
    /// it right. Returns the HTML path, then the text path.
    pub fn write(&self, dir: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
        crate::platform::private::create_dir_all(dir)?;
        let stem = file_stem(&self.cert);
        let html = dir.join(format!("{stem}.html"));
        let txt = dir.join(format!("{stem}.txt"));
        crate::platform::private::write(&html, self.html().as_bytes())?;
        let text = format!("\u{feff}{}", self.text().replace('\n', "\r\n"));
        crate::platform::private::write(&txt, text.as_bytes())?;
        Ok((html, txt))
    }
}

/// `志愿服务记录证明-2026-0007-张三`, safe as a file name everywhere.
pub fn file_stem(c: &Certificate) -> String {
    let name: String = c.name.chars().map(|ch| if ch.is_alphanumeric() { ch } else { '_' }).take(20).collect();
    format!("志愿服务记录证明-{}-{}", c.number, name)
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in display_safe(s).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WorkerId;
    use crate::domain::volunteer::{CertificateId, VolunteerId};

    fn doc() -> CertificateDoc {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        CertificateDoc {
            cert: Certificate {
                id: CertificateId(1),
                number: "2026-0001".into(),
                volunteer: VolunteerId(3),
                name: "张<b>三".into(),
                from: d(1, 1),
                to: d(11, 24),
                minutes: 270,
                count: 2,
                issued_on: d(11, 24),
                issued_by: WorkerId(1),
            },
            issuer: "幸福社区居民委员会".into(),
            worker: "李娜".into(),
            lines: vec![
                CertLine { date: d(3, 7), team: "小巷管家".into(), what: "楼道清扫".into(), minutes: 120 },
                CertLine {
                    date: d(5, 9), team: "平安巡逻队".into(), what: "夜间巡逻\u{1b}[2J".into(), minutes: 150
                },
            ],
            gender: "男".into(),
            id_number: "110***********002X".into(),
            volunteer_no: "000003".into(),
            head: "王芳".into(),
            contact: "028-87654321".into(),
        }
    }

    #[test]
    fn text_and_html_say_the_same_and_are_safe() {
        let d = doc();
        let t = d.text();
        assert!(t.contains("编号：2026-0001"));
        assert!(t.contains("参加志愿服务 2 次，累计服务时长 4.5 小时"), "{t}");
        assert!(t.contains("出具单位：幸福社区居民委员会（盖章）"));
        assert!(!t.chars().any(|c| c == '\u{1b}'));
        let h = d.html();
        assert!(h.contains("张&lt;b&gt;三"));
        assert!(!h.contains("<b>"));
        assert!(h.contains("<td class=\"n\">4.5</td>"));
        // the fields 民发〔2015〕149号 asks for, on one A4 page
        assert!(h.contains("@page {{ size: A4".replace("{{", "{").as_str()), "{h}");
        assert!(h.contains("Noto Sans CJK SC") && h.contains("SimSun"));
        for f in [
            "性别：男",
            "证件类型：居民身份证",
            "证件号码：110***********002X",
            "志愿者编号：000003",
            "服务内容：楼道清扫、夜间巡逻",
            "负责人：王芳",
            "联系电话：028-87654321",
            "（盖章）",
        ] {
            assert!(h.contains(f) && t.contains(f), "{f}\n{t}");
        }
        // rows line up: every detail row is as wide as the header row
        let rows: Vec<usize> = t.lines().skip_while(|l| !l.starts_with("日期")).take(4).map(width).collect();
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "{rows:?}\n{t}");
        assert_eq!(file_stem(&d.cert), "志愿服务记录证明-2026-0001-张_b_三");
    }

    #[test]
    fn writes_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let (h, t) = doc().write(&dir.path().join("exports")).unwrap();
        assert!(std::fs::read_to_string(h).unwrap().starts_with("<!DOCTYPE html>"));
        let txt = std::fs::read_to_string(t).unwrap();
        assert!(txt.starts_with('\u{feff}') && txt.contains("\r\n"));
    }
}
