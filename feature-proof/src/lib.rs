//! A stand-in for a user's application that depends on walletkit: its tests
//! check that the user's own JSON code behaves exactly as it would without
//! walletkit in the build, while walletkit still reads amounts exactly.
