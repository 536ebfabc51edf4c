// /v1/token and the tokens it issues: the full code flow with PKCE, the claims of the thin ID
// token and the access token, /v1/userinfo, and every refusal of the token endpoint.
#include <ctime>

#include "mini_okta/oidc_flow.h"

namespace userdesk::mini_okta {
namespace {

using testing::AuthorizePath;
using testing::ExchangeCode;
using testing::ExpectOAuthError;
using testing::kDefaultPrefix;
using testing::kOrgPrefix;

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  std::string Code(const std::string& prefix = kDefaultPrefix, const testing::Params& p = {}) {
    return testing::SignInWithForm(h_, AuthorizePath(prefix, p)).code;
  }

  json::Document Payload(const std::string& prefix, const std::string& token) {
    auto jws = testing::VerifyWithPublishedKeys(h_, prefix, token);
    EXPECT_TRUE(jws.ok()) << jws.error().detail;
    return jws.ok() ? std::move(jws->payload) : json::Document();
  }

  httplib::Result Userinfo(const std::string& prefix, const std::string& access_token) {
    return h_.Client().Get(prefix + "/userinfo", {{"Authorization", "Bearer " + access_token}});
  }

  testing::ServerHarness h_;
};

TEST_F(TokenTest, CodeFlowReturnsOktaShapedTokenResponse) {
  auto res = ExchangeCode(h_, kDefaultPrefix, Code());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_NE(res->get_header_value("Cache-Control").find("no-store"), std::string::npos);
  EXPECT_EQ(res->get_header_value("Pragma"), "no-cache");
  json::Document body = testing::ParseBody(res);
  EXPECT_EQ(testing::StringAt(body, "token_type"), "Bearer");
  EXPECT_EQ(json::GetInt(body, "expires_in"), 3600);
  EXPECT_EQ(testing::StringAt(body, "scope"), "openid profile email");
  EXPECT_FALSE(testing::StringAt(body, "access_token").empty());
  EXPECT_FALSE(testing::StringAt(body, "id_token").empty());
  EXPECT_EQ(json::Member(body, "refresh_token"), nullptr);
}

TEST_F(TokenTest, ThinIdTokenCarriesOktasClaims) {
  json::Document body = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, Code()));
  std::string access = testing::StringAt(body, "access_token");
  json::Document id = Payload(kDefaultPrefix, testing::StringAt(body, "id_token"));
  int64_t now = std::time(nullptr);
  EXPECT_EQ(testing::StringAt(id, "sub"), "00udemo0000000000001");
  EXPECT_EQ(testing::StringAt(id, "iss"), h_.server().base_url() + "/oauth2/default");
  EXPECT_EQ(testing::StringAt(id, "aud"), testing::kClientId);
  EXPECT_EQ(json::GetInt(id, "ver"), 1);
  EXPECT_EQ(testing::StringAt(id, "jti").substr(0, 3), "ID.");
  EXPECT_EQ(testing::StringAt(id, "nonce"), "n-456");
  EXPECT_EQ(testing::StringAt(id, "idp").substr(0, 3), "00o");
  EXPECT_EQ(testing::StringAt(id, "name"), "Demo User");
  EXPECT_EQ(testing::StringAt(id, "preferred_username"), "demo@example.com");
  EXPECT_EQ(testing::StringAt(id, "email"), "demo@example.com");
  EXPECT_NEAR(static_cast<double>(*json::GetInt(id, "iat")), static_cast<double>(now), 10);
  EXPECT_EQ(*json::GetInt(id, "exp") - *json::GetInt(id, "iat"), 3600);
  EXPECT_NEAR(static_cast<double>(*json::GetInt(id, "auth_time")), static_cast<double>(now), 10);
  const json::Value* amr = json::GetArray(id, "amr");
  ASSERT_NE(amr, nullptr);
  ASSERT_EQ(amr->Size(), 1u);
  EXPECT_STREQ((*amr)[0].GetString(), "pwd");
  // OIDC Core §3.1.3.6: left half of SHA-256 of the access token
  std::string at_hash = crypto::Base64UrlEncode(crypto::Sha256(access).substr(0, 16));
  EXPECT_EQ(testing::StringAt(id, "at_hash"), at_hash);
  // thin: the rest of the profile is only at /userinfo
  EXPECT_EQ(json::Member(id, "given_name"), nullptr);
  EXPECT_EQ(json::Member(id, "family_name"), nullptr);
  EXPECT_EQ(json::Member(id, "email_verified"), nullptr);
  EXPECT_EQ(json::Member(id, "updated_at"), nullptr);
}

