// The refresh_token grant: offline_access, rotation on every use, a retry inside the grace
// period, reuse after it revoking the whole family, revocation, and a short access-token
// lifetime set through the fault knob so a test can watch a token expire and be replaced.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mini_okta/oidc_flow.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOAuthError;
using testing::kDefaultPrefix;
using testing::kOrgPrefix;
using testing::ParseBody;
using testing::StringAt;

class RefreshTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  json::Document SignIn(const std::string& scope = "openid profile offline_access",
                        const std::string& prefix = kDefaultPrefix) {
    auto sign_in = testing::SignInWithForm(h_, testing::AuthorizePath(prefix, {{"scope", scope}}));
    return ParseBody(testing::ExchangeCode(h_, prefix, sign_in.code));
  }
  httplib::Result Refresh(const std::string& refresh_token,
                          const std::string& prefix = kDefaultPrefix,
                          const std::string& scope = "") {
    httplib::Params body = {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}};
    if (!scope.empty()) body.emplace("scope", scope);
    return h_.Client().Post(prefix + "/token", testing::BasicAuth(), body);
  }
  int UserinfoStatus(const std::string& access_token, const std::string& prefix = kDefaultPrefix) {
    auto res = h_.Client().Get(prefix + "/userinfo", {{"Authorization", "Bearer " + access_token}});
    return res ? res->status : 0;
  }
  void SetGrace(int64_t seconds) {
    FaultSettings f = h_.server().context().faults->Get();
    f.refresh_token_grace_seconds = seconds;
    h_.server().context().faults->Set(f);
  }

  testing::ServerHarness h_;
};

TEST_F(RefreshTest, OfflineAccessGrantsAnOpaqueRefreshToken) {
  json::Document tokens = SignIn();
  EXPECT_EQ(StringAt(tokens, "scope"), "openid profile offline_access");
  std::string refresh = StringAt(tokens, "refresh_token");
  EXPECT_EQ(refresh.size(), 43u);
  EXPECT_EQ(refresh.find('.'), std::string::npos);  // not a JWT
  json::Document without = SignIn("openid profile");
  EXPECT_EQ(json::Member(without, "refresh_token"), nullptr);
}

TEST_F(RefreshTest, EachUseRotatesTheRefreshToken) {
  json::Document first = SignIn();
  std::string r1 = StringAt(first, "refresh_token");
  auto res = Refresh(r1);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->get_header_value("Cache-Control").find("no-store"), std::string::npos);
  json::Document second = ParseBody(res);
  std::string r2 = StringAt(second, "refresh_token");
  EXPECT_NE(r2, r1);
  EXPECT_NE(StringAt(second, "access_token"), StringAt(first, "access_token"));
  EXPECT_NE(StringAt(second, "id_token"), "<missing>");
  EXPECT_EQ(StringAt(second, "scope"), "openid profile offline_access");
  EXPECT_EQ(UserinfoStatus(StringAt(second, "access_token")), 200);
  json::Document third = ParseBody(Refresh(r2));
  EXPECT_NE(StringAt(third, "refresh_token"), r2);
  EXPECT_NE(StringAt(third, "refresh_token"), "<missing>");
}

TEST_F(RefreshTest, ReuseAfterTheGracePeriodRevokesTheFamily) {
  SetGrace(0);
  json::Document first = SignIn();
  std::string r1 = StringAt(first, "refresh_token");
  json::Document second = ParseBody(Refresh(r1));
  std::string r2 = StringAt(second, "refresh_token");
  ASSERT_EQ(UserinfoStatus(StringAt(second, "access_token")), 200);

  ExpectOAuthError(Refresh(r1), 400, "invalid_grant");
  // the newest refresh token and the access tokens issued since sign-in die with it
  ExpectOAuthError(Refresh(r2), 400, "invalid_grant");
  EXPECT_EQ(UserinfoStatus(StringAt(second, "access_token")), 401);
  EXPECT_EQ(UserinfoStatus(StringAt(first, "access_token")), 401);
  // another sign-in's family is untouched
  json::Document other = SignIn();
  auto fresh = Refresh(StringAt(other, "refresh_token"));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200) << fresh->body;
}

