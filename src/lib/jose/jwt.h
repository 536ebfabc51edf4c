// Strict parsing of the JWS compact serialization (RFC 7515 §7.1) used by JWTs (RFC 7519):
// exactly three dot-separated parts, canonical unpadded base64url, and a header and payload that
// are each a JSON object with no duplicate member names. Parsing says nothing about the
// signature: use jws.h VerifyRs256 to get a token you may trust.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "json/json.h"

namespace userdesk::jose {

// Tokens larger than this are refused before any decoding (a cheap guard against abuse).
inline constexpr size_t kMaxCompactJwsBytes = 16 * 1024;

struct CompactJws {
  std::string signing_input;  // BASE64URL(header) "." BASE64URL(payload), as received
  std::string signature;      // raw signature bytes
  std::string header_json;
  std::string payload_json;
  json::Document header;
  json::Document payload;
};

// kInvalidArgument for any deviation from the rules above.
Result<CompactJws> ParseCompact(std::string_view token);

}  // namespace userdesk::jose
