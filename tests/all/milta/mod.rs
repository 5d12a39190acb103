//! Milta Partner API: the document's contract, real-world faults, and the
//! answer shapes a server may send.

mod batches_and_errors;
mod contract;
mod faults;
mod shapes;
