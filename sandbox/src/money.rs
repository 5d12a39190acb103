//! Decimal rounding and fixed-scale rendering shared by the fakes.

use rust_decimal::{Decimal, RoundingStrategy};

/// `d` rounded half away from zero to `dp` places and shown with exactly
/// `dp` places (`96` with 4 places is `96.0000`).
pub(crate) fn fixed(d: Decimal, dp: u32) -> Decimal {
    let mut d = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    d.rescale(dp);
    d
}

/// Whether `d` has no more than `dp` significant decimal places.
pub(crate) fn fits(d: Decimal, dp: u32) -> bool {
    d.normalize().scale() <= dp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_scales() {
        assert_eq!(fixed(Decimal::new(96, 0), 4).to_string(), "96.0000");
        assert_eq!(fixed(Decimal::new(1005, 3), 2).to_string(), "1.01");
        assert!(fits(Decimal::new(1050, 3), 2));
        assert!(!fits(Decimal::new(1055, 3), 2));
    }
}
