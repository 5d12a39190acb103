//! Wallet-as-a-Service: the document's contract and the shared login.

mod contract;
mod login;
