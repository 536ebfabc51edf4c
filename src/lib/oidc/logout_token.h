// The logout token of OpenID Connect Back-Channel Logout 1.0: what a provider posts to
// /backchannel-logout (form-encoded, logout_token=...) to end the sessions of one of its
// sessions (sid) or of one user (sub). Verified as the spec's §2.6 asks, with the ID token's
// signature check and claim readers (oidc/token_checks.h):
//   - the JWS signature with the provider's JWKS key named by kid, an algorithm from the ID
//     token's allow-list (never none);
//   - typ, when the header has one, is logout+jwt (§2.4, §4.1 against cross-JWT confusion);
//   - iss exactly the issuer, aud containing our client_id, iat not in the future, exp not past
//     when present (a token without exp is taken for kLogoutTokenMaxAgeSeconds after its iat);
//   - sub, sid or both; an events claim whose back-channel-logout member is an object; no nonce
//     (which tells an ID token from a logout token);
//   - a jti, accepted once: the caller's MarkUsed (the session registry's UseOnce, shared by
//     every process and host) remembers it until the token could no longer be accepted anyway.
// Nothing provider-specific.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "oidc/token_checks.h"

namespace userdesk::oidc {

inline constexpr char kBackChannelLogoutEvent[] =
    "http://schemas.openid.net/event/backchannel-logout";
// A logout token carries a handful of claims; a larger one is refused before any decoding.
inline constexpr size_t kMaxLogoutTokenBytes = 8192;
// The final spec makes exp required, but providers built on its drafts send none: such a token
// is accepted this long after its iat (plus the clock skew), and its jti remembered as long.
inline constexpr int64_t kLogoutTokenMaxAgeSeconds = 300;

struct LogoutTokenChecks {
  std::string issuer;                              // exact match with iss
  std::string client_id;                           // must be in aud
  std::vector<std::string> allowed_algs{"RS256"};  // as for ID tokens (§2.6 step 3)
  int64_t now = 0;                                 // unix seconds
  int64_t max_skew = 60;  // seconds of clock difference tolerated on iat and exp
};

struct LogoutTokenClaims {
  std::string sub;  // "" when the token names only the provider's session
  std::string sid;  // "" when the token names only the user
  std::string jti;
  int64_t issued_at = 0;
};

// Marks key used until expires_at (unix seconds): true the first time, false while it is still
// marked; an error when the store cannot say (session::Registry::UseOnce).
using MarkUsed = std::function<Result<bool>(std::string_view key, int64_t expires_at)>;

// The token's claims when every check passes and its jti was not used before. A token that
// fails a check, or whose jti was used, is kInvalidArgument (the provider gets 400; the detail
// names the failed check, for the log). A key lookup failure or a MarkUsed failure is passed on
// as it came (e.g. kUnavailable). mark_used is called only for a token that passed every other
// check.
Result<LogoutTokenClaims> VerifyLogoutToken(std::string_view token, const LogoutTokenChecks& checks,
                                            const KeyLookup& keys, const MarkUsed& mark_used);

// The MarkUsed key of a token's jti: a hash of issuer and jti (jti is unique per issuer), so
// the store holds a short fixed-size key whatever the token said.
std::string LogoutTokenKey(std::string_view issuer, std::string_view jti);

}  // namespace userdesk::oidc
