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

/// A date or date-time as chrono's text, written and read without chrono's
/// generic formatter and parser for the usual shapes (`2026-11-24`,
/// `2026-11-24T09:30:00`, with `.f` as chrono writes it): a backup of the
/// large set writes and reads about two million of them, and chrono's way
/// (`core::fmt` character by character; a parser driven by a list of
/// items) was ~0.3 s of a restore and of a verify (BENCHMARKS.md, issue 19,
/// fifth pass). The text is byte for byte chrono's; anything else (a year
/// outside 0–9999, a leap second, spaces, a tenth fraction digit, a date
/// that does not exist) goes to chrono's own, so what is accepted or
/// refused, and with which message, is unchanged (tests below, against
/// chrono).
struct Text<T>(T);

fn two(out: &mut [u8], n: u32) {
    out[0] = b'0' + (n / 10) as u8;
    out[1] = b'0' + (n % 10) as u8;
}

/// chrono's `Debug` of a date, `YYYY-MM-DD`, when the year has 4 digits.
fn date_text(d: &NaiveDate, out: &mut [u8]) -> bool {
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return false;
    }
    two(&mut out[0..2], y as u32 / 100);
    two(&mut out[2..4], y as u32 % 100);
    out[4] = b'-';
    two(&mut out[5..7], d.month());
    out[7] = b'-';
    two(&mut out[8..10], d.day());
    true
}

/// chrono's `Debug` of a date-time: its length in `out`, or `None` when
/// chrono's own must write it.
fn datetime_text(t: &NaiveDateTime, out: &mut [u8; 29]) -> Option<usize> {
    use chrono::Timelike;
    let nano = t.nanosecond();
    if nano >= 1_000_000_000 || !date_text(&t.date(), &mut out[..10]) {
        return None;
    }
    out[10] = b'T';
    two(&mut out[11..13], t.hour());
    out[13] = b':';
    two(&mut out[14..16], t.minute());
    out[16] = b':';
    two(&mut out[17..19], t.second());
    let (digits, mut frac) = match nano {
        0 => return Some(19),
        n if n % 1_000_000 == 0 => (3, n / 1_000_000),
        n if n % 1_000 == 0 => (6, n / 1_000),
        n => (9, n),
    };
    out[19] = b'.';
    for i in (0..digits).rev() {
        out[20 + i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    Some(20 + digits)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD` exactly, a date that exists; `None` for chrono's parser.
fn quick_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(&b[..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DDTHH:MM:SS`, then nothing or a `.` and 1–9 digits, exactly,
/// a date and time that exist (a second of 60, a leap second, is left to
/// chrono); `None` for chrono's parser.
fn quick_datetime(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let nano = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => digits(frac)? * 10u32.pow(9 - frac.len() as u32),
        _ => return None,
    };
    let time =
        chrono::NaiveTime::from_hms_nano_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?, nano)?;
    Some(quick_date(&b[..10])?.and_time(time))
}

impl Serialize for Text<NaiveDateTime> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = [0u8; 29];
        match datetime_text(&self.0, &mut out) {
            // (ASCII digits and signs only: always UTF-8)
            Some(n) => s.serialize_str(std::str::from_utf8(&out[..n]).unwrap_or_default()),
            None => self.0.serialize(s),
        }
    }
}

impl Serialize for Text<NaiveDate> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = [0u8; 10];
        if date_text(&self.0, &mut out) {
            s.serialize_str(std::str::from_utf8(&out).unwrap_or_default())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Text<NaiveDateTime> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NaiveDateTime;
            // (chrono's words, so that a refusal reads the same)
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a formatted date and time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NaiveDateTime, E> {
                quick_datetime(v.as_bytes()).map_or_else(|| v.parse().map_err(E::custom), Ok)
            }
        }
        d.deserialize_str(V).map(Text)
    }
}

impl<'de> Deserialize<'de> for Text<NaiveDate> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NaiveDate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a formatted date string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NaiveDate, E> {
                quick_date(v.as_bytes()).map_or_else(|| v.parse().map_err(E::custom), Ok)
            }
        }
        d.deserialize_str(V).map(Text)
    }
}

pub mod datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { to_parts(t).serialize(s) } else { Text(*t).serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        if numbers(d.is_human_readable()) {
            from_parts(Deserialize::deserialize(d)?)
        } else {
            Text::deserialize(d).map(|t| t.0)
        }
    }
}

pub mod date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { t.num_days_from_ce().serialize(s) } else { Text(*t).serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if numbers(d.is_human_readable()) {
            from_days(Deserialize::deserialize(d)?)
        } else {
            Text::deserialize(d).map(|t| t.0)
        }
    }
}

pub mod opt_datetime {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) { t.as_ref().map(to_parts).serialize(s) } else { t.map(Text).serialize(s) }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        if numbers(d.is_human_readable()) {
            Option::<(i64, u32)>::deserialize(d)?.map(from_parts).transpose()
        } else {
            Ok(Option::<Text<NaiveDateTime>>::deserialize(d)?.map(|t| t.0))
        }
    }
}

