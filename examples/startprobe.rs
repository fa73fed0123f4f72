//! Each step of reading the saved search index (`index.snapshot`, format
//! 7, 8 or 9), timed one after the other in one thread (issue 19w): the read, the
//! checksum, each section's unpacking, the first section's decoding (and
//! its rows and residents alone), the index made from it. Prints the
//! sizes, then the least and the median time of each step over the runs;
//! then, once, how long the search text takes to write (to a file in the
//! system's temporary folder) in LZ4 blocks (format 9) and deflated at 6
//! (format 8), and how large it is each way.
//!
//! ```text
//! startprobe DATA_DIR [RUNS]
//! ```
use linli::store::rows::{RequestIndex, Row};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let mut times: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    let mut note = |k: &'static str, t: Instant| times.entry(k).or_default().push(t.elapsed().as_secs_f64() * 1e3);
    for run in 0..runs {
        let t = Instant::now();
        let bytes = std::fs::read(dir.join("index.snapshot")).unwrap();
        note("1 read file", t);
        let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) as usize;
        let lens: Vec<usize> = (0..5).map(|i| u64_at(20 + 8 * i)).collect();
        let mut at = 20 + 8 * 5 + 4;
        let mut sec = vec![];
        for l in &lens {
            sec.push(&bytes[at..at + l]);
            at += l;
        }
        let t = Instant::now();
        let mut crc = crc32fast::Hasher::new();
        crc.update(&bytes[64..]);
        std::hint::black_box(crc.finalize());
        note("2 crc32 whole", t);
        let t = Instant::now();
        // format 9: the first three sections in LZ4 blocks; 8: the first
        // one; 7: none
        let format = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        let unpack = |i: usize| {
            if format >= 10 && i == 1 {
                // format 10: the search text kept packed as saved
                sec[i].to_vec()
            } else if format >= 9 || (format == 8 && i == 0) {
                linli::store::saved_copy::unlz4(sec[i]).unwrap()
            } else {
                linli::store::saved_copy::inflate(sec[i]).unwrap()
            }
        };
        let meta = unpack(0);
        note("3 unpack meta", t);
        let t = Instant::now();
        let hay = unpack(1);
        note("4 unpack hay", t);
        let t = Instant::now();
        let titles = String::from_utf8(unpack(2)).unwrap();
        note("5 unpack titles+utf8", t);
        let t = Instant::now();
        let g = linli::store::saved_copy::inflate(sec[3]).unwrap();
        let rg = linli::store::saved_copy::inflate(sec[4]).unwrap();
        note("6 inflate lists", t);
        let t = Instant::now();
        let (rows, rest): (Vec<Row>, &[u8]) = postcard::take_from_bytes(&meta).unwrap();
        note("7a postcard rows only", t);
        let t = Instant::now();
        let (cats, rest2): (Vec<String>, &[u8]) = postcard::take_from_bytes(rest).unwrap();
        let (res, rest3): (linli::store::rows::ResidentKeys, &[u8]) = postcard::take_from_bytes(rest2).unwrap();
        note("7b postcard categories+residents", t);
        if run == 0 {
            println!(
                "meta: rows {} B ({} rows, {} B each in memory), categories {} B, residents {} B, the rest {} B",
                meta.len() - rest.len(),
                rows.len(),
                std::mem::size_of::<Row>(),
                rest.len() - rest2.len(),
                rest2.len() - rest3.len(),
                rest3.len()
            );
        }
        drop((rows, cats, res));
        let t = Instant::now();
        let part = RequestIndex::decode_meta(&meta).unwrap();
        note("7 decode_meta", t);
        let t = Instant::now();
        let idx = RequestIndex::with_text_later(part, &hay, titles).unwrap();
        note("8 with_text_later", t);
        let t = Instant::now();
        drop(idx);
        note("9 drop index", t);
        if run == 0 {
            println!(
                "sizes: file {} sections {:?} meta {} lists {}+{}",
                bytes.len(),
                lens,
                meta.len(),
                g.len(),
                rg.len()
            );
        }
    }
    for (k, mut v) in times {
        v.sort_by(f64::total_cmp);
        println!("{k:28} min {:6.2}  median {:6.2} ms", v[0], v[v.len() / 2]);
    }
    write_hay(&dir);
}

/// The search text written once in LZ4 blocks and once deflated at 6: the
/// time (sync included) and the bytes.
fn write_hay(dir: &std::path::Path) {
    use linli::store::saved_copy::{Pack, unpack, write_made_at};
    let bytes = std::fs::read(dir.join("index.snapshot")).unwrap();
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) as usize;
    let (first, len) = (u64_at(20), u64_at(28));
    let at = 20 + 8 * 5 + 4 + first;
    let format = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    let pack = if format >= 9 { Pack::Lz4 } else { Pack::Deflate(6) };
    let hay = unpack(&bytes[at..at + len], pack).unwrap();
    let out = std::env::temp_dir().join(format!("startprobe-{}.hay", std::process::id()));
    for pack in [Pack::Lz4, Pack::Deflate(6)] {
        let t = Instant::now();
        write_made_at(&out, b"", &[pack], |w| w.section(|o| o.write_all(&hay))).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let size = std::fs::metadata(&out).unwrap().len();
        println!("write the search text ({} B) {pack:?}: {size} B in {ms:.0} ms", hay.len());
    }
    let _ = std::fs::remove_file(&out);
}
