//! The search box's language: words (prefixes, anywhere), `from:`, `to:` and `subject:`
//! words, and operators that narrow by state, place and date, combinable with words and
//! each other, in the app and `courriel search` alike:
//!
//! - `is:unread`, `is:read`, `is:flagged`, `has:attachment`
//! - `in:<folder>` (a folder's shown or server name, or a role: `in:sent`, `in:archive`)
//! - `account:<address>`
//! - `after:<date>` (that day and later) and `before:<date>` (earlier days), a date being
//!   `2026-11-01`, `today` or `yesterday`, in the user's time zone.
//!
//! An operator this does not know (`foo:bar`) is a word like any other, so an address or a
//! time in the words is still found. Quotes group words with spaces: `in:"Old projects"`.

use chrono::{Days, Local, NaiveDate, TimeZone};

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words for the full-text index, `field:word` ones included.
    pub words: Vec<String>,
    pub seen: Option<bool>,
    pub flagged: Option<bool>,
    pub attachment: bool,
    pub folder: Option<String>,
    pub account: Option<String>,
    /// Unix seconds: the message's date is before this.
    pub before: Option<i64>,
    /// Unix seconds: the message's date is this or later.
    pub after: Option<i64>,
}

impl Query {
    /// Whether anything beyond words narrows the search.
    pub fn has_filters(&self) -> bool {
        self.seen.is_some()
            || self.flagged.is_some()
            || self.attachment
            || self.folder.is_some()
            || self.account.is_some()
            || self.before.is_some()
            || self.after.is_some()
    }
}

/// `text` read as a query, dates relative to `now` (unix seconds).
pub fn parse(text: &str, now: i64) -> Query {
    let mut query = Query::default();
    for term in terms(text) {
        if !operator(&mut query, &term, now) {
            query.words.push(term);
        }
    }
    query
}

/// Applies `term` when it is an operator this knows, with a value it can use.
fn operator(q: &mut Query, term: &str, now: i64) -> bool {
    let Some((name, value)) = term.split_once(':') else {
        return false;
    };
    let value = value.trim_matches('"');
    match (
        name.to_ascii_lowercase().as_str(),
        value.to_ascii_lowercase().as_str(),
    ) {
        ("is", "unread") => q.seen = Some(false),
        ("is", "read") => q.seen = Some(true),
        ("is", "flagged" | "starred") => q.flagged = Some(true),
        ("has", "attachment" | "attachments") => q.attachment = true,
        ("in", v) if !v.is_empty() => q.folder = Some(value.to_owned()),
        ("account", v) if v.contains('@') => q.account = Some(v.to_owned()),
        ("before", v) => match day_start(v, now) {
            Some(t) => q.before = Some(t),
            None => return false,
        },
        ("after", v) => match day_start(v, now) {
            Some(t) => q.after = Some(t),
            None => return false,
        },
        _ => return false,
    }
    true
}

/// The query's terms: split at spaces, except inside double quotes.
fn terms(text: &str) -> Vec<String> {
    let (mut terms, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

/// The start of a day in the local time zone, as unix seconds.
fn day_start(value: &str, now: i64) -> Option<i64> {
    let today = Local.timestamp_opt(now, 0).single()?.date_naive();
    let day = match value {
        "today" | "aujourd'hui" => today,
        "yesterday" | "hier" => today.checked_sub_days(Days::new(1))?,
        v => NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?,
    };
    let midnight = day.and_hms_opt(0, 0, 0)?;
    Some(Local.from_local_datetime(&midnight).earliest()?.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_words_and_quotes() {
        let q = parse(
            "budget from:zoe is:unread has:attachment in:\"Old projects\" account:Bob@Example.org",
            0,
        );
        assert_eq!(q.words, ["budget", "from:zoe"]);
        assert_eq!(q.seen, Some(false));
        assert!(q.attachment && q.has_filters());
        assert_eq!(q.folder.as_deref(), Some("Old projects"));
        assert_eq!(q.account.as_deref(), Some("bob@example.org"));
        assert!(!parse("budget from:zoe", 0).has_filters());
    }

    #[test]
    fn unknown_operators_and_bad_dates_stay_words() {
        let q = parse("foo:bar before:soon 10:30 is:", 0);
        assert_eq!(q.words, ["foo:bar", "before:soon", "10:30", "is:"]);
        assert!(!q.has_filters());
    }

    #[test]
    fn dates_are_days_in_the_local_zone() {
        let now = Local
            .with_ymd_and_hms(2026, 12, 4, 15, 0, 0)
            .single()
            .expect("a time")
            .timestamp();
        let q = parse("after:yesterday before:2026-12-04", now);
        let yesterday = Local
            .with_ymd_and_hms(2026, 12, 3, 0, 0, 0)
            .single()
            .expect("midnight");
        let today = Local
            .with_ymd_and_hms(2026, 12, 4, 0, 0, 0)
            .single()
            .expect("midnight");
        assert_eq!(q.after, Some(yesterday.timestamp()));
        assert_eq!(q.before, Some(today.timestamp()));
        assert_eq!(parse("after:today", now).after, Some(today.timestamp()));
    }
}