// The ID token's sid names the sign-in session (Back-Channel Logout 1.0 §2.4): the same for every
// token of that session (a second sign-in through the cookie), another for another browser's,
// and never the value of the session cookie, which stays between mini-okta and the browser.
TEST_F(TokenTest, TheIdTokensSidNamesTheSignInSessionNotItsCookie) {
  testing::SignIn first = testing::SignInWithForm(h_, AuthorizePath(kDefaultPrefix));
  auto sid_of = [&](const std::string& prefix, const std::string& code) {
    json::Document body = testing::ParseBody(ExchangeCode(h_, prefix, code));
    return testing::StringAt(Payload(prefix, testing::StringAt(body, "id_token")), "sid");
  };
  std::string sid = sid_of(kDefaultPrefix, first.code);
  EXPECT_EQ(sid.substr(0, 3), "102");
  EXPECT_EQ(sid.size(), 25u);
  std::string cookie_value = first.cookie.substr(first.cookie.find('=') + 1);
  EXPECT_EQ(sid.find(cookie_value), std::string::npos);
  EXPECT_EQ(cookie_value.find(sid), std::string::npos);
  // the same browser again (single sign-on, either server): the same session
  for (const std::string& prefix : {std::string(kDefaultPrefix), std::string(kOrgPrefix)}) {
    auto again = h_.Client().Get(AuthorizePath(prefix), {{"Cookie", first.cookie}});
    ASSERT_TRUE(again);
    ASSERT_EQ(again->status, 302) << again->body;
    EXPECT_EQ(sid_of(prefix, testing::LocationParams(again)["code"]), sid) << prefix;
  }
  // another browser: another session
  EXPECT_NE(sid_of(kDefaultPrefix, Code()), sid);
}

TEST_F(TokenTest, AccessTokenCarriesOktasClaims) {
  json::Document body = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, Code()));
  json::Document at = Payload(kDefaultPrefix, testing::StringAt(body, "access_token"));
  EXPECT_EQ(json::GetInt(at, "ver"), 1);
  EXPECT_EQ(testing::StringAt(at, "jti").substr(0, 3), "AT.");
  EXPECT_EQ(testing::StringAt(at, "iss"), h_.server().base_url() + "/oauth2/default");
  EXPECT_EQ(testing::StringAt(at, "aud"), "api://default");
  EXPECT_EQ(testing::StringAt(at, "cid"), testing::kClientId);
  EXPECT_EQ(testing::StringAt(at, "uid"), "00udemo0000000000001");
  EXPECT_EQ(testing::StringAt(at, "sub"), "demo@example.com");
  EXPECT_TRUE(json::GetInt(at, "auth_time").has_value());
  const json::Value* scp = json::GetArray(at, "scp");
  ASSERT_NE(scp, nullptr);
  EXPECT_EQ(scp->Size(), 3u);
}

