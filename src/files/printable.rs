//! Printable sheets from the duties board, written into the data dir's
//! `exports/` folder as HTML (open in a browser, print on A4) and as plain
//! text (for a quick look or a message):
//!
//! * the public notice of the division of labour (分工公示) for the board at
//!   the office door: each worker's post, grade, grid, areas, standing
//!   duties and office phone, with a box for the photo;
//! * the yearly evaluation sheet (年度考评表): the three scores, the
//!   weighted total and grade beside the figures from the records, with
//!   lines for signatures.
//!
//! Everything from the records is HTML-escaped; nothing is fetched from the
//! network (the CSS is inline), so the file prints on an office PC offline.

use crate::domain::Worker;
use crate::domain::duties::evaluation::{Evaluation, Figures};
use crate::domain::duties::settings::DutySettings;
use crate::domain::duties::standing::Duty;
use crate::domain::duties::{half_days_text, tenths_text};
use crate::domain::profile::Profile;
use crate::domain::text::{display_safe, fit};
use crate::i18n::{Lang, fill};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in display_safe(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"微软雅黑\",\"SimSun\",\"宋体\",sans-serif;margin:0;color:#000}\
h1{text-align:center;font-size:22pt;margin:0 0 .3cm}\
p.sub{text-align:center;margin:0 0 .5cm}\
table{border-collapse:collapse;width:100%;font-size:11pt}\
th,td{border:1px solid #000;padding:4px 6px;vertical-align:top}\
th{background:#eee}\
td.photo{width:2.5cm;height:3.3cm;text-align:center;vertical-align:middle;color:#888}\
td.n{text-align:right}\
p.foot{margin-top:.6cm}\
td.name{white-space:nowrap}\
.sign{margin-top:1cm;text-align:right;line-height:2;page-break-inside:avoid}\
.stamp{display:inline-block;width:4cm;height:4cm;border:1px dashed #999;border-radius:50%;text-align:center;line-height:4cm;color:#999;margin-right:1cm}\
@page{size:A4;margin:15mm}\
@media print{th{background:none}}";

/// A printable page: A4 portrait, or landscape for a wide table.
fn page(title: &str, sub: &str, body: &str, landscape: bool) -> String {
    let orientation = if landscape { "@page{size:A4 landscape;margin:12mm}table{font-size:10pt}" } else { "" };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>{STYLE}{orientation}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"sub\">{s}</p>\n{body}</body>\n</html>\n",
        t = escape_html(title),
        s = escape_html(sub),
    )
}

/// The issuing line at a notice's foot: the issuer (the profile's, else
/// the community's committee), the date and the stamp area.
fn issuing(profile: &Profile, settings: &DutySettings, date: &str) -> String {
    let issuer = profile.issuer().unwrap_or_else(|| {
        let c = community_of(profile, settings);
        if c.is_empty() { String::new() } else { format!("{c}居民委员会") }
    });
    format!(
        "<div class=\"sign\"><p>{}</p><p>{}</p><p><span class=\"stamp\">（盖章）</span></p></div>\n",
        escape_html(&issuer),
        escape_html(date)
    )
}

fn date_text(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%m月%d日").to_string(),
        Lang::En => d.format("%d %B %Y").to_string(),
    }
}

/// A phone number as it is printed on a notice: landlines with their area
/// code set off (`028-88157379`, `010-62345678`), mobiles as `138 1969 5771`.
pub fn pretty_phone(p: &str) -> String {
    let digits = p.chars().all(|c| c.is_ascii_digit());
    match p.len() {
        11 if digits && p.starts_with('1') => format!("{} {} {}", &p[..3], &p[3..7], &p[7..]),
        10..=12 if digits && (p.starts_with("01") || p.starts_with("02")) => format!("{}-{}", &p[..3], &p[3..]),
        11 | 12 if digits && p.starts_with('0') => format!("{}-{}", &p[..4], &p[4..]),
        _ => p.to_string(),
    }
}

/// A community name for titles: the profile's, else the duties settings'
/// ("本社区" gives no prefix).
fn community_of<'a>(p: &'a Profile, s: &'a DutySettings) -> &'a str {
    if !p.name.trim().is_empty() {
        p.name.trim()
    } else if s.community == "本社区" {
        ""
    } else {
        s.community.as_str()
    }
}

