//! Quarters on the calendar: which quarter a day falls in, and when a quarter starts and ends.
//!
//! Quarters are calendar quarters unless `fiscal_year_start_month` says otherwise. A fiscal year is named by
//! the calendar year it ends in (a year starting in February 2026 is FY2027, so 2027-Q1 starts 2026-02-01),
//! the convention of most companies that use one; with the default start month (January) both agree.

use jiff::civil::Date;

use crate::core::model::Quarter;

/// How a repository counts quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// 1-12.
    pub fiscal_year_start_month: u8,
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar {
            fiscal_year_start_month: 1,
        }
    }
}

impl Calendar {
    pub fn new(fiscal_year_start_month: u8) -> Calendar {
        Calendar {
            fiscal_year_start_month: fiscal_year_start_month.clamp(1, 12),
        }
    }

    /// The first day of a quarter.
    pub fn start(&self, quarter: Quarter) -> Date {
        let offset = i32::from(self.fiscal_year_start_month - 1);
        // Months since year 0 of the quarter's first month, in the fiscal year's calendar year.
        let fiscal_year = i32::from(quarter.year) - i32::from(offset > 0);
        let month_index = fiscal_year * 12 + offset + (i32::from(quarter.number) - 1) * 3;
        let year = month_index.div_euclid(12);
        let month = month_index.rem_euclid(12) + 1;
        Date::new(clamp_year(year), month as i8, 1).unwrap_or(Date::MAX)
    }

    /// The last day of a quarter.
    pub fn end(&self, quarter: Quarter) -> Date {
        let next = self
            .start(quarter)
            .saturating_add(jiff::Span::new().months(3));
        next.yesterday().unwrap_or(Date::MAX)
    }

    /// The quarter a day falls in.
    pub fn quarter_of(&self, date: Date) -> Quarter {
        let offset = i32::from(self.fiscal_year_start_month - 1);
        let months = i32::from(date.year()) * 12 + i32::from(date.month() - 1) - offset;
        let fiscal_year = months.div_euclid(12) + i32::from(offset > 0);
        let number = months.rem_euclid(12) / 3 + 1;
        Quarter {
            year: clamp_year(fiscal_year),
            number: number as u8,
        }
    }
}

/// When a quarter's planning ends: the calendar and the planning window of `okr.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planning {
    pub calendar: Calendar,
    pub window_days: u32,
}

impl Planning {
    /// The first day after the planning window: changes from then on are mid-quarter.
    pub fn kickoff(&self, quarter: Quarter) -> Date {
        let start = self.calendar.start(quarter);
        start
            .checked_add(jiff::Span::new().days(i64::from(self.window_days)))
            .unwrap_or_else(|_| self.calendar.end(quarter))
    }
}

impl crate::core::history::Kickoffs for Planning {
    fn kickoff(&self, quarter: Option<&str>) -> Option<Date> {
        let quarter: Quarter = quarter?.parse().ok()?;
        Some(Planning::kickoff(self, quarter))
    }
}

fn clamp_year(year: i32) -> i16 {
    year.clamp(-9999, 9999) as i16
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    #[test]
    fn calendar_quarters_are_three_months_from_january() {
        let calendar = Calendar::default();
        assert_eq!(calendar.start(q("2026-Q3")), date(2026, 7, 1));
        assert_eq!(calendar.end(q("2026-Q3")), date(2026, 9, 30));
        assert_eq!(calendar.end(q("2026-Q4")), date(2026, 12, 31));
        assert_eq!(calendar.quarter_of(date(2026, 11, 22)), q("2026-Q4"));
        assert_eq!(calendar.quarter_of(date(2026, 1, 1)), q("2026-Q1"));
    }

    #[test]
    fn fiscal_years_are_named_by_the_year_they_end_in() {
        let february = Calendar::new(2);
        assert_eq!(february.start(q("2027-Q1")), date(2026, 2, 1));
        assert_eq!(february.end(q("2027-Q4")), date(2027, 1, 31));
        assert_eq!(february.quarter_of(date(2026, 11, 22)), q("2027-Q4"));
        assert_eq!(february.quarter_of(date(2026, 1, 31)), q("2026-Q4"));
        let october = Calendar::new(10);
        assert_eq!(october.start(q("2027-Q1")), date(2026, 10, 1));
        assert_eq!(october.quarter_of(date(2026, 7, 1)), q("2026-Q4"));
    }

    #[test]
    fn every_day_falls_in_the_quarter_that_contains_it() {
        for month in 1..=12 {
            let calendar = Calendar::new(month);
            let mut day = date(2025, 1, 1);
            while day < date(2027, 1, 1) {
                let quarter = calendar.quarter_of(day);
                assert!(
                    calendar.start(quarter) <= day && day <= calendar.end(quarter),
                    "{month} {day} {quarter}"
                );
                day = day.tomorrow().unwrap();
            }
        }
    }
}
