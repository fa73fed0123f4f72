//! Record identifiers.
//!
//! Every id is a `u64` stored big-endian, so sled's byte order is id order.
//! A request id carries its year: `2026-000123` is `2026 * 1_000_000 + 123`,
//! which keeps requests in the order they were logged.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RequestId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResidentId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WorkerId(pub u64);

const YEAR_SPAN: u64 = 1_000_000;

impl RequestId {
    pub fn new(year: i32, seq: u64) -> Self {
        RequestId(year.max(0) as u64 * YEAR_SPAN + seq % YEAR_SPAN)
    }
    pub fn year(self) -> i32 {
        (self.0 / YEAR_SPAN) as i32
    }
    pub fn seq(self) -> u64 {
        self.0 % YEAR_SPAN
    }
    /// Parses `2026-000123` (also `2026-123`).
    pub fn parse(s: &str) -> Option<Self> {
        let (y, n) = s.trim().split_once('-')?;
        let y: i32 = y.parse().ok()?;
        let n: u64 = n.parse().ok()?;
        ((1000..=9999).contains(&y) && n < YEAR_SPAN).then(|| RequestId::new(y, n))
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.year(), self.seq())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_shows_year_and_sequence() {
        let id = RequestId::new(2026, 123);
        assert_eq!(id.to_string(), "2026-000123");
        assert_eq!(RequestId::parse("2026-000123"), Some(id));
        assert_eq!(RequestId::parse("2026-123"), Some(id));
        assert_eq!(RequestId::parse("26-1"), None);
        assert_eq!(RequestId::parse("abc"), None);
        assert!(RequestId::new(2025, 999_999) < RequestId::new(2026, 1));
    }
}
