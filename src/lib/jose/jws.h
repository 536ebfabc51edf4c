// RS256 JSON Web Signatures (RFC 7515, alg from RFC 7518 §3.3) in compact serialization: signing
// for mini-okta and verification against a JWKS for anyone who must trust a token (the app's
// ID-token verifier). Only the RSA PKCS#1 algorithms the verifier allows are ever accepted: the
// header cannot choose a weaker algorithm.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "jose/jwk.h"
#include "jose/jwt.h"

namespace userdesk::jose {

// BASE64URL({"alg":"RS256","kid":<key.kid()>}) "." BASE64URL(payload_json) "." signature.
Result<std::string> SignRs256(const RsaPrivateKey& key, std::string_view payload_json);
// The same with a "typ" header (RFC 7515 §4.1.9) when typ is not empty, for explicitly typed
// tokens (RFC 8725 §3.11) such as a logout token's "logout+jwt".
Result<std::string> SignRs256(const RsaPrivateKey& key, std::string_view payload_json,
                              std::string_view typ);

// Parses token (jwt.h) and checks that header alg is RS256, that no "crit" header is present,
// that the kid names one of keys (an RSA signing key for RS256), and that the signature verifies.
// kInvalidArgument for a malformed token; kUnauthenticated for a well-formed token that must not
// be trusted (other alg, unknown kid, bad signature). Claims (exp, iss, aud...) are the caller's.
Result<CompactJws> VerifyRs256(std::string_view token, const std::vector<RsaPublicJwk>& keys);

// The relying party's form: the header alg must be one of allowed_algs (the caller's allow-list;
// only RS256, RS384 and RS512 can ever verify, whatever the list says). A header without kid is
// accepted only when exactly one key fits the alg (OpenID RP tests kid-absent-single-jwks).
Result<CompactJws> VerifyRsa(std::string_view token, const std::vector<RsaPublicJwk>& keys,
                             const std::vector<std::string>& allowed_algs);

}  // namespace userdesk::jose
