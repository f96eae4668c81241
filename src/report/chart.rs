//! Cost-against-volume charts: a text chart for the terminal and an SVG for HTML pages. Both
//! draw the same curves: each option's monthly cost over a sweep of volumes, with the
//! break-even volume and the workload's own volume marked.

use super::Report;
use super::escape;
use super::html::escape as html_escape;
use crate::engine::VolumeRow;
use crate::model::units::{fmt_tokens, fmt_usd};
use std::fmt::Write as _;

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// (tokens a month, USD a month), in volume order.
    pub points: Vec<(f64, f64)>,
    /// Glyph in the text chart.
    pub glyph: char,
    /// Stroke colour in the SVG.
    pub color: &'static str,
}

/// A vertical line at a volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Label, e.g. `break-even 1.68B`.
    pub label: String,
    /// The volume.
    pub x: f64,
    /// Glyph in the text chart.
    pub glyph: char,
}

/// What an axis measures, and so how its ticks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Tokens a month.
    Tokens,
    /// US dollars a month.
    Usd,
    /// A plain number, with what it counts (tokens a second per user).
    Number(&'static str),
}

impl Axis {
    fn tick(self, v: f64) -> String {
        match self {
            Axis::Tokens => fmt_tokens(v),
            Axis::Usd => fmt_usd(v),
            Axis::Number(_) => format!("{v:.0}"),
        }
    }

    /// How many times larger its values are shown: the display currency's rate for amounts.
    fn unit(self) -> f64 {
        match self {
            Axis::Usd => crate::model::units::shown_amount(1.0),
            _ => 1.0,
        }
    }

    fn name(self) -> String {
        match self {
            Axis::Tokens => "tokens a month".into(),
            Axis::Usd => format!("{} a month", crate::model::units::shown_code()),
            Axis::Number(name) => name.into(),
        }
    }
}

/// A chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The series.
    pub series: Vec<Series>,
    /// The markers.
    pub markers: Vec<Marker>,
    /// Log-scaled volume axis.
    pub log_x: bool,
    /// What each axis measures (x, y).
    pub axes: (Axis, Axis),
}

struct Scale {
    lo: f64,
    hi: f64,
    log: bool,
}

