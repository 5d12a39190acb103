//! Wallet-as-a-Service: the document's contract and the shared login.

mod contract;
mod failures;
mod login;
mod money;
mod readings;
