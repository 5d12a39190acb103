//! A tiny deterministic generator so seeded data is the same on every run.

/// xorshift64*: plenty for fake reference data, and reproducible.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A 24-hex-digit id in the style of a MongoDB ObjectId.
pub(crate) fn object_id(seconds: i64, counter: u64) -> String {
    format!("{:08x}{:016x}", seconds.clamp(0, i64::from(u32::MAX)), counter)
}

/// A random 24-hex-digit id.
pub(crate) fn fresh_object_id() -> String {
    format!("{:024x}", uuid::Uuid::new_v4().as_u128() >> 32)
}