/// The public notice of the division of labour.
pub struct Notice<'a> {
    pub settings: &'a DutySettings,
    /// The community profile (its name, the issuer).
    pub profile: &'a Profile,
    pub workers: &'a [Worker],
    pub duties: &'a [Duty],
    pub date: NaiveDate,
    pub lang: Lang,
}

impl Notice<'_> {
    fn people(&self) -> impl Iterator<Item = &Worker> {
        self.workers.iter().filter(|w| w.active)
    }

    fn duties_of(&self, w: &Worker) -> Vec<&str> {
        self.duties.iter().filter(|d| d.worker == w.id && d.active).map(|d| d.title.as_str()).collect()
    }

    fn title(&self) -> String {
        format!("{}{}", community_of(self.profile, self.settings), self.lang.duties().notice_title)
    }

    pub fn html(&self) -> String {
        let d = self.lang.duties();
        let t = self.lang.t();
        let mut body = String::from("<table>\n<tr>");
        for h in [d.photo, t.f_name, t.f_post, d.f_grade, t.f_grid, d.areas, d.standing, d.office_phone] {
            body.push_str(&format!("<th>{}</th>", escape_html(h)));
        }
        body.push_str("</tr>\n");
        for w in self.people() {
            let duties = self.duties_of(w).iter().map(|x| escape_html(x)).collect::<Vec<_>>().join("<br>");
            body.push_str(&format!(
                "<tr><td class=\"photo\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape_html(d.photo),
                escape_html(&w.name),
                escape_html(&w.post),
                escape_html(&w.grade),
                escape_html(&w.grid),
                escape_html(&w.areas.join("、")),
                duties,
                escape_html(&pretty_phone(&w.phone)),
            ));
        }
        body.push_str("</table>\n");
        body.push_str(&format!("<p class=\"foot\">{}</p>\n", escape_html(d.notice_footer)));
        body.push_str(&issuing(self.profile, self.settings, &date_text(self.lang, self.date)));
        page(&self.title(), &fill(d.notice_date, date_text(self.lang, self.date)), &body, false)
    }

    pub fn text(&self) -> String {
        let colon = self.lang.t().colon;
        let d = self.lang.duties();
        let t = self.lang.t();
        let mut out = format!("{}\n{}\n\n", self.title(), fill(d.notice_date, date_text(self.lang, self.date)));
        for w in self.people() {
            let head = format!(
                "{} {} {} {}",
                fit(&display_safe(&w.name), 8),
                fit(&display_safe(&w.post), 6),
                fit(&display_safe(&w.grade), 10),
                display_safe(&w.grid)
            );
            out.push_str(head.trim_end());
            out.push('\n');
            if !w.areas.is_empty() {
                out.push_str(&format!("    {}{colon}{}\n", d.areas, display_safe(&w.areas.join("、"))));
            }
            for x in self.duties_of(w) {
                out.push_str(&format!("    · {}\n", display_safe(x)));
            }
            if !w.phone.is_empty() {
                out.push_str(&format!("    {}{colon}{}\n", t.f_phone, display_safe(&pretty_phone(&w.phone))));
            }
        }
        out.push_str(&format!("\n{}\n", d.notice_footer));
        out
    }
}

/// The yearly evaluation sheet.
pub struct EvaluationSheet<'a> {
    pub settings: &'a DutySettings,
    pub profile: &'a Profile,
    pub year: i32,
    pub workers: &'a [Worker],
    pub evaluations: &'a [Evaluation],
    pub figures: &'a HashMap<WorkerId, Figures>,
    pub lang: Lang,
}

use crate::domain::WorkerId;

struct Row {
    cells: Vec<String>,
    comment: String,
}