TEST_F(TokenTest, OrgServerUsesTheOrgIssuerAndAudience) {
  json::Document body = testing::ParseBody(ExchangeCode(h_, kOrgPrefix, Code(kOrgPrefix)));
  json::Document id = Payload(kOrgPrefix, testing::StringAt(body, "id_token"));
  json::Document at = Payload(kOrgPrefix, testing::StringAt(body, "access_token"));
  EXPECT_EQ(testing::StringAt(id, "iss"), h_.server().base_url());
  EXPECT_EQ(testing::StringAt(at, "aud"), h_.server().base_url());
  // a default-server token is not good at the org server's userinfo, nor the reverse
  auto wrong = Userinfo(kDefaultPrefix, testing::StringAt(body, "access_token"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(Userinfo(kOrgPrefix, testing::StringAt(body, "access_token"))->status, 200);
}

TEST_F(TokenTest, UserinfoReturnsTheFullProfileForTheScopes) {
  json::Document body = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, Code()));
  auto res = Userinfo(kDefaultPrefix, testing::StringAt(body, "access_token"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document info = testing::ParseBody(res);
  EXPECT_EQ(testing::StringAt(info, "sub"), "00udemo0000000000001");
  EXPECT_EQ(testing::StringAt(info, "name"), "Demo User");
  EXPECT_EQ(testing::StringAt(info, "given_name"), "Demo");
  EXPECT_EQ(testing::StringAt(info, "family_name"), "User");
  EXPECT_EQ(testing::StringAt(info, "preferred_username"), "demo@example.com");
  EXPECT_EQ(testing::StringAt(info, "email"), "demo@example.com");
  EXPECT_EQ(json::GetBool(info, "email_verified"), true);
  EXPECT_EQ(testing::StringAt(info, "locale"), "en-US");
  EXPECT_EQ(testing::StringAt(info, "zoneinfo"), "America/Los_Angeles");
  EXPECT_TRUE(json::GetInt(info, "updated_at").has_value());
  // POST with the token in the header works too
  auto post =
      h_.Client().Post(std::string(kDefaultPrefix) + "/userinfo",
                       {{"Authorization", "Bearer " + testing::StringAt(body, "access_token")}}, "",
                       "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
}

TEST_F(TokenTest, UserinfoScopesLimitTheClaims) {
  std::string code = Code(kDefaultPrefix, {{"scope", "openid email"}});
  json::Document body = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, code));
  json::Document info =
      testing::ParseBody(Userinfo(kDefaultPrefix, testing::StringAt(body, "access_token")));
  EXPECT_EQ(testing::StringAt(info, "email"), "demo@example.com");
  EXPECT_EQ(json::Member(info, "name"), nullptr);
  EXPECT_EQ(json::Member(info, "given_name"), nullptr);
}

TEST_F(TokenTest, UserinfoRefusesBadTokensWithWwwAuthenticate) {
  auto missing = h_.Client().Get(std::string(kDefaultPrefix) + "/userinfo");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(missing->get_header_value("WWW-Authenticate").rfind("Bearer ", 0), 0u);
  json::Document body = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, Code()));
  std::string token = testing::StringAt(body, "access_token");
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {token, std::string("garbage"), testing::StringAt(body, "id_token")}) {
    auto res = Userinfo(kDefaultPrefix, bad);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_NE(res->get_header_value("WWW-Authenticate").find("error=\"invalid_token\""),
              std::string::npos);
  }
}

