// The grants of POST {server}/v1/token, once the client is authenticated (oidc/token.cc):
// authorization_code (token.cc) and refresh_token (refresh_grant.cc). Each answers the request
// itself, with Okta's token response or an RFC 6749 §5.2 error.
#pragma once

#include <string_view>

#include "mini_okta/oidc/state.h"
#include "mini_okta/oidc/tokens.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta::oidc {

void GrantAuthorizationCode(OidcState& state, const AuthServer& as, const OidcClient& client,
                            const httplib::Request& req, httplib::Response& res);
void GrantRefreshToken(OidcState& state, const AuthServer& as, const OidcClient& client,
                       const httplib::Request& req, httplib::Response& res);

// 200 with {"token_type","expires_in","access_token","scope","id_token"?,"refresh_token"?} and
// Cache-Control: no-store (RFC 6749 §5.1).
void SendTokenResponse(httplib::Response& res, const IssuedTokens& tokens);
void InvalidGrant(httplib::Response& res, std::string_view description);

}  // namespace userdesk::mini_okta::oidc
