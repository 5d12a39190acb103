//! Wire enums: a fixed set of documented values plus `Unknown(String)`, so a
//! value a provider adds later is kept as sent instead of failing to decode.

/// Declares a `#[non_exhaustive]` string enum with an `Unknown(String)` arm,
/// `as_str`, `Display`, `From<String>`/`From<&str>` and serde as the raw string.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A value this version does not know, kept exactly as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(raw) => raw,
                }
            }
        }

        /// An empty unknown value, for tests that set the fields they need.
        #[cfg(feature = "test-util")]
        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> Self {
                match raw.as_str() {
                    $( $wire => $name::$variant, )+
                    _ => $name::Unknown(raw),
                }
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                $name::from(raw.to_string())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// A documented value is matched without allocating; only an
        /// unknown one is copied into `Unknown`.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " as a string"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<$name, E> {
                        Ok(match v {
                            $( $wire => $name::$variant, )+
                            _ => $name::Unknown(v.to_string()),
                        })
                    }
                    fn visit_string<E: ::serde::de::Error>(self, v: String) -> ::std::result::Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
pub(crate) use wire_enum;
