// Helpers for the OIDC tests: drive /v1/authorize, the sign-in form and /v1/token over real
// loopback HTTP the way a browser and a confidential client would. httplib's client keeps no
// cookies, so the sign-in cookie is carried by hand.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <string>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "jose/jws.h"
#include "json/json.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta::testing {

inline constexpr char kClientId[] = "0oaclient";
inline constexpr char kClientSecret[] = "secret";
inline constexpr char kRedirectUri[] = "http://localhost:8080/callback";
inline constexpr char kLogoutUri[] = "http://localhost:8080/";
inline constexpr char kVerifier[] = "verifier-0123456789-0123456789-0123456789-abcdef";
inline constexpr char kDefaultPrefix[] = "/oauth2/default/v1";
inline constexpr char kOrgPrefix[] = "/oauth2/v1";

inline std::string Challenge(const std::string& verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

using Params = std::map<std::string, std::string>;

// A valid authorize request; overrides replace or (with an empty value) remove parameters.
inline std::string AuthorizePath(const std::string& prefix, const Params& overrides = {}) {
  Params p = {{"client_id", kClientId},
              {"response_type", "code"},
              {"scope", "openid profile email"},
              {"redirect_uri", kRedirectUri},
              {"state", "st-123"},
              {"nonce", "n-456"},
              {"code_challenge", Challenge(kVerifier)},
              {"code_challenge_method", "S256"}};
  for (const auto& [k, v] : overrides) {
    if (v.empty())
      p.erase(k);
    else
      p[k] = v;
  }
  oidc::QueryParams q(p.begin(), p.end());
  return oidc::AppendQuery(prefix + "/authorize", q);
}

// The decoded query parameters of a redirect's Location.
inline Params LocationParams(const httplib::Result& res) {
  Params out;
  if (!res) return out;
  std::string location = res->get_header_value("Location");
  size_t q = location.find('?');
  if (q == std::string::npos) return out;
  httplib::Params parsed;
  httplib::detail::parse_query_text(location.substr(q + 1), parsed);
  for (const auto& [k, v] : parsed) out[k] = v;
  return out;
}

inline std::string LocationBase(const httplib::Result& res) {
  std::string location = res ? res->get_header_value("Location") : "";
  return location.substr(0, location.find('?'));
}

// The name=value part of the Set-Cookie header for cookie name (for sending back as Cookie).
inline std::string CookieNamed(const httplib::Result& res, const std::string& name) {
  if (!res) return "";
  size_t count = res->get_header_value_count("Set-Cookie");
  for (size_t i = 0; i < count; i++) {
    std::string set = res->get_header_value("Set-Cookie", i);
    if (set.rfind(name + "=", 0) == 0) return set.substr(0, set.find(';'));
  }
  return "";
}

inline std::string SessionCookie(const httplib::Result& res) {
  return CookieNamed(res, "mini_okta_sid");
}

inline std::string HiddenRequestId(const std::string& html) {
  const std::string marker = "name=\"request_id\" value=\"";
  size_t start = html.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  return html.substr(start, html.find('"', start) - start);
}

// Posts credentials to the sign-in form that form_page showed, as the same browser would.
inline httplib::Result PostSignIn(ServerHarness& h, const httplib::Result& form_page,
                                  const std::string& username, const std::string& password,
                                  const std::string& request_id = "") {
  std::string rid = request_id.empty() && form_page ? HiddenRequestId(form_page->body) : request_id;
  httplib::Params fields = {{"request_id", rid}, {"username", username}, {"password", password}};
  return h.Client().Post("/login/signin", {{"Cookie", CookieNamed(form_page, "mini_okta_signin")}},
                         fields);
}

struct SignIn {
  std::string code;
  std::string cookie;
  Params redirect;
};

// GET authorize → form → POST credentials → 302 with code.
inline SignIn SignInWithForm(ServerHarness& h, const std::string& authorize_path,
                             const std::string& username = "demo@example.com",
                             const std::string& password = kDemoPassword) {
  auto form = h.Client().Get(authorize_path);
  EXPECT_TRUE(form);
  if (!form) return {};
  EXPECT_EQ(form->status, 200) << form->body;
  auto posted = PostSignIn(h, form, username, password);
  EXPECT_TRUE(posted);
  if (!posted) return {};
  EXPECT_EQ(posted->status, 302) << posted->body;
  Params redirect = LocationParams(posted);
  return {redirect["code"], SessionCookie(posted), redirect};
}

inline httplib::Headers BasicAuth(const std::string& id = kClientId,
                                  const std::string& secret = kClientSecret) {
  return {{"Authorization", "Basic " + crypto::Base64Encode(id + ":" + secret)}};
}

inline httplib::Result ExchangeCode(ServerHarness& h, const std::string& prefix,
                                    const std::string& code,
                                    const std::string& verifier = kVerifier,
                                    const std::string& redirect_uri = kRedirectUri) {
  httplib::Params body = {{"grant_type", "authorization_code"},
                          {"code", code},
                          {"redirect_uri", redirect_uri},
                          {"code_verifier", verifier}};
  return h.Client().Post(prefix + "/token", BasicAuth(), body);
}

// Verifies token against the JWKS the server publishes at prefix/keys.
inline Result<jose::CompactJws> VerifyWithPublishedKeys(ServerHarness& h, const std::string& prefix,
                                                        const std::string& token) {
  auto res = h.Client().Get(prefix + "/keys");
  if (!res) return MakeError(ErrorCode::kInternal, "no JWKS response");
  auto keys = jose::ParseJwks(res->body);
  if (!keys) return keys.error();
  return jose::VerifyRs256(token, *keys);
}

// "error" and "error_description" of an OAuth JSON error.
inline void ExpectOAuthError(const httplib::Result& res, int status, const std::string& error) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, status) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  json::Document doc = ParseBody(res);
  EXPECT_EQ(StringAt(doc, "error"), error) << res->body;
  EXPECT_TRUE(json::GetString(doc, "error_description").has_value());
}

}  // namespace userdesk::mini_okta::testing
