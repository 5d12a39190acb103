//! Reading JSON with serde_json, numbers kept as their text.
//!
//! Without serde_json's `arbitrary_precision` (a feature that would change
//! JSON for a user's whole build), `deserialize_any` hands a number over as
//! an `f64`, so values are not read that way. Each value is first read as a
//! `&RawValue` borrowed from the input (serde_json checks its syntax without
//! recursing), then told apart by its first byte: a number is its raw text;
//! a string is decoded by serde_json; an array or an object has its members
//! read as raw values in turn. A member is thus scanned once per enclosing
//! level, which [`MAX_DEPTH`] bounds, as it bounds the recursion.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Json, Obj};

/// Deepest nesting accepted in a body (serde_json's own limit, which this
/// reading never meets, stops at 127).
const MAX_DEPTH: usize = 128;

/// Parses one JSON text exactly (numbers keep their digits); a repeated key
/// keeps its last value, at the place of its first.
pub(super) fn parse(text: &[u8]) -> Result<Json, ParseError> {
    let text = std::str::from_utf8(text).map_err(|e| {
        let valid = String::from_utf8_lossy(&text[..e.valid_up_to()]);
        ParseError::at(&valid, &valid[valid.len()..], "the text is not UTF-8".into(), 1, 1)
    })?;
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| ParseError::within(text, text, &e))?;
    value(text, raw.get(), MAX_DEPTH)
}

/// The value whose (syntax-checked) text is `raw`, a slice of `whole`,
/// with at most `depth` levels of arrays and objects.
fn value(whole: &str, raw: &str, depth: usize) -> Result<Json, ParseError> {
    let fail = |e: serde_json::Error| ParseError::within(whole, raw, &e);
    Ok(match raw.as_bytes().first() {
        Some(b'{' | b'[') if depth == 0 => {
            return Err(ParseError::at(whole, raw, format!("nested more than {MAX_DEPTH} levels deep"), 1, 1));
        }
        Some(b'{') => {
            let Members(members) = serde_json::from_str(raw).map_err(fail)?;
            let mut obj = Obj::new();
            for (key, member) in members {
                obj.insert(&key, value(whole, member.get(), depth - 1)?);
            }
            Json::Obj(obj)
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(raw).map_err(fail)?;
            Json::Arr(items.into_iter().map(|item| value(whole, item.get(), depth - 1)).collect::<Result<_, _>>()?)
        }
        Some(b'"') => Json::Str(serde_json::from_str(raw).map_err(fail)?),
        _ => match raw {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            "null" => Json::Null,
            number => Json::Num(number.to_owned()),
        },
    })
}

/// An object's members in order, duplicates included, values unread.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(MembersVisitor)
    }
}

/// Why a body is not JSON, and where (serde_json's message and place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    what: String,
    line: usize,
    column: usize,
}

impl ParseError {
    /// serde_json's error `e` reading `part`, a slice of `whole`, placed in
    /// `whole` (serde_json counts lines and columns from the start of `part`).
    fn within(whole: &str, part: &str, e: &serde_json::Error) -> Self {
        let message = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        let what = message.strip_suffix(&place).unwrap_or(&message).to_owned();
        Self::at(whole, part, what, e.line(), e.column())
    }

    /// The error `what` at `line` and `column` of `part`, a slice of `whole`.
    fn at(whole: &str, part: &str, what: String, line: usize, column: usize) -> Self {
        let offset = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
        let before = whole.get(..offset).unwrap_or_default();
        let lines_before = before.matches('\n').count();
        // serde_json places all its parse errors; an unplaced one is put
        // at the start of `part`.
        let (line, column) = match line.max(1) {
            1 => (lines_before + 1, before.len() - before.rfind('\n').map_or(0, |i| i + 1) + column),
            _ => (lines_before + line, column),
        };
        ParseError { what, line, column }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}
