// GET .well-known/openid-configuration and .well-known/oauth-authorization-server for both
// authorization servers, with the members Okta publishes (docs/okta-api.md §1.2), limited to what
// mini-okta really serves where a member lists capabilities.
#include <httplib.h>

#include "json/json.h"
#include "mini_okta/oidc/routes.h"

namespace userdesk::mini_okta::oidc {
namespace {

json::Value Strings(std::initializer_list<const char*> items, json::Allocator& a) {
  json::Value list(rapidjson::kArrayType);
  for (const char* item : items) list.PushBack(json::Str(item, a), a);
  return list;
}

void AddUrl(json::Document& d, const char* name, std::string url) {
  d.AddMember(json::Str(name, d.GetAllocator()), json::Str(url, d.GetAllocator()),
              d.GetAllocator());
}

void AddEndpoints(json::Document& d, const Context& ctx, const AuthServer& as) {
  AddUrl(d, "issuer", as.Issuer(ctx));
  AddUrl(d, "authorization_endpoint", as.Endpoint(ctx, "authorize"));
  AddUrl(d, "token_endpoint", as.Endpoint(ctx, "token"));
  AddUrl(d, "userinfo_endpoint", as.Endpoint(ctx, "userinfo"));
  // Okta names the org's client registration endpoint for every authorization server.
  AddUrl(d, "registration_endpoint", ctx.options.base_url + "/oauth2/v1/clients");
  AddUrl(d, "jwks_uri", as.Endpoint(ctx, "keys"));
  AddUrl(d, "introspection_endpoint", as.Endpoint(ctx, "introspect"));
  AddUrl(d, "revocation_endpoint", as.Endpoint(ctx, "revoke"));
  AddUrl(d, "end_session_endpoint", as.Endpoint(ctx, "logout"));
}

void AddCapabilities(json::Document& d) {
  auto& a = d.GetAllocator();
  d.AddMember("response_types_supported", Strings({"code"}, a), a);
  d.AddMember("response_modes_supported", Strings({"query"}, a), a);
  d.AddMember("grant_types_supported", Strings({"authorization_code", "refresh_token"}, a), a);
  d.AddMember("subject_types_supported", Strings({"public"}, a), a);
  d.AddMember("id_token_signing_alg_values_supported", Strings({"RS256"}, a), a);
  d.AddMember("scopes_supported",
              Strings({"openid", "profile", "email", "address", "phone", "offline_access"}, a), a);
  json::Value auth_methods = Strings({"client_secret_basic", "client_secret_post"}, a);
  d.AddMember("token_endpoint_auth_methods_supported", json::Value(auth_methods, a), a);
  d.AddMember("claims_supported",
              Strings({"iss",        "ver",         "sub",         "aud",      "iat",
                       "exp",        "jti",         "auth_time",   "amr",      "idp",
                       "nonce",      "sid",         "name",        "nickname", "preferred_username",
                       "given_name", "middle_name", "family_name", "email",    "email_verified",
                       "profile",    "zoneinfo",    "locale",      "address",  "phone_number",
                       "gender",     "birthdate",   "updated_at",  "at_hash"},
                      a),
              a);
  d.AddMember("code_challenge_methods_supported", Strings({"S256"}, a), a);
  d.AddMember("introspection_endpoint_auth_methods_supported", json::Value(auth_methods, a), a);
  d.AddMember("revocation_endpoint_auth_methods_supported", json::Value(auth_methods, a), a);
  d.AddMember("request_parameter_supported", false, a);
  // OpenID Connect Back-Channel Logout 1.0 §2.1; mini-okta sends logout tokens only when asked
  // through its admin extension (docs/mini-okta.md, "Back-channel logout")
  d.AddMember("backchannel_logout_supported", true, a);
  d.AddMember("backchannel_logout_session_supported", true, a);
}

std::string DiscoveryJson(const Context& ctx, const AuthServer& as) {
  json::Document d(rapidjson::kObjectType);
  AddEndpoints(d, ctx, as);
  AddCapabilities(d);
  return json::Write(d);
}

}  // namespace

void RegisterDiscoveryRoutes(httplib::Server& server, const StatePtr& state, AuthServer as) {
  std::string root = as.org ? "" : "/oauth2/default";
  auto handler = [state, as](const httplib::Request&, httplib::Response& res) {
    // The document is static per issuer; Okta lets clients cache it.
    res.set_header("Cache-Control", "max-age=86400, must-revalidate");
    res.set_content(DiscoveryJson(state->ctx, as), "application/json");
  };
  server.Get(root + "/.well-known/openid-configuration", handler);
  server.Get(root + "/.well-known/oauth-authorization-server", handler);
}

}  // namespace userdesk::mini_okta::oidc
