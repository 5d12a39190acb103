use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rust_decimal::Decimal;

use super::old_parse;
use super::*;

fn parse(text: &str) -> Json {
    Json::parse(text.as_bytes()).unwrap()
}

#[test]
fn round_trips_text_exactly() {
    let text = r#"{"a":[1,-0.5,1.0E+2,12345678901234567890123456789012345],"b":{"c":null,"d":true,"e":false},"s":"q\"\\\n\u0001é😀"}"#;
    let value = parse(text);
    assert_eq!(value.to_string(), text);
    assert_eq!(parse(r#"  [ 1 , { "k" : "v" } ]  "#).to_string(), r#"[1,{"k":"v"}]"#);
    assert_eq!(parse(r#""\ud83d\ude00\/""#), Json::Str("😀/".into()));
    assert_eq!(parse(r#"{"k":1,"k":2}"#).to_string(), r#"{"k":2}"#, "the last duplicate wins");
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
fn refuses_what_is_not_json() {
    for bad in [
        "",
        "nul",
        "01",
        "1.",
        "-",
        ".5",
        "1e",
        "+1",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "\"x",
        "\"\t\"",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "[1] 2",
        "NaN",
        "{\"a\":1,}",
    ] {
        assert!(Json::parse(bad.as_bytes()).is_err(), "{bad:?} was accepted");
    }
    assert!(Json::parse(b"\xff").is_err());
    let deep = "[".repeat(129) + &"]".repeat(129);
    assert!(Json::parse(deep.as_bytes()).is_err());
    let ok = "[".repeat(128) + &"]".repeat(128);
    assert!(Json::parse(ok.as_bytes()).is_ok());
}

/// JSON whitespace, and now and then a character that only looks like it.
fn ws() -> impl Strategy<Value = String> {
    prop_oneof![
        300 => "[ \t\n\r]{0,2}",
        1 => "[\u{c}\u{b}\u{a0}\u{feff}\u{2028}]",
    ]
}

/// A number's text: valid ones of every shape, exotic ones, near misses.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        120 => "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?",
        40 => prop::sample::select(vec![
            "12345678901234567890.123456789", "1e400", "-1e400", "1E-400", "-0.0", "-0", "0e0", "0.0e-0",
            "18446744073709551616", "-9223372036854775809", "4.9406564584124654e-324", "1.7976931348623157e309",
            "1e99999999999999999999", "-1E-00000000000000000001", "0.0000000000000000000000000000001",
        ])
        .prop_map(str::to_owned),
        4 => "-?[1-9][0-9]{300,400}(\\.[0-9]{300,400})?",
        2 => "[-+]?[0-9]{0,3}\\.?[0-9]{0,3}([eE][+-]?)?[0-9]{0,2}",
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
        75 => prop::sample::select(vec![r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t"]).prop_map(str::to_owned),
        75 => r"\\u[0-9a-fA-F]{4}",
        25 => r"\\u00[01][0-9a-fA-F]",
        50 => r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}",
        1 => r"\\u[dD][89abAB][0-9a-fA-F]{2}",
        1 => r"\\u[dD][c-fC-F][0-9a-fA-F]{2}",
        1 => r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[0-9a-fA-F]{4}",
        1 => "[\u{0}-\u{1f}]",
        1 => r"\\([xU0' ]|u[0-9a-g]{0,4})",
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

/// A small edit that often breaks a document: a byte cut, added or changed.
#[derive(Debug, Clone)]
enum Edit {
    Truncate(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Replace(prop::sample::Index, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![prop::sample::select(b"[]{}:,\"\\ 0-.eE+tfnu\xff\xc3\x80".to_vec()), any::<u8>(),];
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
        (any::<prop::sample::Index>(), byte.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Edit::Replace(i, b)),
    ]
}

fn apply(text: &str, edit: Option<Edit>) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    match edit {
        None => {}
        Some(Edit::Truncate(i)) => bytes.truncate(i.index(bytes.len() + 1)),
        Some(Edit::Insert(i, b)) => bytes.insert(i.index(bytes.len() + 1), b),
        Some(Edit::Replace(_, _)) if bytes.is_empty() => {}
        Some(Edit::Replace(i, b)) => {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
    }
    bytes
}

/// The old parser and the new one agree: the same value and the same
/// serialised text, or both refuse.
fn agree(input: &[u8]) -> Result<(), TestCaseError> {
    let old = old_parse::parse(input);
    let new = Json::parse(input);
    let shown = String::from_utf8_lossy(input);
    match (&old, &new) {
        (Ok(o), Ok(n)) => {
            prop_assert_eq!(o, n, "{:?}", shown);
            prop_assert_eq!(old_parse::Text(o).to_string(), n.to_string(), "{:?}", shown);
        }
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{shown:?}: old {old:?}, new {new:?}"),
    }
    Ok(())
}

#[test]
fn differential_on_chosen_inputs() {
    let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
    let objects = |n: usize| r#"{"k":"#.repeat(n) + "1" + &"}".repeat(n);
    let mut inputs: Vec<String> = [
        "12345678901234567890.123456789",
        "1e400",
        "-1E-400",
        "-0.0",
        "-0",
        "[1.0E+2,-0,0.000]",
        r#""\ud83d\ude00\/\u00e9\u0000""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83d\u0041""#,
        r#""\ud83dx""#,
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"a":1,"\u0061":{"x":[]}}"#,
        r#"{"":0}"#,
        " \t\r\n[ ] \n",
        "\u{feff}[]",
        "[1,]",
        "[,1]",
        "{,}",
        r#"{"a":1,}"#,
        "[1 2]",
        "01",
        "1.",
        ".1",
        "+1",
        "1e",
        "1e+",
        "--1",
        "NaN",
        "[Infinity]",
        "tru",
        "nulll",
        "[true false]",
        r#""a"b"#,
        "\"\t\"",
        "\"\u{7f}\"",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.extend([deep(127), deep(128), deep(129), objects(128), objects(129), deep(100_000)]);
    for input in inputs {
        agree(input.as_bytes()).unwrap();
    }
    for bytes in [&b"\xff"[..], b"\"\xc3\"", b"[\"\xed\xa0\x80\"]", b"\x00", b"[1]\x00"] {
        agree(bytes).unwrap();
    }
}

/// `[`, `{"k":` or `{"k":[` nested `depth` times around `inner`.
fn nested(opens: &[u8], inner: &str) -> String {
    let mut head = String::new();
    let mut tail = String::new();
    for open in opens {
        match open % 3 {
            0 => (head.push('['), tail.insert(0, ']')),
            1 => (head.push_str(r#"{"k":"#), tail.insert(0, '}')),
            _ => (head.push_str(r#"{"k":["#), tail.insert_str(0, "]}")),
        };
    }
    head + inner + &tail
}

proptest! {
    #![proptest_config(Config {
        cases: 5_000,
        rng_seed: RngSeed::Fixed(18),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn differential_old_and_new_parsers_agree(
        before in ws(), doc in document(), after in ws(), edit in prop::option::weighted(0.4, edit()),
    ) {
        agree(&apply(&format!("{before}{doc}{after}"), edit))?;
    }

    #[test]
    fn differential_deep_nesting(opens in prop::collection::vec(any::<u8>(), 100..140), inner in document()) {
        agree(nested(&opens, &inner).as_bytes())?;
    }

    #[test]
    fn differential_writers_agree(text in any::<String>(), key in any::<String>(), n in number()) {
        let value = Json::Arr(vec![obj! {"s": text}, Json::Obj(Obj::from(vec![(key, Json::Str(text.clone()))]))]);
        prop_assert_eq!(old_parse::Text(&value).to_string(), value.to_string());
        if let Ok(parsed @ Json::Num(_)) = old_parse::parse(n.as_bytes()) {
            prop_assert_eq!(old_parse::Text(&parsed).to_string(), parsed.to_string());
        }
    }
}

#[test]
fn a_hundred_thousand_levels_are_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), (r#"{"k":"#, "}")] {
        let body = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let started = std::time::Instant::now();
        let err = Json::parse(body.as_bytes()).unwrap_err();
        eprintln!("{open}: {err} in {:?}", started.elapsed());
        assert!(err.to_string().starts_with("nested more than 128 levels deep at line 1 column "), "{err}");
    }
}