TEST_F(TokenTest, ClientSecretPostWorksToo) {
  httplib::Params form = {
      {"grant_type", "authorization_code"},    {"code", Code()},
      {"redirect_uri", testing::kRedirectUri}, {"code_verifier", testing::kVerifier},
      {"client_id", testing::kClientId},       {"client_secret", testing::kClientSecret}};
  auto res = h_.Client().Post(std::string(kDefaultPrefix) + "/token", form);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(TokenTest, CodesAreSingleUseAndReuseRevokesTheFirstTokens) {
  std::string code = Code();
  json::Document first = testing::ParseBody(ExchangeCode(h_, kDefaultPrefix, code));
  ExpectOAuthError(ExchangeCode(h_, kDefaultPrefix, code), 400, "invalid_grant");
  auto res = Userinfo(kDefaultPrefix, testing::StringAt(first, "access_token"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
}

TEST_F(TokenTest, CodeIsBoundToVerifierRedirectUriAndServer) {
  ExpectOAuthError(ExchangeCode(h_, kDefaultPrefix, Code(), std::string(50, 'x')), 400,
                   "invalid_grant");
  ExpectOAuthError(ExchangeCode(h_, kDefaultPrefix, Code(), ""), 400, "invalid_grant");
  ExpectOAuthError(
      ExchangeCode(h_, kDefaultPrefix, Code(), testing::kVerifier, "http://localhost:8080/other"),
      400, "invalid_grant");
  ExpectOAuthError(ExchangeCode(h_, kOrgPrefix, Code(kDefaultPrefix)), 400, "invalid_grant");
  ExpectOAuthError(ExchangeCode(h_, kDefaultPrefix, "not-a-code"), 400, "invalid_grant");
}

TEST_F(TokenTest, ClientAuthenticationFailures) {
  httplib::Params grant = {{"grant_type", "authorization_code"},
                           {"code", Code()},
                           {"redirect_uri", testing::kRedirectUri},
                           {"code_verifier", testing::kVerifier}};
  std::string path = std::string(kDefaultPrefix) + "/token";
  auto wrong = h_.Client().Post(path, testing::BasicAuth(testing::kClientId, "wrong"), grant);
  ExpectOAuthError(wrong, 401, "invalid_client");
  EXPECT_EQ(wrong->get_header_value("WWW-Authenticate").rfind("Basic ", 0), 0u);
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth("0oaunknown", "x"), grant), 401,
                   "invalid_client");
  ExpectOAuthError(h_.Client().Post(path, grant), 401, "invalid_client");
  httplib::Params both = grant;
  both.emplace("client_id", testing::kClientId);
  both.emplace("client_secret", testing::kClientSecret);
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(), both), 400, "invalid_request");
  httplib::Params post_wrong = grant;
  post_wrong.emplace("client_id", testing::kClientId);
  post_wrong.emplace("client_secret", "wrong");
  auto res = h_.Client().Post(path, post_wrong);
  ExpectOAuthError(res, 401, "invalid_client");
  EXPECT_FALSE(res->has_header("WWW-Authenticate"));
}

TEST_F(TokenTest, GrantTypeAndRequestShapeRefusals) {
  std::string path = std::string(kDefaultPrefix) + "/token";
  ExpectOAuthError(
      h_.Client().Post(path, testing::BasicAuth(), httplib::Params{{"grant_type", "password"}}),
      400, "unsupported_grant_type");
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(),
                                    httplib::Params{{"grant_type", "client_credentials"}}),
                   400, "unsupported_grant_type");
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(), httplib::Params{}), 400,
                   "invalid_request");
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(),
                                    R"({"grant_type":"authorization_code"})", "application/json"),
                   400, "invalid_request");
  ExpectOAuthError(h_.Client().Post(path, testing::BasicAuth(),
                                    httplib::Params{{"grant_type", "authorization_code"}}),
                   400, "invalid_request");
}

TEST(TokenClockTest, ClockOffsetShiftsIssuedTokenTimes) {
  FaultSettings faults;
  faults.clock_offset_seconds = -7200;
  testing::ServerHarness h({}, faults);
  h.Start();
  std::string code = testing::SignInWithForm(h, AuthorizePath(kDefaultPrefix)).code;
  json::Document body = testing::ParseBody(ExchangeCode(h, kDefaultPrefix, code));
  auto jws =
      testing::VerifyWithPublishedKeys(h, kDefaultPrefix, testing::StringAt(body, "id_token"));
  ASSERT_TRUE(jws.ok());
  int64_t expected = static_cast<int64_t>(std::time(nullptr)) - 7200;
  EXPECT_NEAR(static_cast<double>(*json::GetInt(jws->payload, "iat")),
              static_cast<double>(expected), 10);
  EXPECT_NEAR(static_cast<double>(*json::GetInt(jws->payload, "exp")),
              static_cast<double>(expected + 3600), 10);
}

}  // namespace
}  // namespace userdesk::mini_okta
