//! Work on chunks spread over a few threads, the results handed back in
//! the order the chunks were given: parsing a backup's lines (verify,
//! restore) and making them (a backup: `write::Raw`) use both cores while
//! the order of the file is kept.

use std::sync::mpsc;
use std::thread::Scope;

/// Chunks waiting or worked on per thread, at most: bounds the memory and
/// keeps each thread busy while the caller takes the oldest result.
const PER_THREAD: usize = 2;

/// How many threads work on chunks: the cores there are, at least 2 (the
/// caller's own thread reads while they work), at most 4.
pub(super) fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4)
}

/// Chunks handed round in turn to `n` threads (chunk i to thread i mod n),
/// so taking the results in the same turn gives them back in order.
pub(super) struct Ordered<J, R> {
    jobs: Vec<mpsc::SyncSender<J>>,
    results: Vec<mpsc::Receiver<R>>,
    sent: usize,
    taken: usize,
    /// The result of a chunk whose thread is gone (it cannot be, short of
    /// a panic: then the caller gets an error, not a hang).
    gone: fn() -> R,
}

impl<J: Send, R: Send> Ordered<J, R> {
    pub(super) fn spawn<'s, 'e, F>(scope: &'s Scope<'s, 'e>, n: usize, work: F, gone: fn() -> R) -> Self
    where
        J: 's,
        R: 's,
        F: Fn(J) -> R + Send + Clone + 's,
    {
        let mut jobs = Vec::with_capacity(n);
        let mut results = Vec::with_capacity(n);
        for _ in 0..n.max(1) {
            let (jtx, jrx) = mpsc::sync_channel::<J>(PER_THREAD);
            let (rtx, rrx) = mpsc::sync_channel::<R>(PER_THREAD);
            let work = work.clone();
            scope.spawn(move || {
                for job in jrx {
                    // the caller stopped taking results: stop too
                    if rtx.send(work(job)).is_err() {
                        return;
                    }
                }
            });
            jobs.push(jtx);
            results.push(rrx);
        }
        Ordered { jobs, results, sent: 0, taken: 0, gone }
    }

    /// Hands `job` to the next thread; first takes the oldest result when
    /// every thread has its share waiting (returned).
    pub(super) fn push(&mut self, job: J) -> Option<R> {
        let oldest = if self.sent - self.taken >= self.jobs.len() * PER_THREAD { self.take() } else { None };
        let n = self.jobs.len();
        // a thread that is gone: taking its result says so
        let _ = self.jobs[self.sent % n].send(job);
        self.sent += 1;
        oldest
    }

    /// The oldest result not taken yet (waiting for it), or `None` when
    /// every one was taken.
    pub(super) fn take(&mut self) -> Option<R> {
        if self.taken == self.sent {
            return None;
        }
        let n = self.results.len();
        let r = self.results[self.taken % n].recv().unwrap_or_else(|_| (self.gone)());
        self.taken += 1;
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_given() {
        let got = std::thread::scope(|scope| {
            // uneven work: later chunks often finish first
            let mut pool = Ordered::spawn(
                scope,
                3,
                |i: u64| {
                    let mut x = i;
                    for _ in 0..(i % 7) * 20_000 {
                        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                    }
                    (i, x)
                },
                || (u64::MAX, 0),
            );
            let mut got = Vec::new();
            for i in 0..500u64 {
                got.extend(pool.push(i));
            }
            while let Some(r) = pool.take() {
                got.push(r);
            }
            got
        });
        assert_eq!(got.iter().map(|r| r.0).collect::<Vec<_>>(), (0..500).collect::<Vec<_>>());
    }
}
