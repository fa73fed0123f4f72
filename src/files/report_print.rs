//! The monthly report as the street office receives it: an A4 HTML page
//! with a title block (填报单位, 所属街道, 统计期间, 制表人, 制表日期) and a
//! signing line (负责人, 审核, 盖章), and an XLSX with one sheet per table,
//! every figure a number in its own column so that several communities'
//! sheets add up.
//!
//! Both are built from [`tables`]: a table is a title, its column headers
//! and rows of typed values. The HTML body is a list of sections
//! ([`html_document`] takes them in order), so another part (the charts)
//! adds a section without touching the tables.

use super::report::{Month, Report, html_escape};
use crate::domain::profile::Profile;
use crate::i18n::{self, Lang};
use chrono::NaiveDate;
use std::path::Path;

/// One value of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Num(f64),
    /// A share (0.0–1.0); `None` when there was nothing to divide.
    Pct(Option<f64>),
}

impl Value {
    fn n(v: u64) -> Value {
        Value::Num(v as f64)
    }
    fn pct(n: u64, d: u64) -> Value {
        Value::Pct((d > 0).then(|| n as f64 / d as f64))
    }
    /// As printed: numbers without a needless `.0`, shares as `93.5%`.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Num(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Value::Num(n) => format!("{n:.1}"),
            Value::Pct(Some(p)) => format!("{:.1}%", p * 100.0),
            Value::Pct(None) => "-".into(),
        }
    }
}

/// A table of the report.
#[derive(Debug, Clone)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Who and what heads the report: from the community profile, the
/// operator and the day it is made.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    pub profile: Profile,
    pub prepared_by: String,
    pub prepared_on: Option<NaiveDate>,
}

fn hours(minutes: u64) -> f64 {
    (minutes as f64 / 60.0 * 10.0).round() / 10.0
}

/// The report's tables, in the order they are printed.
pub fn tables(rep: &Report, lang: Lang) -> Vec<Table> {
    let t = lang.report();
    let w = lang.sheets();
    let p = lang.practice();
    let s = |x: &str| x.to_string();
    let mut out = vec![Table {
        title: s(t.summary),
        headers: vec![s(w.item), s(w.count), s(w.rate)],
        rows: vec![
            vec![Value::Text(s(t.total)), Value::n(rep.total), Value::Text(String::new())],
            vec![Value::Text(s(w.resolved_count)), Value::n(rep.resolved), Value::pct(rep.resolved, rep.total)],
            vec![Value::Text(s(w.on_time_count)), Value::n(rep.on_time), Value::pct(rep.on_time, rep.resolved)],
            vec![
                Value::Text(s(w.satisfied_count)),
                Value::n(rep.satisfied),
                Value::pct(rep.satisfied, rep.called_back),
            ],
        ],
    }];
    let counts = |title: &str, head: &str, v: Vec<(String, u64)>| Table {
        title: s(title),
        headers: vec![s(head), s(w.count)],
        rows: v.into_iter().map(|(k, n)| vec![Value::Text(k), Value::n(n)]).collect(),
    };
    out.push(counts(t.by_category, w.item, rep.categories_most_first()));
    out.push(counts(t.by_channel, w.item, rep.by_channel.clone()));
    out.push(counts(t.by_status, w.item, rep.by_status.clone()));
    out.push(counts(t.callbacks, w.item, rep.satisfaction.clone()));
    let lc = &rep.loop_counts;
    out.push(counts(
        p.r_loop,
        w.item,
        vec![
            (s(w.returned), lc.returned),
            (s(w.merged), lc.merged),
            (s(w.ext_asked), lc.extensions_asked),
            (s(w.ext_approved), lc.extensions_approved),
            (s(w.ext_refused), lc.extensions_refused),
            (s(w.yellow), lc.yellow),
            (s(w.red), lc.red),
        ],
    ));
    if !rep.pressed.is_empty() {
        out.push(Table {
            title: s(w.pressed),
            headers: vec![s(w.request_no), s(w.title_col), s(w.card_col), s(w.handler)],
            rows: rep
                .pressed
                .iter()
                .map(|x| {
                    vec![
                        Value::Text(x.id.to_string()),
                        Value::Text(x.title.clone()),
                        Value::Text(i18n::card(lang, x.card).to_string()),
                        Value::Text(x.assignee_name.clone()),
                    ]
                })
                .collect(),
        });
    }
    out.push(Table {
        title: s(t.workers),
        headers: vec![s(w.name), s(t.logged), s(t.resolved), s(t.notes), s(t.log_entries), s(t.visits), s(t.visited)],
        rows: rep
            .workers
            .iter()
            .map(|l| {
                vec![
                    Value::Text(l.name.clone()),
                    Value::n(l.logged),
                    Value::n(l.resolved),
                    Value::n(l.notes),
                    Value::n(l.log_entries),
                    Value::n(l.visits),
                    Value::n(l.visited),
                ]
            })
            .collect(),
    });
    let mut teams: Vec<Vec<Value>> = rep
        .teams
        .iter()
        .map(|l| vec![Value::Text(l.name.clone()), Value::Num(hours(l.minutes)), Value::n(u64::from(l.count))])
        .collect();
    teams.push(vec![
        Value::Text(s(w.total_row)),
        Value::Num(hours(rep.service.minutes)),
        Value::n(u64::from(rep.service.count)),
    ]);
    out.push(Table {
        title: s(t.volunteer_hours),
        headers: vec![s(w.team), s(w.hours_col), s(w.services_col)],
        rows: teams,
    });
    out
}

