//! Reading what the documents do not pin down, without ever failing on a guess.
//!
//! Every response type is declared with [`wire_object!`]: each field lists
//! the spellings it accepts (the document's first), two spellings present at
//! once are not an error (the preferred one wins), `null` reads as absent, and
//! every field no type names is kept, as its raw JSON text, in [`Extra`].
//! Nothing here needs serde_json's global `arbitrary_precision` feature: exact
//! numbers are read from their raw text.

mod error_detail;
mod extra;
mod hint;
mod object;
mod raw_text;
mod text;
mod timestamp;

pub(crate) use error_detail::{ErrorDetail, ErrorDetailWire};
pub use extra::{Extra, RawJson};
pub(crate) use hint::Hint;
pub(crate) use object::{rank, wire_object, Key, Slot, ViaOption, WireDecode};
pub(crate) use raw_text::with_raw_text;
pub(crate) use text::{deserialize_text, Text};
pub use timestamp::Timestamp;
pub(crate) use timestamp::{Stamp, Strict};