TEST_F(RefreshTest, ARetryInsideTheGracePeriodGetsTheCurrentToken) {
  json::Document first = SignIn();  // Okta's default grace period: 30 s
  std::string r1 = StringAt(first, "refresh_token");
  std::string r2 = StringAt(ParseBody(Refresh(r1)), "refresh_token");
  auto retry = Refresh(r1);
  ASSERT_TRUE(retry);
  ASSERT_EQ(retry->status, 200) << retry->body;
  EXPECT_EQ(StringAt(ParseBody(retry), "refresh_token"), r2);
  // only the generation just rotated away: two generations back is reuse
  std::string r3 = StringAt(ParseBody(Refresh(r2)), "refresh_token");
  ExpectOAuthError(Refresh(r1), 400, "invalid_grant");
  ExpectOAuthError(Refresh(r3), 400, "invalid_grant");
}

TEST_F(RefreshTest, RefusalsLeaveTheTokenUsable) {
  json::Document tokens = SignIn();
  std::string r1 = StringAt(tokens, "refresh_token");
  ExpectOAuthError(Refresh("no-such-token"), 400, "invalid_grant");
  ExpectOAuthError(Refresh(r1, kOrgPrefix), 400, "invalid_grant");  // another server's
  ExpectOAuthError(Refresh(r1, kDefaultPrefix, "openid email"), 400, "invalid_scope");
  ExpectOAuthError(h_.Client().Post(std::string(kDefaultPrefix) + "/token", testing::BasicAuth(),
                                    httplib::Params{{"grant_type", "refresh_token"}}),
                   400, "invalid_request");
  ExpectOAuthError(
      h_.Client().Post(std::string(kDefaultPrefix) + "/token",
                       testing::BasicAuth(testing::kClientId, "wrong"),
                       httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", r1}}),
      401, "invalid_client");
  auto narrowed = Refresh(r1, kDefaultPrefix, "openid");
  ASSERT_TRUE(narrowed);
  ASSERT_EQ(narrowed->status, 200) << narrowed->body;
  EXPECT_EQ(StringAt(ParseBody(narrowed), "scope"), "openid");
}

TEST_F(RefreshTest, RevokingARefreshTokenEndsTheFamily) {
  json::Document tokens = SignIn();
  std::string r1 = StringAt(tokens, "refresh_token");
  auto revoked = h_.Client().Post(std::string(kDefaultPrefix) + "/revoke", testing::BasicAuth(),
                                  httplib::Params{{"token", r1}});
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200);
  ExpectOAuthError(Refresh(r1), 400, "invalid_grant");
  EXPECT_EQ(UserinfoStatus(StringAt(tokens, "access_token")), 401);
}

TEST_F(RefreshTest, ReusedCodeRevokesItsRefreshToken) {
  auto sign_in = testing::SignInWithForm(
      h_, testing::AuthorizePath(kDefaultPrefix, {{"scope", "openid offline_access"}}));
  json::Document tokens = ParseBody(testing::ExchangeCode(h_, kDefaultPrefix, sign_in.code));
  ExpectOAuthError(testing::ExchangeCode(h_, kDefaultPrefix, sign_in.code), 400, "invalid_grant");
  ExpectOAuthError(Refresh(StringAt(tokens, "refresh_token")), 400, "invalid_grant");
}

TEST_F(RefreshTest, ShortAccessTokenLifetimeExpiresAndRefreshReplacesIt) {
  auto set =
      h_.Client().Post("/admin/faults", R"({"accessTokenLifetimeSeconds":1})", "application/json");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(json::GetInt(ParseBody(set), "accessTokenLifetimeSeconds"), 1);
  json::Document tokens = SignIn();
  EXPECT_EQ(json::GetInt(tokens, "expires_in"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(UserinfoStatus(StringAt(tokens, "access_token")), 401);
  json::Document refreshed = ParseBody(Refresh(StringAt(tokens, "refresh_token")));
  EXPECT_EQ(json::GetInt(refreshed, "expires_in"), 1);
  EXPECT_EQ(UserinfoStatus(StringAt(refreshed, "access_token")), 200);
  // out of Okta's range
  auto bad = h_.Client().Post("/admin/faults", R"({"accessTokenLifetimeSeconds":90000})",
                              "application/json");
  testing::ExpectOktaError(bad, 400, "E0000001");
}

TEST_F(RefreshTest, MyAccountScopesCarryOverARefresh) {
  json::Document tokens = SignIn("openid offline_access okta.myAccount.profile.read", kOrgPrefix);
  json::Document refreshed = ParseBody(Refresh(StringAt(tokens, "refresh_token"), kOrgPrefix));
  auto res = h_.Client().Get("/idp/myaccount/profile",
                             {{"Authorization", "Bearer " + StringAt(refreshed, "access_token")},
                              {"Accept", "application/json; okta-version=1.0.0"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

}  // namespace
}  // namespace userdesk::mini_okta
