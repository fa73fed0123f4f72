//! Masking of personal numbers (PIPL): phone and ID numbers are shown as
//! `138****5678` unless the user deliberately reveals them.

/// Masks every kind of phone number, shown whole only after a recorded
/// reveal. A mobile keeps its first three and last four digits
/// (`13812345678` → `138****5678`); a landline with its area code keeps
/// the area code and the last two (`02887654321` → `028-****21`); any
/// other number — a local landline (`87654321` → `******21`), a short or
/// odd one — only its last two digits. Separators and a `+86` prefix are
/// ignored; an empty number stays empty.
pub fn phone(p: &str) -> String {
    if p.trim().is_empty() {
        return String::new();
    }
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    let d = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest,
        _ => digits.as_str(),
    };
    let n = d.len();
    if n == 11 && d.starts_with('1') {
        return format!("{}****{}", &d[..3], &d[7..]);
    }
    if d.starts_with('0') && (10..=12).contains(&n) {
        // 010 and 02x are three digits long, every other area code four
        let area = if matches!(d.as_bytes()[1], b'1' | b'2') { 3 } else { 4 };
        return format!("{}-****{}", &d[..area], &d[n - 2..]);
    }
    let keep = if n > 2 { 2 } else { 0 };
    format!("{}{}", "*".repeat(n.max(4) - keep), &d[n - keep..])
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
    let digits: String = crate::domain::text::half_width(s).chars().filter(|c| !matches!(c, ' ' | '-' | '—')).collect();
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
        assert_eq!(phone("+86 138 1234 5678"), "138****5678");
        assert_eq!(phone("12345"), "***45");
        assert_eq!(phone(""), "");
    }

    #[test]
    fn landlines_never_show_whole() {
        // a local number: the last two digits at most
        assert_eq!(phone("87654321"), "******21");
        assert_eq!(phone("8765432"), "*****32");
        // with the area code: the area code and the last two
        assert_eq!(phone("02887654321"), "028-****21");
        assert_eq!(phone("028-8765432"), "028-****32");
        assert_eq!(phone("01012345678"), "010-****78");
        assert_eq!(phone("075512345678"), "0755-****78");
        // no number of any length shows more than seven of its digits
        for n in 1..=13 {
            let p: String = "9876543210123".chars().take(n).collect();
            let shown = phone(&p).chars().filter(char::is_ascii_digit).count();
            assert!(shown <= 2 || (n >= 10 && shown <= 6), "{p} → {}", phone(&p));
        }
        assert_eq!(phone("abc"), "****");
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
        assert_eq!(normalize_phone("１３８１２３４９９９９"), Ok("13812349999".into()), "an IME's full-width digits");
        assert_eq!(normalize_phone("０２８－８７６５４３２１"), Ok("02887654321".into()));
        assert_eq!(normalize_phone("138　1234　5678"), Ok("13812345678".into()));
        assert_eq!(normalize_phone(""), Ok(String::new()));
    }
}