/// The report's title: `幸福里社区月报 2026-11`.
pub fn title(rep: &Report, lang: Lang, profile: &Profile) -> String {
    let (y, m) = rep.month.unwrap_or_default();
    format!("{}{} {}", profile.name.trim(), lang.report().title, Month { year: y, month: m }.label())
}

/// The period the report covers, first to last day.
fn period(rep: &Report, lang: Lang) -> String {
    let (y, m) = rep.month.unwrap_or_default();
    let first = NaiveDate::from_ymd_opt(y, m, 1);
    let last = first.map(|f| Month::of(f).next().first().pred_opt().unwrap_or(f));
    match (first, last) {
        (Some(f), Some(l)) => i18n::fill_all(lang.sheets().period_value, &[&f, &l]),
        _ => String::new(),
    }
}

/// The style every printable of linli shares: A4 with margins, and a
/// Chinese font stack found on Windows (Microsoft YaHei, SimSun) and on
/// Linux (Noto Sans CJK, Source Han Sans).
pub const PRINT_FONTS: &str =
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"微软雅黑\",\"SimSun\",\"宋体\",sans-serif";

/// The title block: letterhead, title, unit, street, period, who and when.
pub fn html_heading(rep: &Report, lang: Lang, h: &Heading) -> String {
    let w = lang.sheets();
    let e = |s: &str| html_escape(s);
    let blank = "＿＿＿＿＿＿";
    let or_blank = |s: &str| if s.trim().is_empty() { blank.to_string() } else { e(s) };
    let mut o = String::new();
    if !h.profile.letterhead.trim().is_empty() {
        o += &format!("<p class=\"letterhead\">{}</p>\n", e(&h.profile.letterhead));
    }
    o += &format!("<h1>{}</h1>\n", e(&title(rep, lang, &h.profile)));
    o += &format!(
        "<table class=\"head\"><tr><td>{}：{}</td><td>{}：{}</td></tr>\n<tr><td>{}：{}</td><td>{}：{}　{}：{}</td></tr></table>\n",
        e(w.unit),
        or_blank(&h.profile.name),
        e(w.street),
        or_blank(&h.profile.street),
        e(w.period),
        e(&period(rep, lang)),
        e(w.prepared_by),
        or_blank(&h.prepared_by),
        e(w.prepared_on),
        h.prepared_on.map_or_else(|| blank.to_string(), |d| d.to_string()),
    );
    o
}

/// One table as an HTML section; numbers right-aligned.
pub fn html_table(t: &Table) -> String {
    let mut o = format!("<section><h2>{}</h2>\n<table class=\"data\"><thead><tr>", html_escape(&t.title));
    for h in &t.headers {
        o += &format!("<th>{}</th>", html_escape(h));
    }
    o += "</tr></thead><tbody>\n";
    for row in &t.rows {
        o += "<tr>";
        for v in row {
            let class = if matches!(v, Value::Text(_)) { "" } else { " class=\"n\"" };
            o += &format!("<td{class}>{}</td>", html_escape(&v.text()));
        }
        o += "</tr>\n";
    }
    o += "</tbody></table></section>\n";
    o
}

