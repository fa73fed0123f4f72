//! The process's own memory, from `/proc/self/status` (Linux; 0 elsewhere),
//! for the memory probes.

/// A `/proc/self/status` line's value in MB (`VmRSS:`, `VmHWM:`, …).
pub fn mb(key: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}
