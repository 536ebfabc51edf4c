// HMAC-SHA256, SHA-256 and constant-time comparison (OpenSSL 3 EVP_MAC / CRYPTO_memcmp).
#pragma once

#include <string>
#include <string_view>

namespace userdesk::crypto {

// Raw 32-byte HMAC-SHA256 of data under key.
std::string HmacSha256(std::string_view key, std::string_view data);
// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);
// True when a and b are equal; the time taken does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace userdesk::crypto
