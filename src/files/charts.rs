//! The monthly report's charts: inline SVG for the HTML page (no script,
//! black and white, every bar hatched and labelled with its number, so it
//! prints on A4 on an office printer) and native Excel charts for the XLSX
//! (next to small tables of their figures, so the street office can reuse
//! them). Both draw the same three figures of the month: requests by
//! category, callback satisfaction, and volunteer hours by team.
//!
//! The report calls [`html_section`] and [`xlsx_charts`] once each; what
//! the charts show is decided here alone.

use super::report::{Report, html_escape};
use crate::domain::text;
use crate::domain::volunteer::hours;
use crate::i18n::Lang;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartLine, ChartPatternFill, ChartPatternFillType, ChartType, Color, Format,
    Worksheet, XlsxError,
};

/// One chart: a title and its bars (label, value, the value as shown).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub title: String,
    pub bars: Vec<(String, f64, String)>,
}

/// The charts of a report, most first within each, empty ones left out.
pub fn series(rep: &Report, lang: Lang) -> Vec<Series> {
    let o = lang.overview();
    let cats = rep.categories_most_first();
    let count = |v: Vec<(String, u64)>| v.into_iter().map(|(k, n)| (k, n as f64, n.to_string())).collect();
    let out = vec![
        Series { title: o.chart_categories.to_string(), bars: count(cats) },
        Series { title: o.satisfaction.to_string(), bars: count(rep.satisfaction.clone()) },
        Series {
            title: format!("{}{}{}{}", o.hours, lang.t().paren_open, o.hours_unit, lang.t().paren_close),
            bars: rep.teams.iter().map(|t| (t.name.clone(), t.minutes as f64 / 60.0, hours(t.minutes))).collect(),
        },
    ];
    out.into_iter().filter(|s| !s.bars.is_empty()).collect()
}

/// The hatch every bar is filled with: diagonal lines, black on white.
const DEFS: &str = "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-width=\"2\"/></pattern></defs>";

/// One horizontal bar chart as SVG: a row per bar, its label on the left,
/// its number at the bar's end. 640 wide, so it fits an A4 page.
pub fn svg(s: &Series) -> String {
    const W: f64 = 640.0;
    const ROW: f64 = 24.0;
    let label_w = s.bars.iter().map(|b| text::width(&b.0)).max().unwrap_or(4).clamp(4, 24) as f64 * 7.0 + 12.0;
    let max = s.bars.iter().map(|b| b.1).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let bar_room = W - label_w - 80.0;
    let h = 34.0 + ROW * s.bars.len() as f64;
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{W}\" height=\"{h}\" viewBox=\"0 0 {W} {h}\" font-family=\"sans-serif\" font-size=\"13\"><title>{}</title>{DEFS}",
        html_escape(&s.title)
    );
    o += &format!("<text x=\"0\" y=\"16\" font-weight=\"bold\">{}</text>", html_escape(&s.title));
    for (i, (label, v, shown)) in s.bars.iter().enumerate() {
        let y = 28.0 + ROW * i as f64;
        let w = (v / max * bar_room).max(if *v > 0.0 { 1.0 } else { 0.0 });
        o += &format!(
            "<g class=\"bar\"><text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect x=\"{label_w:.0}\" y=\"{y:.0}\" width=\"{w:.1}\" height=\"{:.0}\" fill=\"url(#hatch)\" stroke=\"#000\"/><text x=\"{:.1}\" y=\"{:.0}\">{}</text></g>",
            label_w - 6.0,
            y + 15.0,
            html_escape(label),
            ROW - 6.0,
            label_w + w + 4.0,
            y + 15.0,
            html_escape(shown),
        );
    }
    o += "</svg>";
    o
}

/// The HTML report's chart section (empty when there is nothing to draw).
pub fn html_section(rep: &Report, lang: Lang) -> String {
    let all = series(rep, lang);
    if all.is_empty() {
        return String::new();
    }
    let mut o = format!("<h2>{}</h2>\n", html_escape(lang.overview().charts));
    for s in &all {
        o += "<figure style=\"margin:0 0 1.5em 0;page-break-inside:avoid\">";
        o += &svg(s);
        o += "</figure>\n";
    }
    o
}

