//! Amounts in request bodies, written so that a server verifying the
//! signature over `JSON.stringify(JSON.parse(body))` rebuilds the same bytes.
//!
//! Shortest form (`10.5`, not `10.50`) is what `JSON.stringify` prints for
//! ordinary amounts. It differs for very small and very large values:
//! JavaScript prints `0.0000005` as `5e-7` and `1e21` as `1e+21`. For amounts
//! of up to 15 significant digits (which a JavaScript number holds exactly)
//! this module prints those the way JavaScript does, so the raw bytes and the
//! re-serialised bytes agree; longer amounts are sent in plain shortest form,
//! exactly, since no JavaScript number could hold them anyway.

use rust_decimal::Decimal;
use serde::Serializer;
use serde_json::value::RawValue;

/// Significant digits a JavaScript number (IEEE 754 double) always round-trips.
const JS_EXACT_DIGITS: usize = 15;

/// The amount as JavaScript's `Number.prototype.toString` prints it, when the
/// amount has at most 15 significant digits; otherwise its shortest form.
pub(crate) fn js_text(amount: Decimal) -> String {
    let normal = amount.normalize();
    if normal.is_zero() {
        return "0".to_string();
    }
    let all_digits = normal.mantissa().unsigned_abs().to_string();
    let digits = all_digits.trim_end_matches('0');
    let k = digits.len();
    if k > JS_EXACT_DIGITS {
        return crate::wire::money::shortest(amount);
    }
    // value = 0.digits × 10^n (ECMA-262 Number::toString's n).
    let trailing = all_digits.len() - k;
    let n = k as i64 + trailing as i64 - i64::from(normal.scale());
    let k_i = k as i64;
    let mut out = String::new();
    if normal.is_sign_negative() {
        out.push('-');
    }
    if k_i <= n && n <= 21 {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (n - k_i) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = n - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&e.unsigned_abs().to_string());
    }
    out
}

/// Serde adapter writing a [`Decimal`] as a JSON number via [`js_text`].
///
/// The text goes out as a raw JSON value, digit for digit: going through
/// `serde_json::Number` would parse it into an `f64` (serde_json's
/// `arbitrary_precision` is not enabled) and round long amounts.
pub(crate) mod js_number {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(amount: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        let number = RawValue::from_string(js_text(*amount)).map_err(serde::ser::Error::custom)?;
        serde::Serialize::serialize(&number, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn js(text: &str) -> String {
        js_text(Decimal::from_str(text).unwrap())
    }

    #[test]
    fn ordinary_amounts_are_shortest_form() {
        for (input, want) in [
            ("10.50", "10.5"),
            ("10.00", "10"),
            ("10", "10"),
            ("1000", "1000"),
            ("0.1", "0.1"),
            ("0.000001", "0.000001"),
            ("0.00000123", "0.00000123"),
            ("-250.75", "-250.75"),
            ("0", "0"),
            ("0.000", "0"),
            ("123456789012345", "123456789012345"),
            ("100000000000000000000", "100000000000000000000"),
        ] {
            assert_eq!(js(input), want, "{input}");
        }
    }

    #[test]
    fn tiny_and_huge_amounts_print_as_javascript_does() {
        // Expected values are what node prints for `String(x)`.
        for (input, want) in [
            ("0.0000005", "5e-7"),
            ("0.00000050", "5e-7"),
            ("0.00000015", "1.5e-7"),
            ("-0.0000001", "-1e-7"),
            ("1000000000000000000000", "1e+21"),
            ("1234500000000000000000000", "1.2345e+24"),
        ] {
            assert_eq!(js(input), want, "{input}");
        }
    }

    #[test]
    fn long_amounts_stay_exact() {
        assert_eq!(js("12345678901234567.89"), "12345678901234567.89");
        assert_eq!(js("0.0000000123456789012345678"), "0.0000000123456789012345678");
    }

    #[test]
    fn serialises_as_a_json_number_verbatim() {
        #[derive(serde::Serialize)]
        struct B {
            #[serde(with = "js_number")]
            amount: Decimal,
        }
        let body = |s: &str| serde_json::to_string(&B { amount: Decimal::from_str(s).unwrap() }).unwrap();
        assert_eq!(body("10.50"), r#"{"amount":10.5}"#);
        assert_eq!(body("0.0000005"), r#"{"amount":5e-7}"#);
        assert_eq!(body("1000000000000000000000"), r#"{"amount":1e+21}"#);
        // Longer than an f64 holds: written exactly, never rounded.
        assert_eq!(body("12345678901234567.89"), r#"{"amount":12345678901234567.89}"#);
        assert_eq!(body("0.123456789012345678"), r#"{"amount":0.123456789012345678}"#);
        assert_eq!(body("-9007199254740993"), r#"{"amount":-9007199254740993}"#);
        assert_eq!(body("79228162514264337593543950335"), r#"{"amount":79228162514264337593543950335}"#);
    }
}
