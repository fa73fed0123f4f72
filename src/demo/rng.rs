//! The demo's randomness: SplitMix64, tiny, fast and the same on every
//! platform, so a seed gives byte-identical records everywhere. Each part of
//! the demo draws from its own salted stream, so adding one part changes
//! none of the records another part makes.

/// SplitMix64: tiny, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    /// The people-and-requests stream (and, with the seed salted, the
    /// volunteers'): salted with "linli de" and stepped once.
    pub fn new(seed: u64) -> Self {
        let mut r = Rng::salted(seed, 0x6C69_6E6C_6920_6465); // "linli de"
        r.next_u64();
        r
    }

    /// A stream of its own for one part of the demo (`salt` spells its name).
    pub fn salted(seed: u64, salt: u64) -> Self {
        Rng(seed ^ salt)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    /// True with probability `permille / 1000`.
    pub fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < u64::from(permille)
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.index(xs.len())]
    }

    pub fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u64 = xs.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (x, w) in xs {
            if r < u64::from(*w) {
                return *x;
            }
            r -= u64::from(*w);
        }
        xs[xs.len() - 1].0
    }
}

/// A prebuilt cumulative table for weighted picks from a long list.
pub struct Table<T> {
    items: Vec<T>,
    cum: Vec<u64>,
}

impl<T: Copy> Table<T> {
    pub fn new(xs: &[(T, u32)]) -> Self {
        let mut acc = 0u64;
        let cum = xs
            .iter()
            .map(|(_, w)| {
                acc += u64::from(*w);
                acc
            })
            .collect();
        Table { items: xs.iter().map(|(x, _)| *x).collect(), cum }
    }

    pub fn pick(&self, rng: &mut Rng) -> T {
        let r = rng.below(*self.cum.last().unwrap_or(&0));
        self.items[self.cum.partition_point(|&c| c <= r).min(self.items.len() - 1)]
    }
}
