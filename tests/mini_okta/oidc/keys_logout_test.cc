// Discovery, /v1/keys and rotation, /v1/logout, /v1/revoke and /v1/introspect.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/oidc_flow.h"

namespace userdesk::mini_okta {
namespace {

using testing::AuthorizePath;
using testing::ExchangeCode;
using testing::kDefaultPrefix;
using testing::kOrgPrefix;
using testing::StringAt;

class OidcServerTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  struct Flow {
    std::string cookie;
    std::string access_token;
    std::string id_token;
  };
  Flow SignInAndRedeem(const std::string& prefix = kDefaultPrefix) {
    testing::SignIn s = testing::SignInWithForm(h_, AuthorizePath(prefix));
    json::Document body = testing::ParseBody(ExchangeCode(h_, prefix, s.code));
    return {s.cookie, StringAt(body, "access_token"), StringAt(body, "id_token")};
  }

  std::string LogoutPath(const std::string& id_token, const testing::Params& extra = {}) {
    oidc::QueryParams q = {{"id_token_hint", id_token}};
    for (const auto& kv : extra) q.push_back(kv);
    return oidc::AppendQuery(std::string(kDefaultPrefix) + "/logout", q);
  }

  std::vector<std::string> PublishedKids() {
    auto keys = jose::ParseJwks(h_.Client().Get(std::string(kDefaultPrefix) + "/keys")->body);
    std::vector<std::string> kids;
    for (const auto& k : *keys) kids.push_back(k.kid);
    return kids;
  }

  testing::ServerHarness h_;
};

TEST_F(OidcServerTest, DiscoveryDocumentsForBothServers) {
  std::string base = h_.server().base_url();
  for (const auto& [path, issuer] : std::vector<std::pair<std::string, std::string>>{
           {"/.well-known/openid-configuration", base},
           {"/oauth2/default/.well-known/openid-configuration", base + "/oauth2/default"},
           {"/oauth2/default/.well-known/oauth-authorization-server", base + "/oauth2/default"}}) {
    auto res = h_.Client().Get(path);
    ASSERT_TRUE(res) << path;
    ASSERT_EQ(res->status, 200) << path;
    json::Document d = testing::ParseBody(res);
    std::string prefix = issuer == base ? base + "/oauth2/v1" : issuer + "/v1";
    EXPECT_EQ(StringAt(d, "issuer"), issuer);
    EXPECT_EQ(StringAt(d, "authorization_endpoint"), prefix + "/authorize");
    EXPECT_EQ(StringAt(d, "token_endpoint"), prefix + "/token");
    EXPECT_EQ(StringAt(d, "userinfo_endpoint"), prefix + "/userinfo");
    EXPECT_EQ(StringAt(d, "jwks_uri"), prefix + "/keys");
    EXPECT_EQ(StringAt(d, "end_session_endpoint"), prefix + "/logout");
    EXPECT_EQ(StringAt(d, "revocation_endpoint"), prefix + "/revoke");
    EXPECT_EQ(StringAt(d, "introspection_endpoint"), prefix + "/introspect");
    EXPECT_EQ(StringAt(d, "registration_endpoint"), base + "/oauth2/v1/clients");
    for (const char* list : {"response_types_supported", "response_modes_supported",
                             "grant_types_supported", "subject_types_supported", "scopes_supported",
                             "token_endpoint_auth_methods_supported", "claims_supported"}) {
      EXPECT_NE(json::GetArray(d, list), nullptr) << list;
    }
    EXPECT_STREQ((*json::GetArray(d, "id_token_signing_alg_values_supported"))[0].GetString(),
                 "RS256");
    EXPECT_STREQ((*json::GetArray(d, "code_challenge_methods_supported"))[0].GetString(), "S256");
    EXPECT_TRUE(json::GetBool(d, "request_parameter_supported").has_value());
    // Back-Channel Logout 1.0 §2.1: logout tokens (sent by the admin extension) name the session
    EXPECT_EQ(json::GetBool(d, "backchannel_logout_supported"), true) << path;
    EXPECT_EQ(json::GetBool(d, "backchannel_logout_session_supported"), true) << path;
    const json::Value* claims = json::GetArray(d, "claims_supported");
    ASSERT_NE(claims, nullptr);
    EXPECT_TRUE(std::any_of(claims->Begin(), claims->End(),
                            [](const json::Value& c) { return std::string(c.GetString()) == "sid"; }))
        << path;
  }
}

TEST_F(OidcServerTest, KeysArePublishedWithCacheControl) {
  auto res = h_.Client().Get(std::string(kOrgPrefix) + "/keys");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Cache-Control").find("max-age="), std::string::npos);
  auto keys = jose::ParseJwks(res->body);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 2u);  // current + next
  for (const auto& key : *keys) {
    EXPECT_EQ(key.alg, "RS256");
    EXPECT_EQ(key.use, "sig");
    EXPECT_EQ(key.e, "AQAB");
  }
}