/// Excel charts to the right of the report's tables: each chart's figures
/// as a small table (columns D and E, from row `first_row`), the chart
/// beside it (from column G), with hatched bars and their numbers on them.
pub fn xlsx_charts(ws: &mut Worksheet, rep: &Report, lang: Lang, first_row: u32) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = ws.name();
    let mut row = first_row;
    let patterns = [
        ChartPatternFillType::DiagonalStripesWideUpwards,
        ChartPatternFillType::Dotted50Percent,
        ChartPatternFillType::HorizontalStripesDark,
    ];
    for (i, s) in series(rep, lang).iter().enumerate() {
        ws.write_string_with_format(row, 3, &s.title, &bold)?;
        ws.write_string_with_format(row, 4, lang.overview().count, &bold)?;
        let first = row + 1;
        for (j, (label, v, _)) in s.bars.iter().enumerate() {
            ws.write_string(first + j as u32, 3, label)?;
            ws.write_number(first + j as u32, 4, (v * 10.0).round() / 10.0)?;
        }
        let last = first + s.bars.len() as u32 - 1;
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&s.title);
        chart.legend().set_hidden();
        let fill = ChartPatternFill::new()
            .set_pattern(patterns[i % patterns.len()])
            .set_foreground_color(Color::Black)
            .set_background_color(Color::White)
            .clone();
        chart
            .add_series()
            .set_name(&s.title)
            .set_categories((sheet.as_str(), first, 3, last, 3))
            .set_values((sheet.as_str(), first, 4, last, 4))
            .set_format(ChartFormat::new().set_pattern_fill(&fill).set_border(ChartLine::new().set_color(Color::Black)))
            .set_data_label(ChartDataLabel::new().show_value());
        chart.set_width(480).set_height((120 + 22 * s.bars.len() as u32).min(420));
        ws.insert_chart(row, 6, &chart)?;
        // the next chart below this one's table and picture
        row = last + 2 + (s.bars.len() as u32).max(6);
    }
    ws.set_column_width(3, 18)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::report::TeamLine;

    fn report() -> Report {
        let mut rep = Report { month: Some((2026, 11)), total: 9, ..Default::default() };
        rep.by_category.insert("停车难".into(), 5);
        rep.by_category.insert("小修小补".into(), 3);
        rep.by_category.insert("邻里纠纷 <急>".into(), 1);
        rep.satisfaction = vec![("满意".into(), 4), ("不满意".into(), 1)];
        rep.teams = vec![TeamLine { name: "银发互助队".into(), minutes: 390, count: 5 }];
        rep
    }

    #[test]
    fn the_svg_names_every_bar_with_its_number_and_holds_no_script() {
        let html = html_section(&report(), Lang::Zh);
        assert!(html.starts_with("<h2>图表</h2>"), "{html}");
        assert_eq!(html.matches("<svg").count(), 3, "categories, satisfaction, hours");
        for s in ["停车难", ">5<", "小修小补", ">3<", "邻里纠纷 &lt;急&gt;", "满意", "不满意", "银发互助队", ">6.5<"]
        {
            assert!(html.contains(s), "{s} in {html}");
        }
        assert_eq!(html.matches("class=\"bar\"").count(), 6);
        assert!(!html.to_lowercase().contains("<script"), "no script in a printable report");
        assert!(html.contains("url(#hatch)"), "bars are hatched, readable in black and white");
        // the longest bar is the largest figure
        let first = svg(&series(&report(), Lang::Zh)[0]);
        assert!(first.find("停车难").unwrap() < first.find("小修小补").unwrap(), "most first");
    }

    #[test]
    fn an_empty_month_draws_no_chart() {
        assert_eq!(html_section(&Report::default(), Lang::En), "");
    }
}
