/// Ids a caller might pass that would walk the request to another path.
/// Every id-taking call must refuse each with `InvalidRequest`, sending nothing.
pub const HOSTILE_IDS: &[&str] = &[
    "",
    ".",
    "..",
    "../balance",
    "a/b",
    "a\\b",
    "%2e%2e",
    "%2E%2e",
    "%2f",
    "a%5Cb",
    "x?y=1",
    "x#frag",
    "a b",
    "tab\t",
    "nl\n",
    "\u{0}",
    "\u{7f}",
];