impl EvaluationSheet<'_> {
    fn title(&self) -> String {
        let title = fill(self.lang.duties().eval_sheet_title, self.year);
        match (community_of(self.profile, self.settings), self.lang) {
            ("", _) => title,
            // 幸福里社区2025年度社区工作者考评表: the community's name once, then the year
            (c, Lang::Zh) => format!("{c}{title}"),
            (c, Lang::En) => format!("{c}: {title}"),
        }
    }

    fn weights(&self) -> String {
        let colon = self.lang.t().colon;
        let d = self.lang.duties();
        let p = self.lang.practice();
        let w = self.settings.weights;
        let sum = (w.street + w.residents + w.own).max(1);
        let pct = |x: u32| (x * 1000 / sum + 5) / 10;
        let dw = self.settings.dim_weights.0;
        let dsum = dw.iter().sum::<u32>().max(1);
        let dims: Vec<String> =
            p.dimensions.iter().zip(dw).map(|(n, x)| format!("{n} {}%", (x * 1000 / dsum + 5) / 10)).collect();
        let sep = if self.lang == Lang::Zh { "；" } else { "; " };
        format!(
            "{}{colon}{} {}% · {} {}% · {} {}%{sep}{}{colon}{}",
            d.weights,
            d.score_street_full,
            pct(w.street),
            d.score_residents_full,
            pct(w.residents),
            d.score_own_full,
            pct(w.own),
            p.dimensions_total,
            dims.join(" · ")
        )
    }

    fn heads(&self) -> Vec<&'static str> {
        let d = self.lang.duties();
        let t = self.lang.t();
        let p = self.lang.practice();
        vec![
            t.f_name,
            t.f_post,
            d.score_street,
            d.score_residents,
            d.score_own,
            d.total,
            d.grade,
            p.dimensions[0],
            p.dimensions[1],
            p.dimensions[2],
            p.dimensions[3],
            p.dimensions[4],
            p.dims_short,
            d.handled,
            d.on_time,
            d.satisfied,
            d.logs,
            d.visits,
            d.training_short,
            d.study_short,
        ]
    }

    fn rows(&self) -> Vec<Row> {
        let s = |v: Option<u16>| v.map(tenths_text).unwrap_or_else(|| "-".into());
        let pct = |v: Option<u16>| v.map(|x| format!("{}%", tenths_text(x))).unwrap_or_else(|| "-".into());
        self.workers
            .iter()
            .map(|w| {
                let ev = self.evaluations.iter().find(|e| e.worker == w.id);
                let total = ev.and_then(|e| e.total(&self.settings.weights));
                let f = self.figures.get(&w.id).cloned().unwrap_or_default();
                Row {
                    cells: vec![
                        w.name.clone(),
                        w.post.clone(),
                        s(ev.and_then(|e| e.street)),
                        s(ev.and_then(|e| e.residents)),
                        s(ev.and_then(|e| e.own)),
                        s(total),
                        total.map_or("-".into(), |t| self.settings.bands.grade(t).to_string()),
                        s(ev.and_then(|e| e.dims[0])),
                        s(ev.and_then(|e| e.dims[1])),
                        s(ev.and_then(|e| e.dims[2])),
                        s(ev.and_then(|e| e.dims[3])),
                        s(ev.and_then(|e| e.dims[4])),
                        s(ev.and_then(|e| e.dims_total(&self.settings.dim_weights))),
                        f.handled.to_string(),
                        pct(f.on_time_rate()),
                        pct(f.satisfaction_rate()),
                        f.log_entries.to_string(),
                        f.visits.to_string(),
                        half_days_text(f.training_half_days),
                        f.study_months.to_string(),
                    ],
                    comment: ev.map(|e| e.comment.clone()).unwrap_or_default(),
                }
            })
            .collect()
    }

    pub fn html(&self) -> String {
        let d = self.lang.duties();
        let mut body = String::from("<table>\n<tr>");
        for h in self.heads() {
            body.push_str(&format!("<th>{}</th>", escape_html(h)));
        }
        body.push_str(&format!("<th>{}</th></tr>\n", escape_html(d.f_comment)));
        for r in self.rows() {
            body.push_str("<tr>");
            for (i, c) in r.cells.iter().enumerate() {
                let class = match i {
                    // names and posts never wrap a character per line
                    0 | 1 => " class=\"name\"",
                    _ => " class=\"n\"",
                };
                body.push_str(&format!("<td{class}>{}</td>", escape_html(c)));
            }
            body.push_str(&format!("<td>{}</td></tr>\n", escape_html(&r.comment)));
        }
        body.push_str("</table>\n");
        body.push_str(&format!("<p class=\"foot\">{}</p>\n", escape_html(d.eval_sheet_note)));
        body.push_str(&format!("<p class=\"foot\">{}</p>\n", escape_html(d.signature_line)));
        page(&self.title(), &self.weights(), &body, true)
    }

    pub fn text(&self) -> String {
        let colon = self.lang.t().colon;
        let d = self.lang.duties();
        let widths = [8usize, 6, 6, 6, 6, 6, 8, 4, 4, 4, 4, 4, 5, 5, 7, 7, 5, 5, 5, 5];
        let mut out = format!("{}\n{}\n\n", self.title(), self.weights());
        let line = |cells: &[String]| -> String {
            cells
                .iter()
                .zip(widths)
                .map(|(c, w)| fit(&display_safe(c), w))
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end()
                .to_string()
        };
        out.push_str(&line(&self.heads().iter().map(|h| h.to_string()).collect::<Vec<_>>()));
        out.push('\n');
        for r in self.rows() {
            out.push_str(&line(&r.cells));
            out.push('\n');
            if !r.comment.is_empty() {
                out.push_str(&format!("    {}{colon}{}\n", d.f_comment, display_safe(&r.comment)));
            }
        }
        out.push_str(&format!("\n{}\n{}\n", d.eval_sheet_note, d.signature_line));
        out
    }
}

