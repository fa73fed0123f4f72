//! Masking of personal numbers (PIPL): phone and ID numbers are shown as
//! `138****5678` unless the user deliberately reveals them.

/// `13812345678` → `138****5678`. Short or odd numbers keep only the last
/// two digits visible; an empty number stays empty.
pub fn phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n >= 7 => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[n - 4..].iter().collect();
            format!("{head}****{tail}")
        }
        n => {
            let tail: String = chars[n.saturating_sub(2)..].iter().collect();
            format!("{}{tail}", "*".repeat(n.saturating_sub(2)))
        }
    }
}

/// ID card number: first 3 and last 4 visible (`110***********123X`).
pub fn id_number(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - 7))
}

/// A phone number that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPhone;

/// A phone number as typed, checked: digits only (spaces and dashes dropped),
/// 11 digits starting with 1 for a mobile, or 7–12 digits for a landline.
pub fn normalize_phone(s: &str) -> Result<String, BadPhone> {
    let digits: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Ok(String::new());
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(BadPhone);
    }
    let ok = if digits.starts_with('1') && digits.len() == 11 {
        true
    } else {
        !digits.starts_with('1') && (7..=12).contains(&digits.len())
    };
    if ok { Ok(digits) } else { Err(BadPhone) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("028-8765432"), "028****5432");
        assert_eq!(phone("12345"), "***45");
        assert_eq!(phone(""), "");
    }

    #[test]
    fn id_numbers_are_masked() {
        assert_eq!(id_number("11010519491231002X"), "110***********002X");
        assert_eq!(id_number("123"), "***");
    }

    #[test]
    fn phone_numbers_are_checked() {
        assert_eq!(normalize_phone("138 1234 5678"), Ok("13812345678".into()));
        assert_eq!(normalize_phone("028-87654321"), Ok("02887654321".into()));
        assert!(normalize_phone("1381234567").is_err());
        assert!(normalize_phone("abc").is_err());
        assert_eq!(normalize_phone(""), Ok(String::new()));
    }
}
