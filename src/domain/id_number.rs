//! Resident identity card numbers (居民身份证号码, GB 11643-1999): 17 digits
//! and a check character computed with ISO 7064 MOD 11-2. Optional on
//! volunteers and residents; masked everywhere unless revealed (recorded).

use chrono::NaiveDate;

/// Why a typed ID number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Not 18 characters of digits (the last may be X).
    Shape,
    /// The birth date (digits 7–14) is no real day.
    Birth,
    /// The check character does not match the first 17 digits.
    Check,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character of the first 17 digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

/// A typed ID number, cleaned (spaces dropped, full-width digits and a
/// lower-case x read as meant) and checked. Returns the 18 characters.
pub fn parse(s: &str) -> Result<String, IdError> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            'x' | 'ｘ' | 'Ｘ' => 'X',
            c => c,
        })
        .collect();
    let ok_shape = clean.len() == 18
        && clean[..17].bytes().all(|b| b.is_ascii_digit())
        && clean[17..].chars().all(|c| c.is_ascii_digit() || c == 'X');
    if !ok_shape {
        return Err(IdError::Shape);
    }
    let birth = NaiveDate::parse_from_str(&clean[6..14], "%Y%m%d").map_err(|_| IdError::Birth)?;
    if birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(birth) {
        return Err(IdError::Birth);
    }
    if check_char(&clean[..17]) != clean[17..].chars().next() {
        return Err(IdError::Check);
    }
    Ok(clean)
}

/// The gender the 17th digit records (odd: male), for a certificate.
pub fn is_male(id: &str) -> Option<bool> {
    id.as_bytes().get(16).filter(|b| b.is_ascii_digit()).map(|b| (b - b'0') % 2 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_own_example_and_real_format_numbers_check() {
        // GB 11643-1999's worked example
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(parse("11010519491231002X").as_deref(), Ok("11010519491231002X"));
        // typed with a lower-case x, spaces and full-width digits
        assert_eq!(parse("110105 19491231 002x").as_deref(), Ok("11010519491231002X"));
        assert_eq!(parse("５１０１０４１９８８０５１２００１Ｘ").as_deref(), Err(&IdError::Check));
        let first = "51010419880512001";
        let c = check_char(first).unwrap();
        assert_eq!(parse(&format!("{first}{c}")).as_deref(), Ok(format!("{first}{c}").as_str()));
        assert_eq!(is_male("11010519491231002X"), Some(false));
        assert_eq!(is_male("51010419880512001"), Some(true));
    }

    #[test]
    fn wrong_check_digits_dates_and_shapes_are_refused() {
        assert_eq!(parse("110105194912310021"), Err(IdError::Check));
        assert_eq!(parse("110105194902300028"), Err(IdError::Birth)); // 30 Feb
        assert_eq!(parse("11010519491231002"), Err(IdError::Shape));
        assert_eq!(parse("1101051949123100XX"), Err(IdError::Shape));
        assert_eq!(parse(""), Err(IdError::Shape));
        assert_eq!(parse("一二三"), Err(IdError::Shape));
    }
}
