// What every token the provider signs for us is checked with, whatever the token says: the
// ID token at sign-in (oidc/id_token.h) and the logout token of back-channel logout
// (oidc/logout_token.h) share these steps, so there is one signature check and one reading of
// each registered claim. The callers decide what a failure means for them (a refused sign-in, a
// refused logout request) and which claims they require.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "jose/jwk.h"
#include "jose/jwt.h"
#include "json/json.h"

namespace userdesk::oidc {

// The keys to try for a token whose header names kid (may be empty); the provider's KeysFor,
// which refetches the JWKS on an unknown kid.
using KeyLookup = std::function<Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(
    std::string_view kid)>;

// Why VerifySignedToken did not return a token: either the keys could not be had (the lookup's
// own error, passed on as it came: a verdict on the provider, not on the token), or the token
// itself is refused (why names the failed check, for the log).
struct SignatureFailure {
  std::optional<Error> keys_unavailable;
  std::string why;
};

// The JWS signature of a compact token (RFC 7515), with the key the header's kid names (fetched
// through keys) and an algorithm from allowed_algs (jose::VerifyRsa: never none, HS* or crit).
// The token is parsed once unverified only to learn its kid; nothing else is read before the
// signature is checked.
Result<jose::CompactJws, SignatureFailure> VerifySignedToken(
    std::string_view token, const std::vector<std::string>& allowed_algs, const KeyLookup& keys);

// NumericDate (RFC 7519 §2): a JSON number of seconds; fractions are allowed and truncated.
// nullopt when absent or not a plausible date.
std::optional<int64_t> NumericDate(const json::Value& claims, std::string_view name);

// aud is a string or an array of strings (OpenID Connect Core §2) and must contain client_id;
// with several audiences azp must name us, and an azp that is present must always be us.
// nullopt when it fits, otherwise why not.
std::optional<std::string> AudienceProblem(const json::Value& claims, const std::string& client_id);

// A subject or session identifier we may keep and log: 1-255 printable ASCII characters without
// space, '"' or '\\' (OpenID Core §2 allows any 255 ASCII characters for sub; we also refuse
// those that would need escaping in logs and cookies). Okta's ids are 20-25 letters and digits.
bool PlainIdentifier(std::string_view id);

// An identifier claim that may be absent (sid; sub in a logout token): "" when absent, its value
// when it is a PlainIdentifier string, nullopt when it is present but not one.
std::optional<std::string> IdentifierClaim(const json::Value& claims, std::string_view name);

}  // namespace userdesk::oidc
