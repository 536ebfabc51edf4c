#include "jose/jwt.h"

#include <set>
#include <vector>

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "jws: " + std::move(detail));
}

// RFC 7515 §5.2 step 4 lets a parser reject duplicate member names; we do, so the verifier and
// any later reader can never disagree about which "alg" or "aud" counts.
bool HasDuplicateMembers(const json::Value& obj) {
  std::set<std::string_view> seen;
  for (const auto& m : obj.GetObject()) {
    if (!seen.insert({m.name.GetString(), m.name.GetStringLength()}).second) return true;
  }
  return false;
}

std::optional<json::Document> ParseSegmentObject(std::string_view text) {
  auto doc = json::ParseObject(text);
  if (!doc || HasDuplicateMembers(*doc)) return std::nullopt;
  return doc;
}

std::vector<std::string_view> SplitDots(std::string_view token) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string_view::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

}  // namespace

Result<CompactJws> ParseCompact(std::string_view token) {
  if (token.size() > kMaxCompactJwsBytes) return Malformed("token too large");
  // RFC 7515 §7.1: three parts; five would be a JWE (RFC 7516), which we do not accept.
  std::vector<std::string_view> parts = SplitDots(token);
  if (parts.size() != 3) return Malformed("not three parts");
  if (parts[0].empty() || parts[1].empty() || parts[2].empty()) return Malformed("empty part");
  // strict base64url (crypto/base64url.h): every byte string has exactly one accepted text
  auto header = crypto::Base64UrlDecode(parts[0]);
  auto payload = crypto::Base64UrlDecode(parts[1]);
  auto signature = crypto::Base64UrlDecode(parts[2]);
  if (!header || !payload || !signature) return Malformed("bad base64url");
  auto header_doc = ParseSegmentObject(*header);
  if (!header_doc) return Malformed("header is not a JSON object");
  auto payload_doc = ParseSegmentObject(*payload);
  if (!payload_doc) return Malformed("payload is not a JSON object");
  CompactJws jws;
  jws.signing_input = std::string(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  jws.signature = std::move(*signature);
  jws.header_json = std::move(*header);
  jws.payload_json = std::move(*payload);
  jws.header = std::move(*header_doc);
  jws.payload = std::move(*payload_doc);
  return jws;
}

}  // namespace userdesk::jose
