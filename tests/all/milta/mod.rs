//! Milta Partner API: the document's contract, real-world faults, and the
//! answer shapes a server may send.

mod contract;
mod faults;
mod shapes;
