//! The sandbox's integration tests, as one binary (one link instead of one
//! per file): a module per fake API and per switch, sharing [`common`].

mod common;

mod binary;
mod faults;
mod milacoins;
mod milta;
mod paging;
mod scenarios;
mod variants;
mod waas;
mod wallets;
