//! The quarter as a horizontal axis, shared by the timeline and the progress charts so that a day sits at the
//! same place in both.

use jiff::Span;
use jiff::civil::Date;

/// The days a page draws: the quarter, its planning window, and the day the page is made on.
pub struct Window {
    pub start: Date,
    pub end: Date,
    pub kickoff: Date,
    pub today: Date,
}

/// Days shown before the quarter's first day, for planning drafts; anything older sits at the left edge.
const GUTTER_DAYS: i64 = 10;

pub struct Axis {
    from: Date,
    end: Date,
    pub x0: f64,
    width: f64,
    total: f64,
}

impl Axis {
    pub fn new(start: Date, end: Date, x0: f64, width: f64) -> Axis {
        let from = start
            .checked_sub(Span::new().days(GUTTER_DAYS))
            .unwrap_or(start);
        let total = (days_between(from, end) + 1).max(1) as f64;
        Axis {
            from,
            end,
            x0,
            width,
            total,
        }
    }

    /// The middle of a day; days outside the axis sit at its edges.
    pub fn x(&self, date: Date) -> f64 {
        let offset = (days_between(self.from, date) as f64).clamp(0.0, self.total - 1.0) + 0.5;
        self.x0 + self.width * offset / self.total
    }

    /// Where a day begins.
    pub fn edge(&self, date: Date) -> f64 {
        let offset = (days_between(self.from, date) as f64).clamp(0.0, self.total);
        self.x0 + self.width * offset / self.total
    }

    pub fn right(&self) -> f64 {
        self.x0 + self.width
    }

    pub fn contains(&self, date: Date) -> bool {
        date >= self.from && date <= self.end
    }

    /// Months on the axis: the first shown day of each and where the next begins.
    pub fn months(&self) -> Vec<(Date, Date)> {
        let mut months = Vec::new();
        let mut first = self.from.first_of_month();
        let after_end = self.end.tomorrow().unwrap_or(self.end);
        while first < after_end {
            let next = first
                .checked_add(Span::new().months(1))
                .unwrap_or(after_end);
            months.push((first.max(self.from), next.min(after_end)));
            if next <= first {
                break;
            }
            first = next;
        }
        months
    }
}

pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn month_name(date: Date) -> &'static str {
    MONTHS[usize::try_from(date.month() - 1).unwrap_or(0).min(11)]
}

/// A coordinate, short.
pub fn c(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}
