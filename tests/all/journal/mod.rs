//! The journal's stores against one contract: in memory (`test-util`), an
//! SQLite file (`journal-sqlite`) and a real PostgreSQL (`journal-postgres`,
//! started by the tests; skipped when PostgreSQL is not installed).

mod backend;
mod contract;
#[cfg(all(unix, feature = "journal-sqlite"))]
mod crash;
#[cfg(feature = "journal-sqlite")]
mod once;
#[cfg(feature = "journal-postgres")]
mod postgres;
mod race;
#[cfg(feature = "journal-sqlite")]
mod sqlite;
#[cfg(feature = "journal-sqlite")]
mod wiring;

/// Every contract test and race, once per store given as `name => backend`
/// (an expression giving `Option<Backend>`, `None` to skip).
macro_rules! for_store {
    ($($store:ident => $backend:expr),* $(,)?) => {$(
        mod $store {
            #[allow(unused_imports)]
            use super::backend::Backend;
            for_store!(@tests $backend;
                contract::claim_is_fresh_once_then_existing,
                contract::a_reference_is_unique_per_provider_only,
                contract::record_attempt_counts_and_needs_a_live_lease,
                contract::finish_never_overwrites_a_final_outcome,
                contract::unknown_goes_back_to_recovery,
                contract::take_over_respects_live_leases_and_takes_expired_ones,
                contract::unfinished_lists_oldest_first_in_pages,
                contract::first_notification_is_true_once,
                contract::data_survives_reopening,
                contract::bodies_and_answers_round_trip_byte_for_byte,
                contract::release_frees_the_reference_of_a_pending_intent_its_owner_holds,
                race::sixteen_tasks_on_four_replicas_claim_each_reference_once,
                race::eight_tasks_take_each_expired_intent_once,
            );
        }
    )*};
    (@tests $backend:expr; $($module:ident :: $test:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $test() {
            if let Some(backend) = $backend {
                super::$module::$test(&backend).await;
            }
        }
    )*};
}

#[cfg(feature = "test-util")]
for_store!(memory => Some(Backend::memory()));
#[cfg(feature = "journal-sqlite")]
for_store!(sqlite_file => Some(Backend::sqlite()));
#[cfg(feature = "journal-postgres")]
for_store!(postgresql => Backend::postgres().await);