/// The signing line at the foot: 负责人, 审核, 盖章.
pub fn html_signing(lang: Lang, h: &Heading) -> String {
    let w = lang.sheets();
    let head =
        if h.profile.head.trim().is_empty() { "＿＿＿＿＿＿".to_string() } else { html_escape(&h.profile.head) };
    format!(
        "<div class=\"sign\"><span>{}：{head}</span><span>{}：＿＿＿＿＿＿</span><span class=\"stamp\">{}</span></div>\n",
        html_escape(w.head),
        html_escape(w.reviewed_by),
        html_escape(w.stamp)
    )
}

/// A whole A4 HTML document: the title, the style and the body's
/// sections in order.
pub fn html_document(lang: Lang, title: &str, sections: &[String]) -> String {
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
@page{{size:A4;margin:15mm 15mm 18mm}}\
body{{font-family:{PRINT_FONTS};font-size:10.5pt;margin:0;color:#000}}\
h1{{font-size:16pt;text-align:center;margin:0 0 .4em}}h2{{font-size:11.5pt;margin:.8em 0 .3em;page-break-after:avoid}}\
.letterhead{{text-align:center;font-size:12pt;letter-spacing:.2em;border-bottom:2px solid #c00;padding-bottom:.2em;margin:0 0 .6em}}\
table.head{{width:100%;margin-bottom:.6em}}table.head td{{padding:.1em 0}}\
table.data{{border-collapse:collapse;width:100%}}table.data th,table.data td{{border:1px solid #444;padding:.15em .4em;text-align:left}}\
table.data td.n{{text-align:right}}section{{page-break-inside:avoid}}\
.sign{{display:flex;justify-content:space-between;margin-top:2em}}.stamp{{margin-right:3em}}\
</style></head><body>\n",
        if lang == Lang::Zh { "zh-CN" } else { "en" },
        html_escape(title)
    );
    for s in sections {
        o += s;
    }
    o += "</body></html>\n";
    o
}

/// The report's sections: heading, every table, the signing line. (A
/// caller may insert its own before the signing line.)
pub fn html_sections(rep: &Report, lang: Lang, h: &Heading) -> Vec<String> {
    let mut out = vec![html_heading(rep, lang, h)];
    out.extend(tables(rep, lang).iter().map(html_table));
    out.push(super::charts::html_section(rep, lang));
    out.push(html_signing(lang, h));
    out
}

/// The printable A4 HTML of the report.
pub fn html(rep: &Report, lang: Lang, h: &Heading) -> String {
    html_document(lang, &title(rep, lang, &h.profile), &html_sections(rep, lang, h))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The XLSX of the report: a first sheet with the title block, then one
/// sheet per table, figures as numbers (shares as percentages).
pub fn write_xlsx(rep: &Report, lang: Lang, h: &Heading, out: &Path) -> std::io::Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let io = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let w = lang.sheets();
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let title = title(rep, lang, &h.profile);
    for (i, t) in tables(rep, lang).iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&t.title)).map_err(io)?;
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_header(format!("&C{}", title.replace('&', "&&")));
        let mut row = 0;
        if i == 0 {
            // the title block, once, above the first table
            ws.write_string_with_format(0, 0, &title, &bold).map_err(io)?;
            let lines = [
                (w.unit, h.profile.name.clone()),
                (w.street, h.profile.street.clone()),
                (w.period, period(rep, lang)),
                (w.prepared_by, h.prepared_by.clone()),
                (w.prepared_on, h.prepared_on.map(|d| d.to_string()).unwrap_or_default()),
                (w.head, h.profile.head.clone()),
            ];
            for (k, (label, v)) in lines.iter().enumerate() {
                ws.write_string(k as u32 + 1, 0, *label).map_err(io)?;
                ws.write_string(k as u32 + 1, 1, v).map_err(io)?;
            }
            row = lines.len() as u32 + 2;
        }
        for (c, head) in t.headers.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, head, &bold).map_err(io)?;
        }
        ws.set_repeat_rows(row, row).map_err(io)?;
        let mut widths: Vec<usize> = t.headers.iter().map(|x| super::export::display_width_of(x) + 2).collect();
        for (r, vals) in t.rows.iter().enumerate() {
            let r = row + 1 + r as u32;
            for (c, v) in vals.iter().enumerate() {
                let col = c as u16;
                match v {
                    Value::Text(s) => {
                        ws.write_string(r, col, s).map_err(io)?;
                    }
                    Value::Num(n) => {
                        ws.write_number(r, col, *n).map_err(io)?;
                    }
                    Value::Pct(Some(p)) => {
                        ws.write_number_with_format(r, col, *p, &pct).map_err(io)?;
                    }
                    Value::Pct(None) => {}
                }
                if let Some(wd) = widths.get_mut(c) {
                    *wd = (*wd).max((super::export::display_width_of(&v.text()) + 2).min(50));
                }
            }
        }
        for (c, wd) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*wd).max(if i == 0 && c < 2 { 14 } else { 0 }) as f64).map_err(io)?;
        }
    }
    // the charts on a sheet of their own, each beside the figures it draws
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(lang.overview().charts)).map_err(io)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C{}", title.replace('&', "&&")));
    ws.write_string_with_format(0, 0, &title, &bold).map_err(io)?;
    super::charts::xlsx_charts(ws, rep, lang, 2).map_err(io)?;
    book.save(out).map_err(io)?;
    crate::platform::private::restrict(out)
}

