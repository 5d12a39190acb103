//! Reading what the documents do not pin down, without ever failing on a guess.
//!
//! Everything JSON-shaped lives here and depends on nothing above it:
//! typed identifiers ([`string_id!`]), open enums ([`wire_enum!`]), exact
//! amounts ([`money`], public as `walletkit::money`), flags, timestamps and
//! tolerant objects.
//!
//! Every response type is declared with [`wire_object!`]: each field lists
//! the spellings it accepts (the document's first), two spellings present at
//! once are not an error (the preferred one wins), `null` reads as absent, and
//! every field no type names is kept, as its raw JSON text, in [`Extra`].
//! Nothing here needs serde_json's global `arbitrary_precision` feature: exact
//! numbers are read from their raw text.

mod enums;
mod error_detail;
mod extra;
pub(crate) mod flag;
mod hint;
mod ids;
pub mod money;
mod object;
mod raw_text;
mod text;
mod timestamp;

pub(crate) use enums::wire_enum;
pub(crate) use error_detail::{ErrorDetail, ErrorDetailWire};
pub use extra::{Extra, RawJson};
pub(crate) use flag::Flag;
pub(crate) use hint::Hint;
pub(crate) use ids::{string_id, IdText};
pub(crate) use money::Money;
pub(crate) use object::{rank, wire_object, Key, Slot, ViaOption, WireDecode};
pub(crate) use raw_text::{with_raw_text, with_raw_text_or_null};
pub(crate) use text::{HttpStatus, Text, TextOrJson};
pub use timestamp::Timestamp;
pub(crate) use timestamp::{iso8601, Stamp, Strict};
