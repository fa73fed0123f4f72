//! Bytes on disk: keys are big-endian integers (so sled's byte order is id
//! order and range scans come for free); values are one format byte
//! followed by a postcard body: format 2 (written now) with dates and times
//! as numbers, format 3 the same deflated (longer values), format 1 (still
//! read) with dates and times as text. A value that does not decode is an
//! error returned to the caller, never a panic.

use crate::domain::stored_time::compact;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;

/// The first byte of a stored value written before dates and times were
/// numbers (still read).
pub const FORMAT_POSTCARD: u8 = 1;
/// The first byte of a value written now: postcard, with dates and times
/// as numbers (see `domain::stored_time`).
pub const FORMAT_COMPACT: u8 = 2;
/// The same, deflated: for values of [`DEFLATE_FROM`] bytes or more when
/// that is shorter (a request's text and timeline: 18 % less; a resident:
/// longer, so left as it is).
pub const FORMAT_DEFLATED: u8 = 3;
/// Shorter values are not worth deflating.
pub const DEFLATE_FROM: usize = 160;

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
    encode_at(v, Level::Default)
}

/// [`encode`] with the fastest deflate: for loading many records at once
/// (a restore), where deflating each request at the default level was the
/// largest share of the work (30 µs a request, 3 s on the large set; the
/// fastest level takes a quarter of that for values about 12 % longer:
/// BENCHMARKS.md, "fourth pass"). The value is the same format, read the
/// same way; a record written again later gets the default level.
pub fn encode_fast<T: Serialize>(v: &T) -> Vec<u8> {
    encode_at(v, Level::Fast)
}

#[derive(Clone, Copy)]
enum Level {
    Default,
    Fast,
}

fn encode_at<T: Serialize>(v: &T, level: Level) -> Vec<u8> {
    // postcard only fails on writer errors or unsupported serde features
    // (none of which our plain structs use); an empty body would then fail
    // to decode and be reported, never silently accepted.
    let body = compact(true, || postcard::to_stdvec(v)).unwrap_or_default();
    if body.len() >= DEFLATE_FROM
        && let Some(z) = deflate(&body, level)
        && z.len() < body.len()
    {
        let mut out = Vec::with_capacity(z.len() + 1);
        out.push(FORMAT_DEFLATED);
        out.extend_from_slice(&z);
        return out;
    }
    let mut out = Vec::with_capacity(body.len() + 1);
    out.push(FORMAT_COMPACT);
    out.extend_from_slice(&body);
    out
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    match bytes.split_first() {
        Some((&FORMAT_DEFLATED, z)) => {
            let body = inflate(z)?;
            compact(true, || postcard::from_bytes(&body)).map_err(|e| e.to_string())
        }
        Some((&FORMAT_COMPACT, body)) => compact(true, || postcard::from_bytes(body)).map_err(|e| e.to_string()),
        Some((&FORMAT_POSTCARD, body)) => compact(false, || postcard::from_bytes(body)).map_err(|e| e.to_string()),
        Some((f, _)) => Err(format!("unknown value format {f}")),
        None => Err("empty value".to_string()),
    }
}

thread_local! {
    // one (de)compressor a thread, reset for each value: setting one up
    // costs more than a request's few hundred bytes take to (de)compress
    static DEFLATER: RefCell<Compress> = RefCell::new(Compress::new(Compression::default(), false));
    static FAST_DEFLATER: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

fn deflate(body: &[u8], level: Level) -> Option<Vec<u8>> {
    let with = match level {
        Level::Default => &DEFLATER,
        Level::Fast => &FAST_DEFLATER,
    };
    with.with(|c| {
        let mut c = c.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(body.len() + 64);
        loop {
            let read = c.total_in() as usize;
            match c.compress_vec(&body[read..], &mut out, FlushCompress::Finish).ok()? {
                Status::StreamEnd => return Some(out),
                // no room left: the caller keeps the plain value
                _ if out.len() >= body.len() => return None,
                _ => out.reserve(64),
            }
        }
    })
}

/// The largest value inflated: far above any record, so a damaged value
/// cannot make the reader allocate without bound.
const MAX_INFLATED: usize = 16 << 20;

fn inflate(z: &[u8]) -> Result<Vec<u8>, String> {
    INFLATER.with(|d| {
        let mut d = d.borrow_mut();
        d.reset(false);
        let mut out = Vec::with_capacity(z.len() * 3);
        loop {
            let (read, wrote) = (d.total_in(), d.total_out());
            let status =
                d.decompress_vec(&z[read as usize..], &mut out, FlushDecompress::Finish).map_err(|e| e.to_string())?;
            match status {
                Status::StreamEnd => return Ok(out),
                _ if out.len() >= MAX_INFLATED => return Err("value too large".into()),
                _ if d.total_in() == read && d.total_out() == wrote && out.len() < out.capacity() => {
                    return Err("deflated value cut short".into());
                }
                _ => out.reserve(out.len().max(256)),
            }
        }
    })
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
    fn values_written_before_compact_dates_still_read() {
        use crate::domain::request::Request;
        use crate::domain::{RequestId, WorkerId};
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_nano_opt(9, 30, 5, 7).unwrap();
        let new = crate::domain::request::tests::new_request_parts();
        let cal = crate::domain::calendar::WorkCalendar::builtin();
        let mut r = Request::create(RequestId::new(2026, 1), new, WorkerId(1), at, 5, &cal);
        r.comment("已联系物业".into(), WorkerId(2), at + chrono::Duration::hours(3)).unwrap();
        // format 1: what linli wrote before (dates and times as text)
        let mut old = vec![FORMAT_POSTCARD];
        old.extend(postcard::to_stdvec(&r).unwrap());
        assert_eq!(decode::<Request>(&old).unwrap(), r);
        // what it writes now: format 2, the same request in fewer bytes
        let now = encode(&r);
        assert_eq!(now[0], FORMAT_COMPACT, "a short request is not deflated");
        assert_eq!(decode::<Request>(&now).unwrap(), r);
        assert!(now.len() + 30 < old.len(), "{} bytes against {}", now.len(), old.len());
    }

    #[test]
    fn long_values_are_deflated_when_that_is_shorter() {
        let long: (String, u32) = ("居民反映楼道灯不亮，已联系物业上门维修。".repeat(12), 7);
        let bytes = encode(&long);
        assert_eq!(bytes[0], FORMAT_DEFLATED);
        assert!(bytes.len() < 200, "{}", bytes.len());
        assert_eq!(decode::<(String, u32)>(&bytes).unwrap(), long);
        // incompressible: stored as it is
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..400)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        let bytes = encode(&noise);
        assert_eq!(bytes[0], FORMAT_COMPACT);
        assert_eq!(decode::<Vec<u8>>(&bytes).unwrap(), noise);
        // the fastest level: the same format, read the same way
        let fast = encode_fast(&long);
        assert_eq!(fast[0], FORMAT_DEFLATED);
        assert_eq!(decode::<(String, u32)>(&fast).unwrap(), long);
        assert_eq!(encode_fast(&noise)[0], FORMAT_COMPACT);
        // a damaged deflated value is an error
        let mut bad = encode(&long);
        bad.truncate(bad.len() / 2);
        assert!(decode::<(String, u32)>(&bad).is_err());
        assert!(decode::<(String, u32)>(&[FORMAT_DEFLATED, 0xff, 0xff, 0xff]).is_err());
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
