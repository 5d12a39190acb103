//! The bound on a shared limiter's "wait, then ask again" loop that no
//! answer can lift: a limiter (or a broken or hostile script behind it)
//! that keeps answering "wait 1 ms" would otherwise hold a call until its
//! deadline, and one without a deadline forever.

use std::time::Duration;

/// Most "wait" answers one acquisition accepts before giving up. A real
/// window answers the time until its oldest start leaves, so a caller
/// waits once per replica that takes the freed place first; a thousand is
/// far past any fleet and far short of forever.
pub(crate) const MAX_WAIT_ANSWERS: u32 = 1000;

/// Most time one acquisition spends waiting in all, by default: the
/// documented windows are a minute at most, and a caller may wait a few.
pub(crate) const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(180);

/// Why the loop must stop after `answers` "wait" answers, the last asking
/// to wait until `total` after the acquisition began; `None` to go on.
pub(crate) fn exceeded(answers: u32, total: Duration, max_wait: Duration) -> Option<String> {
    if answers > MAX_WAIT_ANSWERS {
        return Some(format!(
            "the shared limiter answered `wait` {answers} times in a row (bound {MAX_WAIT_ANSWERS}); not sent"
        ));
    }
    if total > max_wait {
        return Some(format!(
            "the shared limiter asks for a wait of {total:?} in all, past the bound of {max_wait:?}; not sent"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_total_wait_are_both_bounded() {
        let ms = Duration::from_millis;
        assert_eq!(exceeded(1, ms(500), DEFAULT_MAX_WAIT), None);
        assert_eq!(exceeded(MAX_WAIT_ANSWERS, ms(MAX_WAIT_ANSWERS.into()), DEFAULT_MAX_WAIT), None);
        let many = exceeded(MAX_WAIT_ANSWERS + 1, ms(1001), DEFAULT_MAX_WAIT).unwrap();
        assert!(many.contains("1001 times"), "{many}");
        let long = exceeded(2, DEFAULT_MAX_WAIT + ms(1), DEFAULT_MAX_WAIT).unwrap();
        assert!(long.contains("past the bound"), "{long}");
    }
}
