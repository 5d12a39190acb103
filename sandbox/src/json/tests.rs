//! The JSON module against fixed expectations and, wherever a document holds
//! no number beyond `f64`, against serde_json's own `Value`.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rust_decimal::Decimal;
use serde_json::Value;

use super::*;

fn parse(text: &str) -> Json {
    Json::parse(text.as_bytes()).unwrap()
}

#[test]
fn round_trips_text_exactly() {
    let text = r#"{"a":[1,-0.5,1.0E+2,12345678901234567890123456789012345],"b":{"c":null,"d":true,"e":false},"s":"q\"\\\n\u0001é😀"}"#;
    assert_eq!(parse(text).to_string(), text);
    assert_eq!(parse(r#"  [ 1 , { "k" : "v" } ]  "#).to_string(), r#"[1,{"k":"v"}]"#);
    assert_eq!(parse(r#""\ud83d\ude00\/\u00e9""#), Json::Str("😀/é".into()));
    let exotic = "[12345678901234567890.123456789,1e400,-1E-400,-0.0,-0,0.000,1e99999999999999999999]";
    assert_eq!(parse(exotic).to_string(), exotic);
    assert_eq!(parse(" -0.0\n"), Json::Num("-0.0".into()));
}

#[test]
fn a_repeated_key_keeps_its_last_value_at_its_first_place() {
    assert_eq!(parse(r#"{"k":1,"k":2}"#).to_string(), r#"{"k":2}"#);
    assert_eq!(parse(r#"{"b":1,"a":2,"\u0062":{"x":[]}}"#).to_string(), r#"{"b":{"x":[]},"a":2}"#);
}

#[test]
fn obj_macro_takes_values_by_reference() {
    let id = String::from("P-1");
    let amount = Decimal::new(1050, 2);
    let none: Option<&str> = None;
    let v = obj! {"id": id, "amount": amount, "list": ["a", "b"], "none": none, "n": 3u64};
    assert_eq!(v.to_string(), r#"{"id":"P-1","amount":10.50,"list":["a","b"],"none":null,"n":3}"#);
    assert_eq!(id, "P-1");
}

#[test]
fn a_number_text_that_is_not_a_number_is_written_as_a_string() {
    let v = Json::Arr(vec![Json::Num(" 1".into()), Json::Num("[2]".into()), Json::Num("x".into())]);
    assert_eq!(v.to_string(), r#"[" 1","[2]","x"]"#);
}

#[test]
fn refuses_what_is_not_json() {
    let words = ["", " ", "nul", "nulll", "tru", "NaN", "[Infinity]", "[1] 2", "\u{feff}[]", "\u{a0}1"];
    let numbers = ["01", "1.", "-", ".5", "1e", "1e+", "+1", "--1", "0x1"];
    let punctuation = ["[1,]", "[,1]", "{,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":1,}"];
    let strings = ["\"x", "\"\t\"", r#""\x""#, r#""\ud800""#, r#""\udc00""#, r#""\ud83d\u0041""#, r#""\ud83dx""#];
    for bad in [&words[..], &numbers, &punctuation, &strings].concat() {
        assert!(Json::parse(bad.as_bytes()).is_err(), "{bad:?} was accepted");
    }
    for bad in [&b"\xff"[..], b"\"\xc3\"", b"[\"\xed\xa0\x80\"]", b"\x00", b"[1]\x00"] {
        assert!(Json::parse(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(Json::parse(b"[1,").unwrap_err().to_string(), "EOF while parsing a value at line 1 column 3");
    assert_eq!(Json::parse(b"[1,\n\"\xff\"]").unwrap_err().to_string(), "the text is not UTF-8 at line 2 column 2");
}

#[test]
fn an_error_in_a_nested_value_is_placed_in_the_whole_text() {
    for text in [
        r#""\ud800""#,
        "[1,\n  {\"a\": [\"ok\", \"\\udc00\"]}]",
        "{\"a\":\n{\"b\":\n[\"x\\ud800y\"]}}",
        "[[[\n\n  {\"\\ud800\": 1}]]]",
    ] {
        let ours = Json::parse(text.as_bytes()).unwrap_err().to_string();
        let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
        assert_eq!(ours, theirs, "{text:?}");
    }
}

#[test]
fn nesting_is_bounded_at_128_levels() {
    let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
    let mixed = |n: usize| r#"{"k":["#.repeat(n / 2) + "-0.0" + &"]}".repeat(n / 2);
    for text in [deep(128), mixed(128), format!("[[{}]]", mixed(126))] {
        assert_eq!(parse(&text).to_string(), text);
    }
    for text in [format!("[{}]", deep(128)), format!("[{}]", mixed(128)), format!("{{\"k\":{}}}", mixed(128))] {
        assert!(Json::parse(text.as_bytes()).is_err(), "129 levels accepted: {text:.20}");
    }
    let err = Json::parse(format!("{{\"a\":\n {}}}", deep(128)).as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "nested more than 128 levels deep at line 2 column 129");
    // Never a stack overflow; each level reads what it holds once more, so
    // this costs a few seconds in a debug build.
    for (open, close) in [("[", "]"), (r#"{"k":"#, "}")] {
        let body = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let err = Json::parse(body.as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("nested more than 128 levels deep"), "{err}");
    }
}

/// JSON whitespace, and now and then a character that only looks like it.
fn ws() -> impl Strategy<Value = String> {
    prop_oneof![300 => "[ \t\n\r]{0,2}", 1 => "[\u{c}\u{b}\u{a0}\u{feff}\u{2028}]"]
}

/// A valid number's text, within `f64`'s range.
fn number() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,2})?"
}

/// A number's text no `f64` holds exactly, or at all.
fn exotic_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "12345678901234567890.123456789", "1e400", "-1e400", "1E-400", "-0.0", "-0", "0e0", "0.0e-0",
            "18446744073709551616", "-9223372036854775809", "4.9406564584124654e-324", "1.7976931348623157e309",
            "1e99999999999999999999", "-1E-00000000000000000001", "0.0000000000000000000000000000001",
        ])
        .prop_map(str::to_owned),
        2 => "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,30})?",
        1 => "-?[1-9][0-9]{300,400}(\\.[0-9]{300,400})?",
    ]
}

/// Text that is close to a number, and sometimes one.
fn near_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[-+]?[0-9]{0,3}\\.?[0-9]{0,3}([eE][+-]?)?[0-9]{0,2}",
        1 => prop::sample::select(vec!["NaN", "Infinity", "-Infinity", "0x1F", "1_000", "- 1", "1e+-2", "00"])
            .prop_map(str::to_owned),
    ]
}

/// A string literal as written in JSON: plain and non-ASCII text, every
/// escape, `\u` escapes, surrogate pairs and lone halves, raw control
/// characters and bad escapes.
fn string() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        200 => "[a-zA-Z0-9 ]{1,4}",
        50 => "[é߀😀\u{7f}\u{80}\u{2028}\u{10ffff}]",
        75 => r#"\\["\\/bfnrt]"#,
        100 => r"\\u(00[01]|[0-9a-fA-F]{2})[0-9a-fA-F]{2}",
        50 => r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}",
        3 => r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}",
        2 => "[\u{0}-\u{1f}]|\\\\([xU0' ]|u[0-9a-g]{0,4})",
    ];
    prop::collection::vec(part, 0..5).prop_map(|parts| format!("\"{}\"", parts.concat()))
}

/// A key, often one already used in the same object.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![8 => prop::sample::select(vec![r#""a""#, r#""b""#, r#""\u0061""#]).prop_map(str::to_owned), 1 => string()]
}

/// A JSON-ish document: mostly valid, with near misses at every level.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        40 => number(),
        40 => string(),
        20 => prop::sample::select(vec!["true", "false", "null"]).prop_map(str::to_owned),
        1 => near_number(),
        1 => prop::sample::select(vec!["tru", "nul", "True", "undefined", "'x'", ""]).prop_map(str::to_owned),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            (prop::collection::vec((ws(), inner.clone(), ws()), 0..5), ws(), any::<u8>()).prop_map(
                |(items, inside, odd)| {
                    let items: Vec<String> = items.into_iter().map(|(a, v, b)| format!("{a}{v}{b}")).collect();
                    let comma = if odd == 0 { "," } else { "" };
                    format!("[{inside}{}{comma}]", items.join(","))
                }
            ),
            (prop::collection::vec((ws(), key(), ws(), inner, ws()), 0..5), ws(), any::<u8>()).prop_map(
                |(members, inside, odd)| {
                    let colon = if odd == 1 { "" } else { ":" };
                    let members: Vec<String> =
                        members.into_iter().map(|(a, k, b, v, c)| format!("{a}{k}{b}{colon}{v}{c}")).collect();
                    let comma = if odd == 2 { "," } else { "" };
                    format!("{{{inside}{}{comma}}}", members.join(","))
                }
            ),
        ]
    })
}

