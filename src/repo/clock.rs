//! What day it is. Reports say "as of today", default to today's quarter and mark today on the timeline;
//! `OKR_TODAY=YYYY-MM-DD` pins the day, so a report made again later, or a test, says the same.

use anyhow::{Result, bail};
use jiff::civil::Date;

pub fn today() -> Result<Date> {
    match std::env::var("OKR_TODAY") {
        Ok(day) if !day.is_empty() => match day.parse::<Date>() {
            Ok(date) => Ok(date),
            Err(_) => bail!("OKR_TODAY={day} is not a day; write it as YYYY-MM-DD, or unset it"),
        },
        _ => Ok(jiff::Zoned::now().date()),
    }
}
