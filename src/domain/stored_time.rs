//! How dates and times are written inside the store (issue 8: disk).
//!
//! chrono writes a date-time as text (`2026-11-24T09:30:00`, 20 bytes with
//! its length) in every format; a request carries eight of them. Inside the
//! store's values (postcard, value format 2, see `store::codec`) they are
//! numbers instead: seconds and nanoseconds, days for a date (6–10 and 3
//! bytes). Everywhere else — the JSON of backups, exports — and when
//! reading a value written before (format 1), they stay chrono's text.
//!
//! The choice is made by `store::codec` for the value it encodes or
//! decodes ([`compact`]); fields opt in with `#[serde(with = "…")]`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::Cell;

thread_local! {
    static COMPACT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (one postcard encode or decode) with dates and times as
/// numbers (`on`) or as chrono's text.
pub fn compact<T>(on: bool, f: impl FnOnce() -> T) -> T {
    let before = COMPACT.replace(on);
    let out = f();
    COMPACT.set(before);
    out
}

fn numbers(human_readable: bool) -> bool {
    !human_readable && COMPACT.get()
}

fn to_parts(t: &NaiveDateTime) -> (i64, u32) {
    let u = t.and_utc();
    (u.timestamp(), u.timestamp_subsec_nanos())
}

fn from_parts<E: serde::de::Error>((secs, nanos): (i64, u32)) -> Result<NaiveDateTime, E> {
    chrono::DateTime::from_timestamp(secs, nanos).map(|t| t.naive_utc()).ok_or_else(|| E::custom("time out of range"))
}

fn from_days<E: serde::de::Error>(days: i32) -> Result<NaiveDate, E> {
    NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| E::custom("date out of range"))
}

pub mod datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { to_parts(t).serialize(s) } else { t.serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        if numbers(d.is_human_readable()) {
            from_parts(Deserialize::deserialize(d)?)
        } else {
            Deserialize::deserialize(d)
        }
    }
}

pub mod date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { t.num_days_from_ce().serialize(s) } else { t.serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if numbers(d.is_human_readable()) {
            from_days(Deserialize::deserialize(d)?)
        } else {
            Deserialize::deserialize(d)
        }
    }
}

pub mod opt_datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { t.as_ref().map(to_parts).serialize(s) } else { t.serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        if numbers(d.is_human_readable()) {
            Option::<(i64, u32)>::deserialize(d)?.map(from_parts).transpose()
        } else {
            Deserialize::deserialize(d)
        }
    }
}

pub mod opt_date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { t.map(|d| d.num_days_from_ce()).serialize(s) } else { t.serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if numbers(d.is_human_readable()) {
            Option::<i32>::deserialize(d)?.map(from_days).transpose()
        } else {
            Deserialize::deserialize(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "datetime")]
        at: NaiveDateTime,
        #[serde(with = "date")]
        on: NaiveDate,
        #[serde(with = "opt_datetime")]
        maybe_at: Option<NaiveDateTime>,
        #[serde(with = "opt_date")]
        maybe_on: Option<NaiveDate>,
    }

    fn sample() -> T {
        let on = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        T {
            // nanoseconds survive (the app's clock has them)
            at: on.and_hms_nano_opt(9, 30, 5, 123_456_789).unwrap(),
            on,
            maybe_at: Some(on.and_hms_opt(23, 59, 59).unwrap()),
            maybe_on: None,
        }
    }

    #[test]
    fn compact_values_are_numbers_and_read_back_exactly() {
        let t = sample();
        let text = postcard::to_stdvec(&t).unwrap();
        let bytes = compact(true, || postcard::to_stdvec(&t).unwrap());
        assert!(bytes.len() * 2 < text.len(), "{} bytes against {}", bytes.len(), text.len());
        assert_eq!(compact(true, || postcard::from_bytes::<T>(&bytes)).unwrap(), t);
        // written before: text, read as text
        assert_eq!(postcard::from_bytes::<T>(&text).unwrap(), t);
    }

    #[test]
    fn json_keeps_chrono_text_whatever_the_setting() {
        let t = sample();
        let json = compact(true, || serde_json::to_string(&t).unwrap());
        assert!(json.contains("\"2026-11-24T09:30:05.123456789\"") && json.contains("\"2026-11-24\""), "{json}");
        assert_eq!(compact(true, || serde_json::from_str::<T>(&json)).unwrap(), t);
    }

    #[test]
    fn the_setting_is_undone_after_each_call() {
        compact(true, || assert!(COMPACT.get()));
        assert!(!COMPACT.get());
        // a value cut short is an error, not a panic
        let bytes = compact(true, || postcard::to_stdvec(&sample()).unwrap());
        assert!(compact(true, || postcard::from_bytes::<T>(&bytes[..3])).is_err());
    }
}
