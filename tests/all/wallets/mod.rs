//! Wallets API: the document's contract, header paging and auth sources.

mod contract;
