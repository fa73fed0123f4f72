//! Bytes on disk: keys are big-endian integers (so sled's byte order is id
//! order and range scans come for free); values are one format byte
//! followed by a postcard body. A value that does not decode is an error
//! returned to the caller, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The first byte of every stored value.
pub const FORMAT_POSTCARD: u8 = 1;

pub fn key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn key2(a: u64, b: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&a.to_be_bytes());
    k[8..].copy_from_slice(&b.to_be_bytes());
    k
}

/// Reads an id key; `None` if the key is not 8 bytes.
pub fn id_of(k: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(k.get(..8)?.try_into().ok()?))
}

pub fn id2_of(k: &[u8]) -> Option<(u64, u64)> {
    let a = u64::from_be_bytes(k.get(..8)?.try_into().ok()?);
    let b = u64::from_be_bytes(k.get(8..16)?.try_into().ok()?);
    Some((a, b))
}

pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = vec![FORMAT_POSTCARD];
    // postcard only fails on writer errors or unsupported serde features
    // (none of which our plain structs use); an empty body would then fail
    // to decode and be reported, never silently accepted.
    if let Ok(body) = postcard::to_stdvec(v) {
        out.extend_from_slice(&body);
    }
    out
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    match bytes.split_first() {
        Some((&FORMAT_POSTCARD, body)) => postcard::from_bytes(body).map_err(|e| e.to_string()),
        Some((f, _)) => Err(format!("unknown value format {f}")),
        None => Err("empty value".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_in_id_order() {
        assert!(key(255) < key(256));
        assert!(key2(1, 999) < key2(2, 0));
        assert_eq!(id_of(&key(42)), Some(42));
        assert_eq!(id2_of(&key2(7, 9)), Some((7, 9)));
        assert_eq!(id_of(b"abc"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let v: (String, u32) = ("张三".into(), 7);
        assert_eq!(decode::<(String, u32)>(&encode(&v)).unwrap(), v);
        assert!(decode::<(String, u32)>(&[]).is_err());
        assert!(decode::<(String, u32)>(&[9, 1, 2]).is_err());
        assert!(decode::<(String, u32)>(&[FORMAT_POSTCARD, 0xff, 0xff, 0xff]).is_err());
        let mut bytes = encode(&v);
        bytes.truncate(bytes.len() - 1);
        assert!(decode::<(String, u32)>(&bytes).is_err());
    }
}
