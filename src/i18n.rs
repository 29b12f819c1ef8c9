//! Locales, and how values become words and figures a borrower reads.
//!
//! Formatting is done here and only here, so the page, the CLI and every text template agree:
//! money `¥1,234.50`, datetimes `2026年12月6日 05:00` / `Dec 6, 2026, 05:00`, in the borrower's zone.

use crate::calendar::in_zone;
use crate::money::{Dec, Fen};
use crate::value::Value;
use time::{Date, OffsetDateTime, UtcOffset};

/// A language drawcheck speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    /// Simplified Chinese (the default).
    ZhCn,
    /// English.
    En,
}

impl Locale {
    /// Every locale, in the order texts fall back to each other.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// Reads a BCP 47 tag by its language: `zh`, `zh-CN`, `zh-Hans-CN` → zh-CN; `en`, `en-US` → en.
    pub fn parse(tag: &str) -> Option<Locale> {
        let lang = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match lang.as_str() {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The tag as the contract writes it.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The other locale, for fallback.
    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `¥1,234.50` (rounded down to the fen; a negative amount as `-¥5.00`).
pub fn money(d: Dec) -> String {
    // The sign is moved in the text, not by negating: the fen of an enormous value can be i128::MIN.
    let grouped = Fen::floor(d).grouped();
    match grouped.strip_prefix('-') {
        Some(magnitude) => format!("-¥{magnitude}"),
        None => format!("¥{grouped}"),
    }
}

/// `2026年12月12日` / `Dec 12, 2026`.
pub fn date(d: Date, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day()),
        Locale::En => {
            let m = MONTHS_EN.get(usize::from(u8::from(d.month())).saturating_sub(1)).unwrap_or(&"");
            format!("{m} {}, {}", d.day(), d.year())
        }
    }
}

/// `2026年12月6日 05:00` / `Dec 6, 2026, 05:00`, in `zone`. Seconds round **up** to the minute:
/// the datetimes a borrower reads are ends of restrictions, and "until 08:47" for 08:47:12 would
/// tell them to try again too early.
pub fn datetime(t: OffsetDateTime, zone: UtcOffset, locale: Locale) -> String {
    let t = in_zone(t, zone);
    let t = if t.second() > 0 || t.nanosecond() > 0 {
        t.replace_second(0)
            .ok()
            .and_then(|t| t.replace_nanosecond(0).ok())
            .and_then(|t| t.checked_add(time::Duration::MINUTE))
            .unwrap_or(t)
    } else {
        t
    };
    let sep = match locale {
        Locale::ZhCn => " ",
        Locale::En => ", ",
    };
    format!("{}{sep}{:02}:{:02}", date(t.date(), locale), t.hour(), t.minute())
}

/// `24小时` / `24 hours`, choosing the largest whole unit.
pub fn span(seconds: i64, locale: Locale) -> String {
    let (n, zh, en) = match seconds {
        s if s % 86_400 == 0 => (s / 86_400, "天", "day"),
        s if s % 3_600 == 0 => (s / 3_600, "小时", "hour"),
        s if s % 60 == 0 => (s / 60, "分钟", "minute"),
        s => (s, "秒", "second"),
    };
    match locale {
        Locale::ZhCn => format!("{n}{zh}"),
        Locale::En if n == 1 => format!("1 {en}"),
        Locale::En => format!("{n} {en}s"),
    }
}

/// How long from `now` until `then`, in words: `3 小时 20 分钟` / `3 h 20 min`; `None` if it has passed.
pub fn time_left(now: OffsetDateTime, then: OffsetDateTime, locale: Locale) -> Option<String> {
    let secs = (then - now).whole_seconds();
    if secs <= 0 {
        return None;
    }
    let mins = (secs + 59) / 60;
    let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let mut parts: Vec<String> = Vec::new();
    let (ud, uh, um) = match locale {
        Locale::ZhCn => ("天", "小时", "分钟"),
        Locale::En => (" d", " h", " min"),
    };
    if d > 0 {
        parts.push(format!("{d}{ud}"));
    }
    if h > 0 {
        parts.push(format!("{h}{uh}"));
    }
    if m > 0 && d == 0 {
        parts.push(format!("{m}{um}"));
    }
    Some(parts.join(" "))
}

/// Any value as a borrower reads it.
pub fn value(v: &Value<'_>, zone: UtcOffset, locale: Locale) -> String {
    match v {
        Value::Money(d) => money(*d),
        Value::Date(d) => date(*d, locale),
        Value::DateTime(t) => datetime(*t, zone, locale),
        Value::Duration(s) => span(s.seconds, locale),
        Value::Bool(b) => match (locale, b) {
            (Locale::ZhCn, true) => "是".into(),
            (Locale::ZhCn, false) => "否".into(),
            (Locale::En, true) => "yes".into(),
            (Locale::En, false) => "no".into(),
        },
        Value::Never => match locale {
            Locale::ZhCn => "从未".into(),
            Locale::En => "never".into(),
        },
        Value::Str(s) => (*s).to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn figures_read_naturally_in_both_languages() {
        let zone = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
        let t = datetime!(2026-12-05 21:00 UTC);
        assert_eq!(datetime(t, zone, Locale::ZhCn), "2026年12月6日 05:00");
        assert_eq!(datetime(t, zone, Locale::En), "Dec 6, 2026, 05:00");
        assert_eq!(money(Dec::new(123450, 2)), "¥1,234.50");
        assert_eq!(money(Dec::new(5000005, 3)), "¥5,000.00");
        assert_eq!(span(86_400, Locale::En), "1 day");
        assert_eq!(span(7_200, Locale::ZhCn), "2小时");
        assert_eq!(datetime(datetime!(2026-12-06 08:47:12 +8), zone, Locale::En), "Dec 6, 2026, 08:48");
    }

    #[test]
    fn time_left_rounds_up_to_the_minute() {
        let now = datetime!(2026-12-06 01:40 +8);
        assert_eq!(time_left(now, datetime!(2026-12-06 05:00 +8), Locale::En).as_deref(), Some("3 h 20 min"));
        assert_eq!(time_left(now, datetime!(2026-12-06 05:00 +8), Locale::ZhCn).as_deref(), Some("3小时 20分钟"));
        assert_eq!(time_left(now, now, Locale::En), None);
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse("zh-Hans-CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
    }
}
