// Strict ID-token verification for the authorization-code flow (OpenID Connect Core §3.1.3.7):
// signature with the provider's key named by kid, an algorithm from our allow-list (never none or
// HS*), iss exact, aud containing our client_id (azp required with several audiences), exp and
// iat with a small clock skew, the nonce we sent, and a sub. Nothing provider-specific.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "oidc/token_checks.h"

namespace userdesk::oidc {

// The token rides in the session cookie (for id_token_hint at sign-out), and the cookie must stay
// well under 4 KB; Okta's thin ID token is about 1 KB.
inline constexpr size_t kMaxIdTokenBytes = 2048;

struct IdTokenClaims {
  std::string sub;
  std::string name;  // may be empty: the code flow's ID token is often thin
  std::string given_name;
  std::string family_name;
  std::string preferred_username;
  std::string email;
  // The provider's session (OpenID Connect Back-Channel Logout 1.0 §2.4, Front-Channel Logout
  // §3): what a logout token names to end the sessions it began. Empty when the token has none.
  std::string sid;
  int64_t issued_at = 0;
  int64_t expires_at = 0;
  int64_t auth_time = 0;  // when the user last authenticated at the provider; 0: not said
};

struct IdTokenChecks {
  std::string issuer;     // exact match with iss
  std::string client_id;  // must be in aud
  std::string nonce;      // the nonce sent in this sign-in's authorization request
  std::vector<std::string> allowed_algs{"RS256"};
  int64_t now = 0;        // unix seconds
  int64_t max_skew = 60;  // seconds of clock difference tolerated on exp and iat
};

// The token's claims when every check passes. A token the provider should never have sent
// (malformed, oversized, bad signature, wrong iss/aud, expired...) is kUpstreamUnavailable (502);
// a nonce that is not ours is kInvalidArgument (400: another sign-in's answer); a key lookup
// failure is passed on (e.g. kUnavailable when the JWKS cannot be fetched). A sid that is present
// must be a PlainIdentifier. The detail names the failed check, for the log.
Result<IdTokenClaims> VerifyIdToken(std::string_view token, const IdTokenChecks& checks,
                                    const KeyLookup& keys);

}  // namespace userdesk::oidc
