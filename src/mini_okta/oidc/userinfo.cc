// GET {server}/v1/keys (the JWKS) and GET/POST {server}/v1/userinfo (OIDC Core §5.3) with a
// Bearer access token (RFC 6750 §2.1), answered as docs/okta-api.md §1.5 and §1.7 describe.
#include <httplib.h>

#include <ctime>

#include "base/iso_time.h"
#include "mini_okta/oidc/claims.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/oidc/tokens.h"

namespace userdesk::mini_okta::oidc {
namespace {

// Okta computes the JWKS cache time from its rotation schedule. mini-okta can rotate at any
// moment (the admin endpoint), and after a rotation the old next key signs while a new next key
// is published, so a short cache time keeps clients at most one rotation behind.
constexpr int kJwksMaxAgeSeconds = 300;

std::string HttpDate(std::time_t t) {
  return FormatUtc(int64_t{t} * 1000, "%a, %d %b %Y %H:%M:%S GMT");
}

void HandleKeys(const OidcState& state, httplib::Response& res) {
  res.set_header("Cache-Control",
                 "max-age=" + std::to_string(kJwksMaxAgeSeconds) + ", must-revalidate");
  res.set_header("Expires", HttpDate(std::time(nullptr) + kJwksMaxAgeSeconds));
  res.set_content(state.keys->JwksJson(), "application/json");
}

// RFC 6750 §3: the challenge names the realm and, for a bad token, error="invalid_token".
void SendBearerChallenge(httplib::Response& res, const OidcState& state, const AuthServer& as,
                         int status, std::string_view error, std::string_view description) {
  std::string issuer = as.Issuer(state.ctx);
  res.set_header("WWW-Authenticate",
                 "Bearer authorization_uri=\"" + as.Endpoint(state.ctx, "authorize") +
                     "\", realm=\"" + issuer + "\", scope=\"openid\", error=\"" +
                     std::string(error) + "\", error_description=\"" + std::string(description) +
                     "\", resource=\"" + as.Prefix() + "/userinfo\"");
  SetNoStore(res);
  res.status = status;
}

// RFC 6750 §2.1 (header) and §2.2 (form body of a POST).
std::string BearerToken(const httplib::Request& req) {
  std::string header = req.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) == 0) return header.substr(7);
  if (req.method == "POST") return Param(req, "access_token");
  return "";
}

void HandleUserinfo(const OidcState& state, const AuthServer& as, const httplib::Request& req,
                    httplib::Response& res) {
  std::string token = BearerToken(req);
  if (token.empty()) {
    return SendBearerChallenge(res, state, as, 401, "invalid_request",
                               "The access token is missing.");
  }
  auto claims = VerifyAccessToken(state, as, token);
  std::optional<UserRecord> user;
  if (claims) user = state.ctx.store->users().Find(claims->uid);
  if (!claims || !user || user->status != "ACTIVE") {
    return SendBearerChallenge(res, state, as, 401, "invalid_token",
                               "The access token is invalid.");
  }
  // OIDC Core §5.3.1: userinfo serves tokens that were granted the openid scope.
  if (!Contains(claims->scopes, "openid")) {
    return SendBearerChallenge(res, state, as, 403, "insufficient_scope",
                               "The access token must provide access to at least one of these "
                               "scopes - profile, email, address or phone");
  }
  json::Document body(rapidjson::kObjectType);
  body.AddMember("sub", json::Str(user->id, body.GetAllocator()), body.GetAllocator());
  AddUserinfoClaims(*user, claims->scopes, body, body.GetAllocator());
  SetNoStore(res);
  res.set_content(json::Write(body), "application/json");
}

}  // namespace

void RegisterUserinfoRoutes(httplib::Server& server, const StatePtr& state, AuthServer as) {
  server.Get(as.Prefix() + "/keys",
             [state](const httplib::Request&, httplib::Response& res) { HandleKeys(*state, res); });
  auto userinfo = [state, as](const httplib::Request& req, httplib::Response& res) {
    HandleUserinfo(*state, as, req, res);
  };
  server.Get(as.Prefix() + "/userinfo", userinfo);
  server.Post(as.Prefix() + "/userinfo", userinfo);
}

}  // namespace userdesk::mini_okta::oidc
