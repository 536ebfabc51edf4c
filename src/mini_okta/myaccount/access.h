// Who may call the MyAccount API and how, checked before any MyAccount route acts: a Bearer
// access token from the org authorization server (Okta grants okta.* scopes only there), the
// version in Accept that Okta requires, and the route's scope. Each refusal is answered here
// with Okta's error object and, for token problems, an RFC 6750 §3 WWW-Authenticate challenge.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mini_okta/oidc/state.h"
#include "mini_okta/oidc/tokens.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta::myaccount {

// The only version of the MyAccount API (Okta: "Current version: 1.0.0").
inline constexpr char kVersion[] = "1.0.0";
// What each response says it is: Okta answers with the version it served.
inline constexpr char kContentType[] = "application/json;okta-version=1.0.0";

// True when one media range of the Accept header that admits JSON (application/json,
// application/*, */*) carries okta-version=1.0.0, as Okta's clients send it
// ("application/json; okta-version=1.0.0", or "*/*;okta-version=1.0.0" from okta-auth-js).
bool AcceptsVersion(const std::string& accept);

// The token's claims and the user when the request may go on; nullopt after answering:
//   401 E0000011 without a token, or with one that is not a live org-server access token of an
//       ACTIVE user (bad signature, other issuer, ID token, expired, revoked);
//   406 E0000021 without the version in Accept;
//   403 E0000006 when the token has none of any_of_scopes.
struct Caller {
  oidc::AccessTokenClaims claims;
  UserRecord user;
};
std::optional<Caller> Authorize(const oidc::OidcState& state, const httplib::Request& req,
                                httplib::Response& res,
                                const std::vector<std::string>& any_of_scopes);

}  // namespace userdesk::mini_okta::myaccount
