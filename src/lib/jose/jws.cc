#include "jose/jws.h"

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

Error Untrusted(std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, "jws: " + std::move(detail));
}

std::string HeaderJson(const std::string& kid) {
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("alg", "RS256", doc.GetAllocator());
  doc.AddMember("kid", json::Str(kid, doc.GetAllocator()), doc.GetAllocator());
  return json::Write(doc);
}

// RFC 7517 §4.4 / §4.2: a key that names another alg or a use other than "sig" must not verify
// an RS256 signature.
bool KeyFitsRs256(const RsaPublicJwk& key) {
  return (key.alg.empty() || key.alg == "RS256") && (key.use.empty() || key.use == "sig");
}

const RsaPublicJwk* FindKey(const std::vector<RsaPublicJwk>& keys, std::string_view kid) {
  for (const RsaPublicJwk& key : keys) {
    if (key.kid == kid && KeyFitsRs256(key)) return &key;
  }
  return nullptr;
}

}  // namespace

Result<std::string> SignRs256(const RsaPrivateKey& key, std::string_view payload_json) {
  std::string input =
      crypto::Base64UrlEncode(HeaderJson(key.kid())) + "." + crypto::Base64UrlEncode(payload_json);
  auto signature = key.SignRs256(input);
  if (!signature) return signature.error();
  return input + "." + crypto::Base64UrlEncode(*signature);
}

Result<CompactJws> VerifyRs256(std::string_view token, const std::vector<RsaPublicJwk>& keys) {
  auto jws = ParseCompact(token);
  if (!jws) return jws.error();
  // RFC 8725 §3.1: the verifier, not the token, decides the algorithm ("none", HS256 refused).
  if (json::GetString(jws->header, "alg") != "RS256") return Untrusted("alg is not RS256");
  // RFC 7515 §4.1.11: we implement no extension, so any "crit" header must be rejected.
  if (json::Member(jws->header, "crit") != nullptr) return Untrusted("crit header present");
  auto kid = json::GetString(jws->header, "kid");
  if (!kid) return Untrusted("no kid");
  const RsaPublicJwk* key = FindKey(keys, *kid);
  if (key == nullptr) return Untrusted("unknown kid");
  // RFC 7515 §5.2 step 8: the signature must validate over the signing input as received.
  if (!VerifyRs256Signature(*key, jws->signing_input, jws->signature)) {
    return Untrusted("signature does not verify");
  }
  return jws;
}

}  // namespace userdesk::jose