/// Writes `stem.html` and `stem.txt` into `dir/exports/`; returns the HTML
/// file's path. The text file has a BOM so that Notepad on an old Windows
/// reads it as UTF-8.
pub fn write(dir: &Path, stem: &str, html: &str, text: &str) -> std::io::Result<PathBuf> {
    let out = dir.join("exports");
    crate::platform::private::create_dir_all(&out)?;
    let stem: String = stem
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let html_path = out.join(format!("{stem}.html"));
    crate::platform::private::write(&html_path, html.as_bytes())?;
    let txt = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    crate::platform::private::write(&out.join(format!("{stem}.txt")), txt.as_bytes())?;
    Ok(html_path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::duties::DutyId;
    use crate::domain::duties::standing::Period;

    fn office() -> (Vec<Worker>, Vec<Duty>) {
        let mut a = Worker::new(WorkerId(1), "李娜", "网格员");
        a.grid = "第3网格".into();
        a.areas = vec!["综治".into(), "老龄".into()];
        a.phone = "13812345678".into();
        a.grade = "三岗四级".into();
        let mut evil = Worker::new(WorkerId(2), "<script>alert('x')</script>&", "主任");
        evil.areas = vec!["\"党建\"".into()];
        let mut gone = Worker::new(WorkerId(3), "王离职", "专干");
        gone.set_status(crate::domain::worker::WorkerStatus::Left);
        let duty = Duty {
            id: DutyId(1),
            worker: WorkerId(1),
            title: "每周走访第3网格独居老人".into(),
            period: Period::Weekly,
            tag: "独居老人".into(),
            grid: "第3网格".into(),
            active: true,
            since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        (vec![a, evil, gone], vec![duty])
    }

    #[test]
    fn the_notice_escapes_everything_and_lists_active_workers() {
        let (workers, duties) = office();
        let settings = DutySettings { community: "幸福里社区".into(), ..Default::default() };
        let n = Notice {
            settings: &settings,
            profile: &Profile::default(),
            workers: &workers,
            duties: &duties,
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            lang: Lang::Zh,
        };
        let html = n.html();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>幸福里社区社区工作者分工公示</title>"));
        assert!(
            html.contains("每周走访第3网格独居老人") && html.contains("138 1234 5678") && html.contains("综治、老龄")
        );
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
        assert!(html.contains("&quot;党建&quot;"));
        assert!(!html.contains("<script>"));
        // printed on A4 in a CJK font, with an issuing line and a stamp area
        assert!(html.contains("@page{size:A4;") && html.contains("Noto Sans CJK SC") && html.contains("SimSun"));
        assert!(html.contains("幸福里社区居民委员会") && html.contains("（盖章）") && html.contains("2026年11月24日"));
        // the profile's name and issuer come first
        let mut p = Profile::default();
        p.set("name", "红星社区");
        p.set("issuer", "红星社区居民委员会");
        let html = Notice { profile: &p, ..n }.html();
        assert!(html.contains("<title>红星社区社区工作者分工公示</title>") && html.contains("红星社区居民委员会"));
        assert!(!html.contains("王离职"), "a worker who left is not on the notice");
        assert!(html.contains("2026年11月24日"));
        let text = n.text();
        assert!(text.contains("李娜") && text.contains("· 每周走访第3网格独居老人"));
    }

    #[test]
    fn the_evaluation_sheet_weighs_and_grades() {
        let (workers, _) = office();
        let settings = DutySettings::default();
        let mut ev = Evaluation::new(2025, WorkerId(1));
        ev.street = Some(900);
        ev.residents = Some(800);
        ev.own = Some(1000);
        ev.comment = "走访扎实 <好>".into();
        ev.dims = [Some(900), Some(800), Some(950), Some(880), Some(1000)];
        let mut figures = HashMap::new();
        figures.insert(
            WorkerId(1),
            Figures {
                handled: 40,
                on_time: 38,
                callbacks: 20,
                satisfied: 19,
                log_entries: 230,
                visits: 400,
                training_half_days: 15,
                study_months: 12,
            },
        );
        let s = EvaluationSheet {
            settings: &settings,
            profile: &Profile::default(),
            year: 2025,
            workers: &workers[..1],
            evaluations: &[ev],
            figures: &figures,
            lang: Lang::Zh,
        };
        let html = s.html();
        assert!(html.contains("<title>2025年度社区工作者考评表"), "{html}");
        // 15 columns: landscape, names never wrapped a character per line
        assert!(html.contains("@page{size:A4 landscape"), "{html}");
        assert!(html.contains("<td class=\"name\">李娜</td>") && html.contains("td.name{white-space:nowrap}"));
        assert!(html.contains("<td class=\"n\">89</td>"), "0.5*90+0.3*80+0.2*100 = 89");
        assert!(html.contains("称职"));
        assert!(html.contains("95%"), "38/40 on time");
        assert!(html.contains("走访扎实 &lt;好&gt;"));
        assert!(s.text().contains("89"));
        // 德能勤绩廉 beside the sources, with their weights
        for h in ["<th>德</th>", "<th>能</th>", "<th>勤</th>", "<th>绩</th>", "<th>廉</th>", "<th>五项</th>"] {
            assert!(html.contains(h), "{h}");
        }
        assert!(html.contains("<td class=\"n\">89.4</td>"), "(90*20 + 80*20 + 95*20 + 88*30 + 100*10) / 100");
        assert!(html.contains("五项综合：德 20% · 能 20% · 勤 20% · 绩 30% · 廉 10%"), "{html}");
        let text = s.text();
        assert!(text.lines().nth(3).is_some_and(|l| l.contains("德") && l.contains("廉")), "{text}");
    }

    #[test]
    fn phones_print_the_way_offices_write_them() {
        assert_eq!(pretty_phone("02888157379"), "028-88157379");
        assert_eq!(pretty_phone("01062345678"), "010-62345678");
        assert_eq!(pretty_phone("075512345678"), "0755-12345678");
        assert_eq!(pretty_phone("13812345678"), "138 1234 5678");
        assert_eq!(pretty_phone("12345"), "12345");
        assert_eq!(pretty_phone(""), "");
    }

    #[test]
    fn files_land_in_exports_with_safe_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "分工公示_2026-11-24", "<html></html>", "一\n二").unwrap();
        assert_eq!(p, dir.path().join("exports").join("分工公示_2026-11-24.html"));
        let txt = std::fs::read_to_string(dir.path().join("exports").join("分工公示_2026-11-24.txt")).unwrap();
        assert_eq!(txt, "\u{feff}一\r\n二");
        let p = write(dir.path(), "a/b:c", "", "").unwrap();
        assert!(p.ends_with("a_b_c.html"));
    }
}
