#include "jose/jws.h"

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

Error Untrusted(std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, "jws: " + std::move(detail));
}

std::string HeaderJson(const std::string& kid, std::string_view typ) {
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("alg", "RS256", doc.GetAllocator());
  doc.AddMember("kid", json::Str(kid, doc.GetAllocator()), doc.GetAllocator());
  if (!typ.empty()) doc.AddMember("typ", json::Str(typ, doc.GetAllocator()), doc.GetAllocator());
  return json::Write(doc);
}

// RFC 7517 §4.4 / §4.2: a key that names another alg or a use other than "sig" must not verify
// a signature made with alg.
bool KeyFits(const RsaPublicJwk& key, std::string_view alg) {
  return (key.alg.empty() || key.alg == alg) && (key.use.empty() || key.use == "sig");
}

// The key the header names, or the only fitting key when the header names none.
const RsaPublicJwk* FindKey(const std::vector<RsaPublicJwk>& keys, const std::string* kid,
                            std::string_view alg) {
  const RsaPublicJwk* found = nullptr;
  for (const RsaPublicJwk& key : keys) {
    if (!KeyFits(key, alg)) continue;
    if (kid != nullptr) {
      if (key.kid == *kid) return &key;
    } else if (found != nullptr) {
      return nullptr;  // several candidates and no kid to choose: refuse rather than guess
    } else {
      found = &key;
    }
  }
  return found;
}

// The OpenSSL digest for an RSASSA-PKCS1-v1_5 JWS alg (RFC 7518 §3.3), or nullptr.
const char* DigestFor(std::string_view alg) {
  if (alg == "RS256") return "SHA256";
  if (alg == "RS384") return "SHA384";
  if (alg == "RS512") return "SHA512";
  return nullptr;
}

}  // namespace

Result<std::string> SignRs256(const RsaPrivateKey& key, std::string_view payload_json) {
  return SignRs256(key, payload_json, "");
}

Result<std::string> SignRs256(const RsaPrivateKey& key, std::string_view payload_json,
                              std::string_view typ) {
  std::string input = crypto::Base64UrlEncode(HeaderJson(key.kid(), typ)) + "." +
                      crypto::Base64UrlEncode(payload_json);
  auto signature = key.SignRs256(input);
  if (!signature) return signature.error();
  return input + "." + crypto::Base64UrlEncode(*signature);
}

Result<CompactJws> VerifyRs256(std::string_view token, const std::vector<RsaPublicJwk>& keys) {
  return VerifyRsa(token, keys, {"RS256"});
}

Result<CompactJws> VerifyRsa(std::string_view token, const std::vector<RsaPublicJwk>& keys,
                             const std::vector<std::string>& allowed_algs) {
  auto jws = ParseCompact(token);
  if (!jws) return jws.error();
  // RFC 8725 §3.1: the verifier, not the token, decides the algorithm ("none", HS256 refused).
  auto alg = json::GetString(jws->header, "alg");
  if (!alg) return Untrusted("no alg");
  const char* digest = DigestFor(*alg);
  bool allowed = false;
  for (const std::string& a : allowed_algs) allowed = allowed || a == *alg;
  if (digest == nullptr || !allowed) return Untrusted("alg " + *alg + " is not allowed");
  // RFC 7515 §4.1.11: we implement no extension, so any "crit" header must be rejected.
  if (json::Member(jws->header, "crit") != nullptr) return Untrusted("crit header present");
  const json::Value* kid_member = json::Member(jws->header, "kid");
  std::optional<std::string> kid;
  if (kid_member != nullptr) {
    kid = json::GetString(jws->header, "kid");
    if (!kid) return Untrusted("kid is not a string");
  }
  const RsaPublicJwk* key = FindKey(keys, kid ? &*kid : nullptr, *alg);
  if (key == nullptr) return Untrusted(kid ? "unknown kid" : "no kid and not exactly one key");
  // RFC 7515 §5.2 step 8: the signature must validate over the signing input as received.
  if (!VerifyRsaSignature(*key, digest, jws->signing_input, jws->signature)) {
    return Untrusted("signature does not verify");
  }
  return jws;
}

}  // namespace userdesk::jose