TEST_F(OidcServerTest, RotationSignsWithThePrePublishedKeyAndKeepsTheOldOne) {
  Flow before = SignInAndRedeem();
  std::vector<std::string> kids_before = PublishedKids();
  std::string old_kid = h_.server().context().keys->CurrentKid();
  auto rotated = h_.Client().Post("/admin/rotate-key", "", "application/json");
  ASSERT_TRUE(rotated);
  ASSERT_EQ(rotated->status, 200);
  std::string new_kid = h_.server().context().keys->CurrentKid();
  EXPECT_NE(new_kid, old_kid);
  // the new signing key had been published before the rotation
  EXPECT_NE(std::find(kids_before.begin(), kids_before.end(), new_kid), kids_before.end());
  std::vector<std::string> kids_after = PublishedKids();
  EXPECT_EQ(kids_after.size(), 3u);
  EXPECT_NE(std::find(kids_after.begin(), kids_after.end(), old_kid), kids_after.end());
  // a new token names the new kid; the old token still verifies and still works
  Flow after = SignInAndRedeem();
  auto jws = testing::VerifyWithPublishedKeys(h_, kDefaultPrefix, after.id_token);
  ASSERT_TRUE(jws.ok());
  EXPECT_EQ(StringAt(jws->header, "kid"), new_kid);
  EXPECT_TRUE(testing::VerifyWithPublishedKeys(h_, kDefaultPrefix, before.id_token).ok());
  auto info = h_.Client().Get(std::string(kDefaultPrefix) + "/userinfo",
                              {{"Authorization", "Bearer " + before.access_token}});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 200);
}

TEST_F(OidcServerTest, LogoutRedirectsWithStateAndEndsTheSession) {
  Flow f = SignInAndRedeem();
  auto res = h_.Client().Get(
      LogoutPath(f.id_token, {{"post_logout_redirect_uri", testing::kLogoutUri}, {"state", "bye"}}),
      {{"Cookie", f.cookie}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 302) << res->body;
  EXPECT_EQ(res->get_header_value("Location"), std::string(testing::kLogoutUri) + "?state=bye");
  EXPECT_NE(res->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  // the old cookie no longer signs the user in
  auto again =
      h_.Client().Get(AuthorizePath(kDefaultPrefix, {{"prompt", "none"}}), {{"Cookie", f.cookie}});
  ASSERT_TRUE(again);
  EXPECT_EQ(testing::LocationParams(again)["error"], "login_required");
}

TEST_F(OidcServerTest, LogoutRefusals) {
  Flow f = SignInAndRedeem();
  auto unregistered = h_.Client().Get(
      LogoutPath(f.id_token, {{"post_logout_redirect_uri", "http://evil.example/"}}));
  ASSERT_TRUE(unregistered);
  EXPECT_EQ(unregistered->status, 400);
  EXPECT_FALSE(unregistered->has_header("Location"));
  auto missing = h_.Client().Get(std::string(kDefaultPrefix) + "/logout");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  auto forged = h_.Client().Get(LogoutPath(f.id_token + "x"));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 400);
  // an ID token of the default server is no hint for the org server
  auto other = h_.Client().Get(
      oidc::AppendQuery(std::string(kOrgPrefix) + "/logout", {{"id_token_hint", f.id_token}}));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400);
}