pub mod opt_date {
    use super::*;
    pub fn serialize<S: Serializer>(t: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if numbers(s.is_human_readable()) {
            t.map(|d| d.num_days_from_ce()).serialize(s)
        } else {
            t.map(Text).serialize(s)
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if numbers(d.is_human_readable()) {
            Option::<i32>::deserialize(d)?.map(from_days).transpose()
        } else {
            Ok(Option::<Text<NaiveDate>>::deserialize(d)?.map(|t| t.0))
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
    fn the_quick_text_is_chronos_text_and_reads_back_as_chrono_reads_it() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..20_000 {
            // years around the 4-digit edge too, every precision chrono writes
            let year = [next(10_000) as i32, -1 - next(50) as i32, 10_000 + next(50) as i32, 2026][i % 4];
            let Some(on) = NaiveDate::from_yo_opt(year, 1 + next(366) as u32) else { continue };
            let nano = match next(5) {
                0 => 0,
                1 => next(1000) as u32 * 1_000_000,
                2 => next(1_000_000) as u32 * 1000,
                3 => next(1_000_000_000) as u32,
                // a leap second (chrono keeps it as a nanosecond past 10^9)
                _ => 1_000_000_000 + next(1000) as u32 * 1_000_000,
            };
            let sec = if nano >= 1_000_000_000 { 59 } else { next(60) as u32 };
            let Some(at) = on.and_hms_nano_opt(next(24) as u32, next(60) as u32, sec, nano) else { continue };
            let t = T { at, on, maybe_at: Some(at), maybe_on: Some(on) };
            let ours = serde_json::to_string(&t).unwrap();
            let chronos = format!(
                "{{\"at\":{0},\"on\":{1},\"maybe_at\":{0},\"maybe_on\":{1}}}",
                serde_json::to_string(&at).unwrap(),
                serde_json::to_string(&on).unwrap()
            );
            assert_eq!(ours, chronos);
            assert_eq!(serde_json::from_str::<T>(&ours).unwrap(), t, "{ours}");
            seen.insert(ours.len());
        }
        // (every length: no fraction, 3, 6, 9 digits, signed years)
        assert!(seen.len() >= 8, "{seen:?}");
    }

    #[test]
    fn text_off_the_quick_shapes_is_judged_by_chrono() {
        let chrono_reads = |text: &str| -> Result<NaiveDateTime, String> {
            serde_json::from_str::<NaiveDateTime>(&format!("\"{text}\"")).map_err(|e| e.to_string())
        };
        let we_read = |text: &str| -> Result<NaiveDateTime, String> {
            let json = format!("{{\"at\":\"{text}\",\"on\":\"2026-11-24\",\"maybe_at\":null,\"maybe_on\":null}}");
            serde_json::from_str::<T>(&json).map(|t| t.at).map_err(|e| e.to_string())
        };
        for text in [
            "2026-11-24T09:30:00",
            "2026-11-24T09:30:00.5",
            "2026-11-24T09:30:00.123456789",
            "2026-11-24T09:30:00.1234567891",
            "2026-11-24T09:30:00.",
            "2026-11-24T23:59:60",
            "2026-11-24T23:59:60.5",
            "2026-11-24T24:00:00",
            "2026-02-29T09:30:00",
            "2024-02-29T09:30:00",
            "2026-11-24t09:30:00",
            "2026-11-24 09:30:00",
            "2026-11-24T9:30:00",
            "2026-1-24T09:30:00",
            "+12026-11-24T09:30:00",
            "-0001-11-24T09:30:00",
            "2026-11-24T09:30:00 ",
            "2026-11-24T09:30:0a",
            "２０２６-11-24T09:30:00",
            "",
        ] {
            let (ours, theirs) = (we_read(text), chrono_reads(text));
            // the same value, or both refused (the message then names the field)
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{text:?}: {ours:?} / {theirs:?}");
            if let (Ok(a), Ok(b)) = (&ours, &theirs) {
                assert_eq!(a, b, "{text:?}");
            }
            if let (Err(a), Err(b)) = (&ours, &theirs) {
                assert!(a.starts_with(b.split(" at line").next().unwrap_or(b)), "{text:?}: {a} / {b}");
            }
        }
        for text in ["2026-11-24", "2026-02-29", "2024-02-29", "2026-1-24", "2026-11-24 ", "+12026-11-24", "x"] {
            let chronos = serde_json::from_str::<NaiveDate>(&format!("\"{text}\"")).map_err(|e| e.to_string());
            let json =
                format!("{{\"at\":\"2026-11-24T09:30:00\",\"on\":\"{text}\",\"maybe_at\":null,\"maybe_on\":null}}");
            let ours = serde_json::from_str::<T>(&json).map(|t| t.on).map_err(|e| e.to_string());
            assert_eq!(ours.is_ok(), chronos.is_ok(), "{text:?}: {ours:?} / {chronos:?}");
            if let (Ok(a), Ok(b)) = (&ours, &chronos) {
                assert_eq!(a, b, "{text:?}");
            }
        }
        // not a string at all: chrono's words
        let err = serde_json::from_str::<T>("{\"at\":5,\"on\":\"2026-11-24\",\"maybe_at\":null,\"maybe_on\":null}");
        assert!(err.unwrap_err().to_string().contains("a formatted date and time string"));
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
