// GET/POST {server}/v1/logout (RP-initiated logout, docs/okta-api.md §1.8), POST {server}/v1/revoke
// (RFC 7009, §1.9) and POST {server}/v1/introspect (RFC 7662, §1.10).
#include <httplib.h>

#include <optional>
#include <utility>

#include "jose/jwt.h"
#include "mini_okta/oidc/client_auth.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/oidc/refresh_tokens.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/oidc/tokens.h"
#include "mini_okta/server/html.h"

namespace userdesk::mini_okta::oidc {
namespace {

void HandleLogout(OidcState& state, const AuthServer& as, const httplib::Request& req,
                  httplib::Response& res) {
  std::string hint_text = Param(req, "id_token_hint");
  if (hint_text.empty()) {
    return SendErrorPage(res, 400, "invalid_request", "The 'id_token_hint' parameter is missing.");
  }
  auto hint = VerifyIdTokenHint(state, as, hint_text);
  std::optional<OidcClient> client;
  if (hint) client = state.ctx.store->clients().Find(hint->client_id);
  if (!hint || !client) {
    return SendErrorPage(res, 400, "invalid_request",
                         "The 'id_token_hint' parameter is not a valid ID token.");
  }
  std::string target = Param(req, "post_logout_redirect_uri");
  // OIDC RP-Initiated Logout §3: the URI must have been registered for this client.
  if (!target.empty() && !Contains(client->post_logout_redirect_uris, target)) {
    return SendErrorPage(res, 400, "invalid_request",
                         "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI "
                         "in the client app settings.");
  }
  EndSignInSession(state, req, res);
  if (target.empty()) {
    return SendHtml(res, 200, HtmlPage("Signed out", "<p>You have been signed out.</p>"));
  }
  std::string s = Param(req, "state");
  SendRedirect(res, s.empty() ? target : AppendQuery(target, {{"state", s}}));
}

// Revoke and introspect both take an authenticated client and a `token` parameter. Returns the
// client id and token, or nullopt after answering the error itself.
std::optional<std::pair<std::string, std::string>> ClientAndToken(const OidcState& state,
                                                                  const httplib::Request& req,
                                                                  httplib::Response& res) {
  ClientAuth auth = AuthenticateClient(req, *state.ctx.store);
  if (!auth.client) {
    SendClientAuthError(res, auth);
    return std::nullopt;
  }
  std::string token = Param(req, "token");
  if (token.empty()) {
    SendOAuthError(res, 400, "invalid_request", "The 'token' parameter is missing.");
    return std::nullopt;
  }
  return std::make_pair(auth.client->client_id, token);
}

// RFC 7009 §2.2: 200 whatever the token was, so the answer reveals nothing about it. Only tokens
// of the calling client are revoked (§2.1: the token must belong to the client); a refresh token
// takes its family and the family's access tokens with it (§2.1, "SHOULD also invalidate").
void HandleRevoke(OidcState& state, const AuthServer& as, const httplib::Request& req,
                  httplib::Response& res) {
  auto client_and_token = ClientAndToken(state, req, res);
  if (!client_and_token) return;
  const auto& [client_id, token] = *client_and_token;
  auto claims = VerifyAccessToken(state, as, token);
  if (claims && claims->cid == client_id) {
    state.revoked_jtis.Put(claims->jti, true, claims->exp - state.NowSeconds() + 1);
  } else if (!claims) {
    state.RevokeAccessTokens(state.refresh_tokens->Revoke(token, client_id));
  }
  SetNoStore(res);
  res.status = 200;
}

void HandleIntrospect(OidcState& state, const AuthServer& as, const httplib::Request& req,
                      httplib::Response& res) {
  auto client_and_token = ClientAndToken(state, req, res);
  if (!client_and_token) return;
  const auto& [client_id, token] = *client_and_token;
  auto jws = VerifyAccessToken(state, as, token);
  SetNoStore(res);
  if (!jws || jws->cid != client_id) {
    res.set_content("{\"active\":false}", "application/json");
    return;
  }
  auto parsed = jose::ParseCompact(token);
  json::Document& d = parsed->payload;
  auto& a = d.GetAllocator();
  std::string scope;
  for (const std::string& s : jws->scopes) scope += (scope.empty() ? "" : " ") + s;
  d.RemoveMember("scp");
  d.RemoveMember("ver");
  d.RemoveMember("cid");
  d.AddMember("active", true, a);
  d.AddMember("token_type", "Bearer", a);
  d.AddMember("scope", json::Str(scope, a), a);
  d.AddMember("client_id", json::Str(jws->cid, a), a);
  d.AddMember("username", json::Str(json::GetString(d, "sub").value_or(""), a), a);
  res.set_content(json::Write(d), "application/json");
}

}  // namespace

void RegisterLogoutRoutes(httplib::Server& server, const StatePtr& state, AuthServer as) {
  auto logout = [state, as](const httplib::Request& req, httplib::Response& res) {
    HandleLogout(*state, as, req, res);
  };
  server.Get(as.Prefix() + "/logout", logout);
  server.Post(as.Prefix() + "/logout", logout);
  server.Post(as.Prefix() + "/revoke",
              [state, as](const httplib::Request& req, httplib::Response& res) {
                HandleRevoke(*state, as, req, res);
              });
  server.Post(as.Prefix() + "/introspect",
              [state, as](const httplib::Request& req, httplib::Response& res) {
                HandleIntrospect(*state, as, req, res);
              });
}

}  // namespace userdesk::mini_okta::oidc