impl Scale {
    fn new(lo: f64, hi: f64, log: bool) -> Scale {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo, lo * 2.0 + 1.0)
        };
        Scale { lo, hi, log }
    }

    /// Position of `v` in 0..=1.
    fn at(&self, v: f64) -> f64 {
        let f = if self.log {
            (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The value at position `f` in 0..=1.
    fn value(&self, f: f64) -> f64 {
        if self.log {
            (self.lo.ln() + f * (self.hi.ln() - self.lo.ln())).exp()
        } else {
            self.lo + f * (self.hi - self.lo)
        }
    }

    /// Tick values: powers of ten on a log scale (every other when crowded), five even steps
    /// otherwise.
    fn ticks(&self) -> Vec<f64> {
        self.ticks_in(1.0)
    }

    /// [`Scale::ticks`] for values shown `unit` times larger (amounts in another currency): the
    /// powers of ten of the values shown, so that a log axis reads EUR 10,000, not EUR 9,200.
    fn ticks_in(&self, unit: f64) -> Vec<f64> {
        if self.log {
            let (lo, hi) = (self.lo * unit, self.hi * unit);
            let mut t: Vec<f64> = (lo.log10().ceil() as i32..=hi.log10().floor() as i32)
                .map(|e| 10f64.powi(e) / unit)
                .collect();
            while t.len() > 6 {
                t = t.into_iter().step_by(2).collect();
            }
            if t.len() >= 2 {
                return t;
            }
        }
        (0..=4).map(|i| self.value(f64::from(i) / 4.0)).collect()
    }
}

impl Chart {
    fn scales(&self) -> Option<(Scale, Scale)> {
        let xs = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        let ys = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1));
        let (xlo, xhi) = xs.fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
        let (ylo, yhi) = ys
            .filter(|y| *y > 0.0)
            .fold((f64::INFINITY, 0.0f64), |(a, b), y| (a.min(y), b.max(y)));
        if !(xlo.is_finite() && ylo.is_finite() && xhi > 0.0) {
            return None;
        }
        // Costs spanning more than two decades read better on a log scale.
        let log_y = yhi / ylo > 100.0;
        Some((
            Scale::new(xlo, xhi, self.log_x),
            Scale::new(if log_y { ylo } else { 0.0 }, yhi * 1.05, log_y),
        ))
    }

    /// A text chart `width` columns wide (plot area) and `height` rows high.
    pub fn text(&self, width: usize, height: usize) -> String {
        let Some((sx, sy)) = self.scales() else {
            return String::new();
        };
        let mut grid = vec![vec![' '; width]; height];
        let col = |x: f64| ((sx.at(x) * (width - 1) as f64).round() as usize).min(width - 1);
        for m in &self.markers {
            let c = col(m.x);
            for row in &mut grid {
                row[c] = m.glyph;
            }
        }
        for s in &self.series {
            for c in 0..width {
                let x = sx.value(c as f64 / (width - 1) as f64);
                // The point nearest this column (the curves are dense).
                let Some(&(_, y)) = s.points.iter().min_by(|a, b| {
                    (sx.at(a.0) - sx.at(x))
                        .abs()
                        .total_cmp(&(sx.at(b.0) - sx.at(x)).abs())
                }) else {
                    continue;
                };
                let r = height
                    - 1
                    - ((sy.at(y) * (height - 1) as f64).round() as usize).min(height - 1);
                let glyphs: Vec<char> = self.series.iter().map(|o| o.glyph).collect();
                if let Some(cell) = grid.get_mut(r).and_then(|row| row.get_mut(c)) {
                    *cell = if glyphs.contains(cell) && *cell != s.glyph {
                        '*'
                    } else {
                        s.glyph
                    };
                }
            }
        }
        let labels: Vec<String> = (0..height)
            .map(|r| {
                if r == 0 || r == height - 1 || r == height / 2 {
                    self.axes
                        .1
                        .tick(sy.value(1.0 - r as f64 / (height - 1) as f64))
                } else {
                    String::new()
                }
            })
            .collect();
        // Ten columns, or the longest label (amounts in another currency are longer).
        let label_w = labels
            .iter()
            .map(|l| l.chars().count())
            .fold(10, usize::max);
        let mut out = String::new();
        for (row, label) in grid.iter().zip(&labels) {
            let plot: String = row.iter().collect();
            let _ = writeln!(out, "{label:>label_w$} ┤{}", plot.trim_end());
        }
        let _ = writeln!(out, "{:>label_w$} └{}", "", "─".repeat(width));
        // Tick labels under the axis, left-aligned at their column where they fit.
        let mut axis = vec![' '; width + 12];
        for t in sx.ticks() {
            let text = self.axes.0.tick(t);
            let c = col(t).min(width.saturating_sub(text.len()));
            if axis[c..c + text.len()].iter().all(|ch| *ch == ' ') {
                for (i, ch) in text.chars().enumerate() {
                    axis[c + i] = ch;
                }
            }
        }
        let _ = writeln!(
            out,
            "{:>label_w$}  {}",
            "",
            axis.iter().collect::<String>().trim_end()
        );
        let mut legend: Vec<String> = self
            .series
            .iter()
            .map(|s| format!("{} {}", s.glyph, s.name))
            .collect();
        if self.series.len() > 1 {
            legend.push("* both".into());
        }
        legend.extend(
            self.markers
                .iter()
                .map(|m| format!("{} {}", m.glyph, m.label)),
        );
        out.push_str(&super::text::bullet(
            &" ".repeat(label_w + 2),
            &format!(
                "{}; {}{}, {}{}",
                legend.join(", "),
                self.axes.0.name(),
                if sx.log { " (log)" } else { "" },
                self.axes.1.name(),
                if sy.log { " (log)" } else { "" }
            ),
        ));
        out
    }

    /// An SVG chart, `width` by `height` pixels, self-contained.
    pub fn svg(&self, title: &str, width: f64, height: f64) -> String {
        let Some((sx, sy)) = self.scales() else {
            return String::new();
        };
        // Room on the left for the longest value label (about 7 px a character at 12 px).
        let widest = sy
            .ticks_in(self.axes.1.unit())
            .iter()
            .map(|t| self.axes.1.tick(*t).chars().count())
            .max()
            .unwrap_or(0);
        let left = (12.0 + 7.0 * widest as f64).max(84.0);
        let (right, top, bottom) = (24.0, 36.0, 72.0);
        let pw = width - left - right;
        let ph = height - top - bottom;
        let px = |x: f64| left + sx.at(x) * pw;
        let py = |y: f64| top + (1.0 - sy.at(y)) * ph;
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title id=\"chart-title\">{}</title>\n<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n",
            html_escape(title)
        );
        let _ = writeln!(
            s,
            "<text x=\"{left}\" y=\"20\" font-size=\"14\" font-weight=\"600\">{}</text>",
            html_escape(title)
        );
        for t in sx.ticks() {
            let x = px(t);
            let _ = write!(
                s,
                "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e3e6ee\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                top + ph,
                top + ph + 18.0,
                self.axes.0.tick(t)
            );
        }
        for t in sy.ticks_in(self.axes.1.unit()) {
            let y = py(t);
            let _ = write!(
                s,
                "<line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e3e6ee\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
                left + pw,
                left - 6.0,
                y + 4.0,
                self.axes.1.tick(t)
            );
        }
        let _ = write!(
            s,
            "<rect x=\"{left}\" y=\"{top}\" width=\"{pw:.1}\" height=\"{ph:.1}\" fill=\"none\" stroke=\"#9aa3b5\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}{}</text>\n<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}{}</text>\n",
            left + pw / 2.0,
            top + ph + 36.0,
            self.axes.0.name(),
            if sx.log { " (log scale)" } else { "" },
            top + ph / 2.0,
            self.axes.1.name(),
            if sy.log { " (log scale)" } else { "" }
        );
        for series in &self.series {
            let points: Vec<String> = series
                .points
                .iter()
                .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y.max(sy.lo))))
                .collect();
            let _ = writeln!(
                s,
                "<polyline class=\"series\" data-name=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" points=\"{}\"/>",
                html_escape(&series.name),
                series.color,
                points.join(" ")
            );
        }
        for (i, m) in self.markers.iter().enumerate() {
            let x = px(m.x);
            let y = top + 14.0 + 14.0 * i as f64;
            let anchor = if sx.at(m.x) > 0.7 { "end" } else { "start" };
            let dx = if anchor == "end" { -4.0 } else { 4.0 };
            let _ = write!(
                s,
                "<line class=\"marker\" x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-dasharray=\"{}\"/>\n<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>\n",
                top + ph,
                if i == 0 { "6 4" } else { "2 3" },
                x + dx,
                html_escape(&m.label)
            );
        }
        let mut lx = left;
        let ly = height - 14.0;
        for series in &self.series {
            let _ = write!(
                s,
                "<line x1=\"{lx:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2.5\"/>\n<text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>\n",
                ly - 4.0,
                lx + 22.0,
                ly - 4.0,
                series.color,
                lx + 28.0,
                html_escape(&series.name)
            );
            lx += 40.0 + 7.0 * series.name.chars().count() as f64;
        }
        s.push_str("</svg>\n");
        s
    }
}