/// Writes the report as HTML or XLSX (by the extension of `out`).
pub fn write(rep: &Report, lang: Lang, h: &Heading, out: &Path) -> std::io::Result<()> {
    if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        write_xlsx(rep, lang, h, out)
    } else {
        crate::platform::private::write(out, html(rep, lang, h).as_bytes())
    }
}

/// A month's report from the store, one record at a time; every worker on
/// the roster is listed, those with nothing in the month with zeros.
pub fn month_report(
    store: &crate::store::Store,
    month: Month,
    lang: Lang,
    workers: &[crate::domain::Worker],
) -> Result<Report, crate::store::StoreError> {
    let mut b = super::report::Builder::new(month);
    store.scan_requests(|r| b.add(&r))?;
    store.scan::<crate::domain::duties::log::LogEntry>(|e| b.add_log(&e))?;
    store.scan::<crate::domain::volunteer::ServiceRecord>(|r| b.add_service(&r))?;
    store.scan::<crate::domain::volunteer::Team>(|t| b.add_team(&t))?;
    Ok(b.finish(lang, workers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Worker, WorkerId};

    fn rep() -> Report {
        let workers = [Worker::new(WorkerId(1), "谢丽", "书记"), Worker::new(WorkerId(2), "白晓东", "主任")];
        super::super::report::compute(Lang::Zh, Month { year: 2026, month: 11 }, Vec::new(), &workers)
    }

    #[test]
    fn the_html_has_a4_a_cjk_font_a_title_block_and_a_stamp_area() {
        let mut profile = Profile::default();
        profile.set("name", "幸福里社区");
        profile.set("street", "玉林街道");
        let h = Heading { profile, prepared_by: "谢丽".into(), prepared_on: NaiveDate::from_ymd_opt(2026, 12, 1) };
        let html = html(&rep(), Lang::Zh, &h);
        assert!(html.contains("@page{size:A4"), "{html}");
        assert!(html.contains("Noto Sans CJK SC") && html.contains("SimSun"));
        assert!(html.contains("<h1>幸福里社区月报 2026-11</h1>"), "{html}");
        assert!(html.contains("填报单位：幸福里社区") && html.contains("所属街道：玉林街道"));
        assert!(html.contains("统计期间：2026-11-01 至 2026-11-30"), "{html}");
        assert!(html.contains("制表人：谢丽") && html.contains("制表日期：2026-12-01"));
        assert!(html.contains("审核") && html.contains("（盖章）"));
    }

    #[test]
    fn every_worker_is_listed_with_zeros_and_figures_are_numbers() {
        let t = tables(&rep(), Lang::Zh);
        let workers = t.iter().find(|t| t.title == "工作人员").unwrap();
        assert_eq!(workers.rows.len(), 2);
        assert_eq!(workers.rows[0][0], Value::Text("谢丽".into()));
        assert!(workers.rows[0][1..].iter().all(|v| *v == Value::Num(0.0)));
        assert_eq!(t[0].rows[1][2], Value::Pct(None));
    }
}