/// A byte cut, added or changed, which often breaks a document.
fn edit(text: &str, edit: Option<(u8, prop::sample::Index, u8)>) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    if let Some((kind, at, byte)) = edit {
        let at = at.index(bytes.len() + 1);
        match kind % 3 {
            0 => bytes.truncate(at),
            1 => bytes.insert(at, byte),
            _ if at < bytes.len() => bytes[at] = byte,
            _ => {}
        }
    }
    bytes
}

/// Whether `ours` holds what serde_json's `Value` holds, number for number.
fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Num(n), Value::Number(m)) => serde_json::from_str::<serde_json::Number>(n).is_ok_and(|n| &n == m),
        (Json::Str(a), Value::String(b)) => a == b,
        (Json::Arr(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Json::Obj(a), Value::Object(b)) => {
            a.0.len() == b.len() && a.0.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 3_000,
        rng_seed: RngSeed::Fixed(18),
        failure_persistence: None,
        ..Config::default()
    })]

    /// Valid and broken documents: accepted when serde_json accepts them,
    /// holding the same values, written so that serde_json reads them back
    /// the same and so that reading what was written changes nothing.
    #[test]
    fn reads_as_serde_json_does(
        before in ws(),
        doc in document(),
        after in ws(),
        change in prop::option::weighted(0.4, (any::<u8>(), any::<prop::sample::Index>(), any::<u8>())),
    ) {
        let input = edit(&format!("{before}{doc}{after}"), change);
        let theirs = serde_json::from_slice::<Value>(&input);
        if let Err(e) = &theirs {
            prop_assume!(!e.to_string().contains("out of range"), "an edit made a number `f64` cannot hold");
        }
        match (Json::parse(&input), theirs) {
            (Ok(ours), Ok(theirs)) => {
                prop_assert!(same(&ours, &theirs), "{:?}: {:?}", String::from_utf8_lossy(&input), ours);
                let written = ours.to_string();
                prop_assert_eq!(serde_json::from_str::<Value>(&written).ok(), Some(theirs));
                prop_assert_eq!(Json::parse(written.as_bytes()).ok(), Some(ours));
            }
            (Err(_), Err(_)) => {}
            (ours, theirs) => prop_assert!(false, "{:?}: ours {ours:?}, serde_json {theirs:?}", String::from_utf8_lossy(&input)),
        }
    }

    /// Numbers keep their text, digit for digit, wherever they stand.
    #[test]
    fn numbers_keep_their_text(n in exotic_number(), a in "[ \t\n\r]{0,2}") {
        let value = parse(&format!("{a}[{a}{n}{a},{{{a}\"k\"{a}:{a}{n}{a}}}]{a}"));
        prop_assert_eq!(value.to_string(), format!("[{n},{{\"k\":{n}}}]"));
        prop_assert_eq!(parse(&n), Json::Num(n));
    }

    /// Near misses are numbers exactly when serde_json says so.
    #[test]
    fn a_number_is_what_serde_json_calls_one(n in near_number()) {
        let theirs = serde_json::from_str::<serde_json::Number>(&n).is_ok();
        prop_assert_eq!(Json::parse(n.as_bytes()).ok(), theirs.then(|| Json::Num(n.clone())));
    }

    /// Strings and keys are escaped as serde_json escapes them.
    #[test]
    fn strings_are_written_as_serde_json_writes_them(text in any::<String>(), key in any::<String>()) {
        let value = Json::Arr(vec![obj! {"s": text}, Json::Obj(Obj::from(vec![(key.clone(), Json::Str(text.clone()))]))]);
        let written = value.to_string();
        prop_assert_eq!(&written, &serde_json::json!([{"s": text}, {key: text}]).to_string());
        prop_assert_eq!(Json::parse(written.as_bytes()).ok(), Some(value));
    }
}
