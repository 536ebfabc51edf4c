// POST {server}/v1/token: client authentication first, then the grant, answered as Okta answers
// (docs/okta-api.md §1.4). The authorization_code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636)
// is here; the refresh_token grant is in refresh_grant.cc.
#include <httplib.h>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "mini_okta/oidc/client_auth.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/oidc/refresh_tokens.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/oidc/token_grants.h"

namespace userdesk::mini_okta::oidc {
namespace {

constexpr int64_t kRedeemedMemorySeconds = 3600;  // reuse of a code is detected this long
const std::vector<std::string> kSingleParams = {"grant_type",    "code",      "redirect_uri",
                                                "code_verifier", "client_id", "client_secret",
                                                "refresh_token", "scope"};

bool IsFormRequest(const httplib::Request& req) {
  return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

// RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
bool IsValidVerifier(std::string_view verifier) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (char c : verifier) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~';
    if (!ok) return false;
  }
  return true;
}

// RFC 6749 §4.1.2: a code is used once; a second use revokes what the first produced.
std::optional<AuthCode> RedeemCode(OidcState& state, const std::string& code) {
  std::optional<AuthCode> found = state.codes.Take(code);
  if (found) return found;
  if (std::optional<RedeemedCode> first = state.redeemed_codes.Take(code)) {
    state.RevokeAccessTokens({first->access_jti});
    if (!first->refresh_family.empty()) {
      state.RevokeAccessTokens(state.refresh_tokens->RevokeFamily(first->refresh_family));
    }
  }
  return std::nullopt;
}

// The bindings of RFC 6749 §4.1.3 and RFC 7636 §4.6: same server, same client, same
// redirect_uri, and S256(code_verifier) == code_challenge.
bool CheckCodeBindings(const httplib::Request& req, const AuthServer& as, const AuthCode& code,
                       const OidcClient& client, httplib::Response& res) {
  if (code.request.server.org != as.org || code.request.client_id != client.client_id) {
    InvalidGrant(res, "The authorization code is invalid or has expired.");
    return false;
  }
  if (Param(req, "redirect_uri") != code.request.redirect_uri) {
    InvalidGrant(res,
                 "The 'redirect_uri' does not match the redirection URI used in the authorization "
                 "request.");
    return false;
  }
  std::string verifier = Param(req, "code_verifier");
  // a client without "Require PKCE" that sent no challenge sends no verifier either
  if (code.request.code_challenge.empty() && verifier.empty()) return true;
  if (!IsValidVerifier(verifier) ||
      !crypto::ConstantTimeEquals(crypto::Base64UrlEncode(crypto::Sha256(verifier)),
                                  code.request.code_challenge)) {
    InvalidGrant(res, "PKCE verification failed.");
    return false;
  }
  return true;
}

}  // namespace

void InvalidGrant(httplib::Response& res, std::string_view description) {
  SendOAuthError(res, 400, "invalid_grant", description);
}

void SendTokenResponse(httplib::Response& res, const IssuedTokens& tokens) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  std::string scope;
  for (const std::string& s : tokens.scopes) scope += (scope.empty() ? "" : " ") + s;
  d.AddMember("token_type", "Bearer", a);
  d.AddMember("expires_in", tokens.expires_in, a);
  d.AddMember("access_token", json::Str(tokens.access_token, a), a);
  d.AddMember("scope", json::Str(scope, a), a);
  if (!tokens.refresh_token.empty()) {
    d.AddMember("refresh_token", json::Str(tokens.refresh_token, a), a);
  }
  if (!tokens.id_token.empty()) d.AddMember("id_token", json::Str(tokens.id_token, a), a);
  SetNoStore(res);
  res.set_content(json::Write(d), "application/json");
}

void GrantAuthorizationCode(OidcState& state, const AuthServer& as, const OidcClient& client,
                            const httplib::Request& req, httplib::Response& res) {
  std::string code_text = Param(req, "code");
  if (code_text.empty()) {
    return SendOAuthError(res, 400, "invalid_request", "The 'code' parameter is missing.");
  }
  std::optional<AuthCode> code = RedeemCode(state, code_text);
  if (!code) return InvalidGrant(res, "The authorization code is invalid or has expired.");
  if (!CheckCodeBindings(req, as, *code, client, res)) return;
  std::optional<UserRecord> user = state.ctx.store->users().Find(code->user_id);
  if (!user || user->status != "ACTIVE") {
    return InvalidGrant(res, "The authorization code is invalid or has expired.");
  }
  auto tokens = IssueTokens(state, *code, *user);
  if (!tokens) return SendOAuthError(res, 500, "server_error", "Token signing failed.");
  RedeemedCode redeemed{tokens->access_jti, ""};
  // docs/okta-api.md §1.4: a refresh token only with offline_access
  if (Contains(tokens->scopes, "offline_access")) {
    RefreshGrant grant{as, client.client_id, user->id, tokens->scopes, code->auth_time, code->sid};
    auto started = state.refresh_tokens->Start(grant, SystemNowMillis());
    state.refresh_tokens->AddAccessToken(started.family, tokens->access_jti);
    tokens->refresh_token = started.token;
    redeemed.refresh_family = started.family;
  }
  state.redeemed_codes.Put(code_text, redeemed, kRedeemedMemorySeconds);
  SendTokenResponse(res, *tokens);
}

namespace {

void HandleToken(OidcState& state, const AuthServer& as, const httplib::Request& req,
                 httplib::Response& res) {
  if (!IsFormRequest(req)) {
    return SendOAuthError(res, 400, "invalid_request",
                          "The request must be application/x-www-form-urlencoded.");
  }
  if (auto dup = DuplicatedParam(req, kSingleParams)) {
    return SendOAuthError(res, 400, "invalid_request",
                          "The '" + *dup + "' parameter was duplicated.");
  }
  ClientAuth auth = AuthenticateClient(req, *state.ctx.store);
  if (!auth.client) return SendClientAuthError(res, auth);
  std::string grant = Param(req, "grant_type");
  if (grant.empty()) {
    return SendOAuthError(res, 400, "invalid_request",
                          "The token request must specify a 'grant_type'. Valid values: "
                          "[authorization_code, refresh_token]");
  }
  if (grant == "authorization_code")
    return GrantAuthorizationCode(state, as, *auth.client, req, res);
  if (grant == "refresh_token") return GrantRefreshToken(state, as, *auth.client, req, res);
  SendOAuthError(res, 400, "unsupported_grant_type",
                 "The authorization grant type is not supported by the authorization server. "
                 "Configured grant types: [authorization_code, refresh_token].");
}

}  // namespace

void RegisterTokenRoutes(httplib::Server& server, const StatePtr& state, AuthServer as) {
  server.Post(as.Prefix() + "/token",
              [state, as](const httplib::Request& req, httplib::Response& res) {
                HandleToken(*state, as, req, res);
              });
}

}  // namespace userdesk::mini_okta::oidc
