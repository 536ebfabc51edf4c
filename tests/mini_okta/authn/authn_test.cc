#include <gtest/gtest.h>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::ParseBody;
using testing::ServerHarness;

class AuthnTest : public ::testing::Test {
 protected:
  void SetUp() override { harness_.Start(); }
  httplib::Result SignIn(const std::string& username, const std::string& password) {
    std::string body = R"({"username":")" + username + R"(","password":")" + password + R"("})";
    return harness_.Client().Post("/api/v1/authn", body, "application/json");
  }
  ServerHarness harness_;
};

TEST_F(AuthnTest, SuccessReturnsTransactionWithSessionToken) {
  auto res = SignIn("demo@example.com", testing::kDemoPassword);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document doc = ParseBody(res);
  EXPECT_EQ(json::GetString(doc, "status"), "SUCCESS");
  auto expires = ParseTimestamp(json::GetString(doc, "expiresAt").value_or(""));
  ASSERT_TRUE(expires.has_value());
  EXPECT_GT(*expires, SystemNowMillis() + 4 * 60 * 1000);
  std::string token = json::GetString(doc, "sessionToken").value_or("");
  ASSERT_FALSE(token.empty());
  const json::Value* user = json::GetObject(*json::GetObject(doc, "_embedded"), "user");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(json::GetString(*user, "id"), "00udemo0000000000001");
  const json::Value* profile = json::GetObject(*user, "profile");
  EXPECT_EQ(json::GetString(*profile, "login"), "demo@example.com");
  EXPECT_EQ(json::GetString(*profile, "firstName"), "Demo");
  EXPECT_EQ(json::GetString(*profile, "locale"), "en_US");
  EXPECT_EQ(json::GetString(*profile, "timeZone"), "America/Los_Angeles");
  // The session token is single-use and names the user.
  EXPECT_EQ(harness_.store().links().RedeemSessionToken(token), "00udemo0000000000001");
  EXPECT_EQ(harness_.store().links().RedeemSessionToken(token), std::nullopt);
  EXPECT_FALSE(harness_.store().users().Find("demo@example.com")->last_login.empty());
}

TEST_F(AuthnTest, LoginIsCaseInsensitive) {
  auto res = SignIn("DEMO@example.com", testing::kDemoPassword);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(AuthnTest, WrongPasswordIs401E0000004) {
  auto res = SignIn("demo@example.com", "wrong");
  EXPECT_EQ(ExpectOktaError(res, 401, "E0000004"), "Authentication failed");
}

TEST_F(AuthnTest, UnknownUserIs401E0000004) {
  auto res = SignIn("nobody@example.com", testing::kDemoPassword);
  EXPECT_EQ(ExpectOktaError(res, 401, "E0000004"), "Authentication failed");
}

TEST_F(AuthnTest, SuspendedUserCannotSignIn) {
  auto updated = harness_.store().users().Update("demo@example.com", [](UserRecord& u) {
    u.status = "SUSPENDED";
    return OkStatus();
  });
  ASSERT_TRUE(updated.ok());
  auto res = SignIn("demo@example.com", testing::kDemoPassword);
  EXPECT_EQ(ExpectOktaError(res, 401, "E0000004"), "Authentication failed");
}

TEST_F(AuthnTest, MalformedBodyIs400E0000003) {
  auto res = harness_.Client().Post("/api/v1/authn", "{nope", "application/json");
  ExpectOktaError(res, 400, "E0000003");
}

TEST_F(AuthnTest, ResponsesCarryRequestIdAndRateLimitHeaders) {
  auto res = SignIn("demo@example.com", "wrong");
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->get_header_value("X-Okta-Request-Id").empty());
  EXPECT_FALSE(res->get_header_value("X-Rate-Limit-Limit").empty());
  EXPECT_FALSE(res->get_header_value("X-Rate-Limit-Remaining").empty());
  EXPECT_FALSE(res->get_header_value("X-Rate-Limit-Reset").empty());
}

TEST_F(AuthnTest, ForgotPasswordMailsALinkWithoutRevealingUsers) {
  auto known = harness_.Client().Post("/api/v1/authn/recovery/password",
                                      R"({"username":"demo@example.com","factorType":"EMAIL"})",
                                      "application/json");
  auto unknown = harness_.Client().Post("/api/v1/authn/recovery/password",
                                        R"({"username":"nobody@example.com","factorType":"EMAIL"})",
                                        "application/json");
  ASSERT_TRUE(known);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(known->status, 200);
  EXPECT_EQ(known->body, unknown->body);
  EXPECT_EQ(known->body,
            R"({"status":"RECOVERY_CHALLENGE","factorResult":"WAITING","factorType":"EMAIL",)"
            R"("recoveryType":"PASSWORD"})");
  std::vector<OutboxEmail> outbox = harness_.store().outbox().List();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].to, "demo@example.com");
  EXPECT_NE(outbox[0].link.find("/reset_password/"), std::string::npos);
  EXPECT_EQ(harness_.store().users().Find("demo@example.com")->status, "ACTIVE");  // can still sign in
  ExpectOktaError(harness_.Client().Post("/api/v1/authn/recovery/password",
                                         R"({"username":"demo@example.com","factorType":"SMS"})",
                                         "application/json"),
                  400, "E0000001");
}

}  // namespace
}  // namespace userdesk::mini_okta
