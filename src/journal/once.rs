//! A confirmed notification, told apart by whether it was handled before.

/// What [`MilaCoinsClient::confirm_once`](crate::milacoins::MilaCoinsClient::confirm_once)
/// and [`Transfers::confirm_webhook_once`](crate::milta::Transfers::confirm_webhook_once)
/// answer for a notification the API bore out: either way it is true, and
/// only [`Once::First`] is yours to act on.
///
/// The journal records a notification as handled when it answers `First`,
/// before you act (at most once): if the process dies between the two, a
/// re-delivery answers `Repeat`. Make the action itself safe to check (the
/// order's own state), and look at it when a `Repeat` arrives for an order
/// that is not done.
#[must_use = "only `Once::First` is to be acted on"]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Once<T> {
    /// The first time, across every replica sharing the journal: act on it.
    First(T),
    /// Already handled, here or by another replica: do not act again.
    Repeat(T),
}

impl<T> Once<T> {
    /// Whether this is the first time, the one to act on.
    pub fn is_first(&self) -> bool {
        matches!(self, Once::First(_))
    }

    /// The confirmed value when it is the first time, `None` for a repeat.
    pub fn first(self) -> Option<T> {
        match self {
            Once::First(value) => Some(value),
            Once::Repeat(_) => None,
        }
    }

    /// The confirmed value, first time or not.
    pub fn into_inner(self) -> T {
        match self {
            Once::First(value) | Once::Repeat(value) => value,
        }
    }
}
