//! The community's own particulars (社区名称, 所属街道, 地址, 电话, 负责人,
//! letterhead), printed on every sheet, report and certificate that leaves
//! the office. Kept in the store (meta key `profile`, JSON: no schema
//! change, in every backup); a store without one reads as the empty profile.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    /// 社区名称, e.g. 幸福里社区.
    pub name: String,
    /// 所属街道, e.g. 玉林街道.
    pub street: String,
    pub address: String,
    pub phone: String,
    /// 负责人 (signs certificates and reports).
    pub head: String,
    /// 出具单位 on certificates, e.g. 幸福里社区居民委员会. Empty: none yet
    /// (a certificate is refused until it is filled in).
    pub issuer: String,
    /// Optional letterhead line above a printout's title.
    pub letterhead: String,
}

impl Profile {
    /// The fields in the order a form asks for them: key, zh, en.
    pub const FIELDS: [(&'static str, &'static str, &'static str); 7] = [
        ("name", "社区名称", "Community"),
        ("street", "所属街道", "Street office"),
        ("address", "地址", "Address"),
        ("phone", "电话", "Phone"),
        ("head", "负责人", "Person in charge"),
        ("issuer", "出具单位", "Issuing organisation"),
        ("letterhead", "信头", "Letterhead"),
    ];

    pub fn get(&self, key: &str) -> &str {
        match key {
            "name" => &self.name,
            "street" => &self.street,
            "address" => &self.address,
            "phone" => &self.phone,
            "head" => &self.head,
            "issuer" => &self.issuer,
            "letterhead" => &self.letterhead,
            _ => "",
        }
    }

    /// Sets a field by key (trimmed); false for an unknown key.
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        let v = value.trim().to_string();
        let slot = match key {
            "name" => &mut self.name,
            "street" => &mut self.street,
            "address" => &mut self.address,
            "phone" => &mut self.phone,
            "head" => &mut self.head,
            "issuer" => &mut self.issuer,
            "letterhead" => &mut self.letterhead,
            _ => return false,
        };
        *slot = v;
        true
    }

    pub fn is_empty(&self) -> bool {
        *self == Profile::default()
    }

    /// The issuing organisation (出具单位); `None` while not filled in.
    pub fn issuer(&self) -> Option<String> {
        if !self.issuer.trim().is_empty() { Some(self.issuer.trim().to_string()) } else { None }
    }

    /// The issuer a certificate carries: the profile's, or one the office
    /// set in `roster.txt` before the profile existed (the shipped
    /// placeholder `placeholder` does not count). `None`: refuse to issue.
    pub fn certificate_issuer(&self, roster_issuer: &str, placeholder: &str) -> Option<String> {
        let own = roster_issuer.trim();
        self.issuer().or_else(|| (!own.is_empty() && own != placeholder).then(|| own.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_profile_has_no_issuer_and_fields_set_by_key() {
        let mut p = Profile::default();
        assert!(p.is_empty());
        assert_eq!(p.issuer(), None);
        assert!(p.set("issuer", "  幸福里社区居民委员会 "));
        assert_eq!(p.issuer().as_deref(), Some("幸福里社区居民委员会"));
        assert!(!p.set("nope", "x"));
        // no certificate without an issuer: the shipped placeholder is none
        let empty = Profile::default();
        assert_eq!(empty.certificate_issuer("社区居民委员会", "社区居民委员会"), None);
        assert_eq!(empty.certificate_issuer("  ", "社区居民委员会"), None);
        assert_eq!(empty.certificate_issuer("红星社区居委会", "社区居民委员会").as_deref(), Some("红星社区居委会"));
        assert_eq!(p.certificate_issuer("红星社区居委会", "社区居民委员会").as_deref(), Some("幸福里社区居民委员会"));
        for (k, _, _) in Profile::FIELDS {
            assert!(p.set(k, k));
            assert_eq!(p.get(k), k);
        }
    }
}
