// Salted password hashing for mini-okta's user store: PBKDF2-HMAC-SHA256 (OpenSSL), encoded as
// one self-describing string so the work factor can change without breaking stored hashes.
// Never log or return the password; callers keep only the encoded hash.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::crypto {

// The iteration count new hashes use. Modest on purpose: mini-okta is a local development
// server and its tests hash many passwords; the encoded form records the count used.
inline constexpr int kPasswordHashIterations = 10000;

// "pbkdf2_sha256$<iterations>$<salt base64url>$<hash base64url>" with a fresh 16-byte salt.
std::string HashPassword(std::string_view password, int iterations = kPasswordHashIterations);

// True when encoded is a hash produced by HashPassword and password matches it. Malformed
// input is a mismatch, never a crash. The final comparison takes constant time.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace userdesk::crypto
