//! Residents known to the office (居民): who they are, where they live,
//! and the tags that say who needs looking after.

use super::ids::ResidentId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Tags offered by default; the office may type others.
pub const TAGS: &[&str] = &["独居老人", "空巢老人", "残疾人", "低保户", "退役军人", "特困人员", "孕产妇", "租户"];

/// Building–unit–room (楼栋–单元–室), with the estate (小区) when the
/// community has several.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub estate: String,
    pub building: String,
    pub unit: String,
    pub room: String,
}

impl Address {
    /// Reads `幸福小区 3-2-301`, `3-2-301`, `3栋2单元301室` or `3/2/301`.
    pub fn parse(s: &str) -> Address {
        let s = s.trim();
        let (estate, rest) = match s.rfind(|c: char| c.is_whitespace()) {
            Some(i) => (s[..i].trim().to_string(), s[i..].trim()),
            None if s.chars().next().is_some_and(|c| c.is_ascii_digit()) => (String::new(), s),
            None => {
                // 幸福小区3栋2单元301室: split at the first digit
                match s.find(|c: char| c.is_ascii_digit()) {
                    Some(i) => (s[..i].to_string(), &s[i..]),
                    None => return Address { estate: s.to_string(), ..Default::default() },
                }
            }
        };
        let parts: Vec<String> = rest
            .split(['-', '/', '栋', '幢', '号', '单', '元', '室', '楼'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let get = |i: usize| parts.get(i).cloned().unwrap_or_default();
        Address { estate, building: get(0), unit: get(1), room: get(2) }
    }

    pub fn is_empty(&self) -> bool {
        self.estate.is_empty() && self.building.is_empty() && self.unit.is_empty() && self.room.is_empty()
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let brief = [&self.building, &self.unit, &self.room]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("-");
        match (self.estate.is_empty(), brief.is_empty()) {
            (true, _) => write!(f, "{brief}"),
            (false, true) => write!(f, "{}", self.estate),
            (false, false) => write!(f, "{} {brief}", self.estate),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub id: ResidentId,
    pub name: String,
    pub phone: String,
    pub address: Address,
    pub grid: String,
    pub tags: Vec<String>,
    pub notes: String,
}

impl Resident {
    pub fn new(id: ResidentId, name: &str) -> Self {
        Resident {
            id,
            name: name.to_string(),
            phone: String::new(),
            address: Address::default(),
            grid: String::new(),
            tags: Vec::new(),
            notes: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_the_ways_offices_write_them() {
        let a = Address::parse("幸福小区 3-2-301");
        assert_eq!(
            (a.estate.as_str(), a.building.as_str(), a.unit.as_str(), a.room.as_str()),
            ("幸福小区", "3", "2", "301")
        );
        assert_eq!(a.to_string(), "幸福小区 3-2-301");
        let b = Address::parse("幸福小区3栋2单元301室");
        assert_eq!(b.to_string(), "幸福小区 3-2-301");
        assert_eq!(Address::parse("12/1/502").to_string(), "12-1-502");
        assert_eq!(Address::parse("").to_string(), "");
        assert_eq!(Address::parse("老街").to_string(), "老街");
    }
}