/// The chart of a decision's options over `curve`.
pub fn costs(r: &Report, curve: &[VolumeRow], log_x: bool, mark_you: bool) -> Chart {
    let a = &r.analysis;
    let mut markers = Vec::new();
    if let Some(c) = a.crossover.tokens_per_month {
        markers.push(Marker {
            label: format!("break-even {}", fmt_tokens(c)),
            x: c,
            glyph: '|',
        });
    }
    if mark_you {
        markers.push(Marker {
            label: format!("you {}", fmt_tokens(a.workload.tokens_per_month)),
            x: a.workload.tokens_per_month,
            glyph: ':',
        });
    }
    Chart {
        axes: (Axis::Tokens, Axis::Usd),
        series: vec![
            Series {
                // Names from inputs: escaped once here for both the text plot and the SVG.
                name: escape::terminal(&format!("API ({})", a.api.id)),
                points: curve
                    .iter()
                    .map(|p| (p.tokens_per_month, p.api_monthly_cost_usd))
                    .collect(),
                glyph: 'A',
                color: "#1f5fbf",
            },
            Series {
                name: escape::terminal(&format!(
                    "Self-host ({})",
                    super::words::cost::self_host_label(&a.self_host)
                )),
                points: curve
                    .iter()
                    .map(|p| (p.tokens_per_month, p.self_host_monthly_cost_usd))
                    .collect(),
                glyph: 'S',
                color: "#d9731a",
            },
        ],
        markers,
        log_x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        // The article's crossover table: API $7.50 per 1M; self-host $4,000 per 2.5B unit.
        // 61 volumes, 20 a decade, from 10M to 10B.
        let volumes: Vec<f64> = (0..=60)
            .map(|i| 10e6 * 10f64.powf(f64::from(i) / 20.0))
            .collect();
        Chart {
            axes: (Axis::Tokens, Axis::Usd),
            series: vec![
                Series {
                    name: "API".into(),
                    points: volumes.iter().map(|&v| (v, v * 7.5e-6)).collect(),
                    glyph: 'A',
                    color: "#1f5fbf",
                },
                Series {
                    name: "Self-host".into(),
                    points: volumes
                        .iter()
                        .map(|&v| (v, 4000.0 * (v / 2.5e9).ceil()))
                        .collect(),
                    glyph: 'S',
                    color: "#d9731a",
                },
            ],
            markers: vec![Marker {
                label: "break-even 533M".into(),
                x: 533e6,
                glyph: '|',
            }],
            log_x: true,
        }
    }

    #[test]
    fn text_chart_places_the_ends_and_the_marker() {
        let text = chart().text(40, 10);
        let lines: Vec<&str> = text.lines().collect();
        // Costs run $75..$75,000: a log cost axis; the top row is the largest cost.
        assert!(lines[0].trim_start().starts_with("$78,750 ┤"), "{text}");
        assert!(lines[9].trim_start().starts_with("$75.00 ┤A"), "{text}");
        assert!(lines[0].ends_with('A'), "{text}");
        assert!(lines.iter().all(|l| !l.ends_with(' ')), "{text}");
        // 533M on a 10M..10B log axis: (log 53.3) / (log 1000) of 39 columns = column 22.
        let row = lines[5];
        let plot: Vec<char> = row.split('┤').nth(1).unwrap().chars().collect();
        assert_eq!(plot[22], '|', "{text}");
        assert_eq!(lines[11].trim(), "10M          100M         1B         10B");
        assert!(lines[12].contains("A API, S Self-host, * both, | break-even 533M"));
    }

    #[test]
    fn svg_has_both_lines_and_the_marker() {
        let svg = chart().svg("Cost <&> volume", 720.0, 360.0);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"chart-title\">Cost &lt;&amp;&gt; volume</title>"));
        assert_eq!(svg.matches("<polyline class=\"series\"").count(), 2);
        assert!(svg.contains(">break-even 533M</text>"));
        // The API line starts at the bottom-left corner of the plot: (84, 288).
        assert!(svg.contains("points=\"84.0,288.0 "), "{svg}");
    }
}
