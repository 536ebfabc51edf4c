// base64 and base64url (RFC 4648 §5, unpadded) over OpenSSL's EVP encoders. Decoding is strict:
// any character outside the alphabet, bad padding, or a last character whose unused bits are
// not zero (RFC 4648 §3.5) is a failure rather than a guess. So every byte string has exactly
// one accepted text, and a signed value cannot be respelled.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace userdesk::crypto {

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace userdesk::crypto