TEST_F(OidcServerTest, ExpiredTokensAreRefusedByUserinfoButAcceptedAsLogoutHints) {
  Flow f = SignInAndRedeem();
  FaultSettings later;
  later.clock_offset_seconds = 3600;  // exactly when the tokens expire (RFC 7519 §4.1.4)
  h_.server().context().faults->Set(later);
  auto info = h_.Client().Get(std::string(kDefaultPrefix) + "/userinfo",
                              {{"Authorization", "Bearer " + f.access_token}});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 401);
  auto res =
      h_.Client().Get(LogoutPath(f.id_token, {{"post_logout_redirect_uri", testing::kLogoutUri}}),
                      {{"Cookie", f.cookie}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->get_header_value("Location"), testing::kLogoutUri);
}

TEST_F(OidcServerTest, RevokedAccessTokenIsRefusedByUserinfo) {
  Flow f = SignInAndRedeem();
  std::string path = std::string(kDefaultPrefix) + "/revoke";
  auto res = h_.Client().Post(
      path, testing::BasicAuth(),
      httplib::Params{{"token", f.access_token}, {"token_type_hint", "access_token"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.empty());
  auto info = h_.Client().Get(std::string(kDefaultPrefix) + "/userinfo",
                              {{"Authorization", "Bearer " + f.access_token}});
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 401);
  // unknown tokens are 200 too; missing token and bad client auth are refused
  EXPECT_EQ(
      h_.Client().Post(path, testing::BasicAuth(), httplib::Params{{"token", "junk"}})->status,
      200);
  testing::ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(), httplib::Params{}), 400,
                            "invalid_request");
  testing::ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(testing::kClientId, "bad"),
                                             httplib::Params{{"token", f.access_token}}),
                            401, "invalid_client");
}

TEST_F(OidcServerTest, IntrospectReportsActiveAndInactive) {
  Flow f = SignInAndRedeem();
  std::string path = std::string(kDefaultPrefix) + "/introspect";
  auto res =
      h_.Client().Post(path, testing::BasicAuth(), httplib::Params{{"token", f.access_token}});
  ASSERT_TRUE(res);
  json::Document d = testing::ParseBody(res);
  EXPECT_EQ(json::GetBool(d, "active"), true);
  EXPECT_EQ(StringAt(d, "client_id"), testing::kClientId);
  EXPECT_EQ(StringAt(d, "username"), "demo@example.com");
  EXPECT_EQ(StringAt(d, "scope"), "openid profile email");
  auto junk = h_.Client().Post(path, testing::BasicAuth(), httplib::Params{{"token", "junk"}});
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->body, "{\"active\":false}");
}

TEST(OidcKeyFile, KeysSurviveARestartInAPrivateFile) {
  char tmpl[] = "/tmp/mini-okta-oidc-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  Options options;
  options.data_file = dir + "/data.json";
  std::string id_token;
  std::string jwks;
  {
    testing::ServerHarness first(options);
    first.Start();
    testing::SignIn s = testing::SignInWithForm(first, AuthorizePath(kDefaultPrefix));
    id_token =
        StringAt(testing::ParseBody(ExchangeCode(first, kDefaultPrefix, s.code)), "id_token");
    jwks = first.Client().Get(std::string(kDefaultPrefix) + "/keys")->body;
  }
  struct stat st {};
  ASSERT_EQ(stat((options.data_file + ".keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  testing::ServerHarness second(options);
  second.Start();
  EXPECT_EQ(second.Client().Get(std::string(kDefaultPrefix) + "/keys")->body, jwks);
  EXPECT_TRUE(testing::VerifyWithPublishedKeys(second, kDefaultPrefix, id_token).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace userdesk::mini_okta
