//! Wallets API: the document's contract, header paging and auth sources.

mod auth_and_dedupe;
mod contract;
