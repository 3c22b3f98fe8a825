//! The figures a bench measured, in the one shape `make bench` gathers: each bench writes
//! `figures.csv` next to its report, and `scripts/bench/summary.py` turns every such file into
//! `target/bench/summary.md` (goal, figure and ratio per row) and appends them to
//! `bench/history.csv`, so figures can be compared across commits.

/// Which way a figure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Times, memory, ratios to a reference.
    Lower,
    /// Throughput.
    Higher,
}

/// One measured figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What was measured, e.g. "search p99, 16 clients".
    pub measure: String,
    /// The size it was measured at, e.g. "100000 products".
    pub size: String,
    /// The goal, when the issue sets one.
    pub goal: Option<f64>,
    pub value: f64,
    /// "ms", "req/s", "s", "MB", "×".
    pub unit: &'static str,
    pub better: Better,
}

impl Figure {
    pub fn lower(
        measure: impl Into<String>,
        size: impl Into<String>,
        value: f64,
        unit: &'static str,
    ) -> Figure {
        Figure {
            measure: measure.into(),
            size: size.into(),
            goal: None,
            value,
            unit,
            better: Better::Lower,
        }
    }

    pub fn higher(
        measure: impl Into<String>,
        size: impl Into<String>,
        value: f64,
        unit: &'static str,
    ) -> Figure {
        Figure { better: Better::Higher, ..Figure::lower(measure, size, value, unit) }
    }

    pub fn goal(self, goal: f64) -> Figure {
        Figure { goal: Some(goal), ..self }
    }

    /// How far from the goal: ≤ 1 meets it (figure ÷ goal when lower is better, goal ÷ figure
    /// when higher is better). `None` without a goal or with a zero figure or goal.
    pub fn ratio(&self) -> Option<f64> {
        let goal = self.goal.filter(|g| *g > 0.0)?;
        match self.better {
            Better::Lower => Some(self.value / goal),
            Better::Higher if self.value > 0.0 => Some(goal / self.value),
            Better::Higher => None,
        }
    }
}

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into() }
}

/// `figures.csv` of one bench: `bench,measure,size,goal,value,unit,better`.
pub fn to_csv(bench: &str, figures: &[Figure]) -> String {
    let mut out = String::from("bench,measure,size,goal,value,unit,better\n");
    for f in figures {
        let goal = f.goal.map(|g| format!("{g}")).unwrap_or_default();
        let better = match f.better {
            Better::Lower => "lower",
            Better::Higher => "higher",
        };
        out.push_str(&format!(
            "{},{},{},{goal},{:.3},{},{better}\n",
            field(bench),
            field(&f.measure),
            field(&f.size),
            f.value,
            field(f.unit)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_at_most_one_when_the_goal_is_met_either_way() {
        assert_eq!(Figure::lower("p99", "100k", 10.0, "ms").goal(20.0).ratio(), Some(0.5));
        assert_eq!(Figure::lower("p99", "100k", 30.0, "ms").goal(15.0).ratio(), Some(2.0));
        assert_eq!(Figure::higher("rps", "100k", 1000.0, "req/s").goal(2000.0).ratio(), Some(2.0));
        assert_eq!(Figure::higher("rps", "100k", 4000.0, "req/s").goal(2000.0).ratio(), Some(0.5));
        assert_eq!(Figure::lower("index", "100k", 7.0, "s").ratio(), None);
        assert_eq!(Figure::higher("rps", "100k", 0.0, "req/s").goal(1.0).ratio(), None);
    }

    #[test]
    fn csv_quotes_fields_with_commas() {
        let csv =
            to_csv("search", &[Figure::lower("p99, 16 clients", "100000", 12.5, "ms").goal(15.0)]);
        assert_eq!(
            csv,
            "bench,measure,size,goal,value,unit,better\nsearch,\"p99, 16 clients\",100000,15,12.500,ms,lower\n"
        );
    }
}
