// Minting and checking mini-okta's JWTs: the access token and (thin) ID token that /v1/token
// returns (claims as docs/okta-api.md §1.6), the access-token check behind /v1/userinfo and
// /v1/revoke, and the id_token_hint check behind /v1/logout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "mini_okta/oidc/state.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta::oidc {

struct IssuedTokens {
  std::string access_token;
  std::string access_jti;
  std::string id_token;  // empty unless openid was granted
  std::vector<std::string> scopes;
  int64_t expires_in = kDefaultAccessTokenLifetime;
  std::string refresh_token;  // set by the token endpoint when offline_access was granted
};

// The access token (living state.AccessTokenLifetime()) and, with openid, the ID token for the
// grant code describes: a redeemed code, or a refresh token's family dressed as one.
Result<IssuedTokens> IssueTokens(OidcState& state, const AuthCode& code, const UserRecord& user);

struct AccessTokenClaims {
  std::string jti;
  std::string uid;
  std::string cid;
  std::vector<std::string> scopes;
  int64_t exp = 0;
  int64_t auth_time = 0;  // when the user signed in (token clock)
};

// A token this server issued and that is still good: RS256 signature by a published key, iss and
// aud of this server, not expired on the token clock, not revoked. kUnauthenticated otherwise.
Result<AccessTokenClaims> VerifyAccessToken(const OidcState& state, const AuthServer& server,
                                            std::string_view token);

struct IdTokenHint {
  std::string sub;
  std::string client_id;  // aud
};

// An ID token this server issued (signature and iss). Expiry is not checked: Okta accepts an
// expired id_token_hint at logout (docs/okta-api.md §1.8).
Result<IdTokenHint> VerifyIdTokenHint(const OidcState& state, const AuthServer& server,
                                      std::string_view token);

}  // namespace userdesk::mini_okta::oidc
