//! Latency histograms (microsecond resolution) and the tables the benchmarks print.

use std::time::Duration;

use hdrhistogram::Histogram;

/// Latencies of one kind of operation.
#[derive(Clone)]
pub struct Latencies(Histogram<u64>);

impl Default for Latencies {
    fn default() -> Self {
        Self::new()
    }
}

impl Latencies {
    pub fn new() -> Self {
        // 1 µs to 60 s at three significant digits.
        Self(Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds"))
    }

    pub fn record(&mut self, d: Duration) {
        self.0.saturating_record((d.as_micros() as u64).max(1));
    }

    pub fn add(&mut self, other: &Latencies) {
        self.0.add(&other.0).expect("same bounds");
    }

    pub fn count(&self) -> u64 {
        self.0.len()
    }

    /// The `q` quantile (0–1) in milliseconds.
    pub fn ms(&self, q: f64) -> f64 {
        self.0.value_at_quantile(q) as f64 / 1000.0
    }

    pub fn max_ms(&self) -> f64 {
        self.0.max() as f64 / 1000.0
    }
}

/// A table printed with aligned columns: the first column left-aligned, the others right.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// A row of latency columns: count, p50, p90, p99, max (ms) and a rate (per second).
    pub fn latency_row(&mut self, label: &str, l: &Latencies, per_second: f64) {
        self.row(vec![
            label.to_string(),
            l.count().to_string(),
            format!("{:.3}", l.ms(0.50)),
            format!("{:.3}", l.ms(0.90)),
            format!("{:.3}", l.ms(0.99)),
            format!("{:.3}", l.max_ms()),
            format!("{per_second:.0}"),
        ]);
    }

    /// The header for [`Table::latency_row`].
    pub fn latency(first: &str) -> Self {
        Self::new(&[first, "n", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s"])
    }

    pub fn print(&self) {
        let columns = self.header.len();
        let width: Vec<usize> = (0..columns)
            .map(|c| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (c, w) in width.iter().enumerate() {
                let cell = cells.get(c).map(String::as_str).unwrap_or("");
                let pad = w - cell.chars().count();
                if c == 0 {
                    out.push_str(cell);
                    out.push_str(&" ".repeat(pad));
                } else {
                    out.push_str("  ");
                    out.push_str(&" ".repeat(pad));
                    out.push_str(cell);
                }
            }
            println!("{}", out.trim_end());
        };
        line(&self.header);
        println!(
            "{}",
            "-".repeat(width.iter().sum::<usize>() + 2 * (columns - 1))
        );
        for r in &self.rows {
            line(r);
        }
    }
}
