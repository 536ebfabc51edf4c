// okta::AuthnClient over real loopback HTTP: mini-okta's self-service recovery (the user left
// ACTIVE, the old password still signing in, the link in the outbox, the same answer for an
// unknown user), and a recording server for what must never be sent (an API token) and for
// answers mini-okta never gives.
#include "okta/authn_client.h"

#include <atomic>
#include <ctime>

#include "okta/users_client.h"
#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

constexpr char kDemoId[] = "00udemo0000000000001";
constexpr char kRecoveryPath[] = "/api/v1/authn/recovery/password";

class AuthnClientTest : public MiniOktaFixture {
 protected:
  okta::AuthnClient Client() { return okta::AuthnClient(QuickOktaOptions(BaseUrl() + "/")); }

  std::string Status(const std::string& user_id) {
    okta::OktaResult<okta::User> user =
        okta::UsersClient(QuickOktaOptions(BaseUrl())).GetUser(mt::kApiToken, user_id);
    return user.ok() ? user->status : "(" + user.error().error.detail + ")";
  }

  // mini-okta's primary authentication (POST /api/v1/authn): the status it answers.
  int SignInStatus(const std::string& username, const std::string& password) {
    json::Document body(rapidjson::kObjectType);
    body.AddMember("username", json::Str(username, body.GetAllocator()), body.GetAllocator());
    body.AddMember("password", json::Str(password, body.GetAllocator()), body.GetAllocator());
    auto res = harness_.Client().Post("/api/v1/authn", json::Write(body), "application/json");
    return res ? res->status : 0;
  }

  std::vector<mini_okta::OutboxEmail> Outbox() {
    return harness_.server().context().store->outbox().List();
  }
};

TEST_F(AuthnClientTest, MailsALinkAndLeavesTheAccountAsItWas) {
  ASSERT_EQ(Status(kDemoId), "ACTIVE");
  okta::OktaResult<Ok> asked = Client().RecoverPasswordByEmail("demo@example.com");
  ASSERT_TRUE(asked.ok()) << asked.error().error.detail;

  std::vector<mini_okta::OutboxEmail> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].to, "demo@example.com");
  EXPECT_NE(outbox[0].link.find("/reset_password/"), std::string::npos) << outbox[0].link;
  // unlike the administrator's reset: still ACTIVE, and the current password still signs in
  EXPECT_EQ(Status(kDemoId), "ACTIVE");
  EXPECT_EQ(SignInStatus("demo@example.com", mt::kDemoPassword), 200);
}

TEST_F(AuthnClientTest, AnUnknownUserGetsTheSameAnswerAndNoMail) {
  okta::OktaResult<Ok> asked = Client().RecoverPasswordByEmail("nobody@example.com");
  ASSERT_TRUE(asked.ok()) << asked.error().error.detail;
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(AuthnClientTest, ABlankUsernameIsOktasValidationError) {
  okta::OktaResult<Ok> asked = Client().RecoverPasswordByEmail("");
  ASSERT_FALSE(asked.ok());
  EXPECT_EQ(asked.error().error.code, ErrorCode::kUnprocessable);
  ASSERT_TRUE(asked.error().okta.has_value());
  EXPECT_EQ(asked.error().okta->error_code, "E0000001");
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(AuthnClientTest, AnOutageIsUnavailable) {
  mini_okta::FaultSettings faults;
  faults.error_rate = 1.0;
  SetFaults(faults);
  okta::OktaResult<Ok> asked = Client().RecoverPasswordByEmail("demo@example.com");
  ASSERT_FALSE(asked.ok());
  EXPECT_EQ(asked.error().error.code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Outbox().empty());
}

TEST(AuthnClientRecordedTest, SendsNoApiTokenAndTheUsernameOnlyInTheBody) {
  RecordingProvider okta;
  okta.Answer(kRecoveryPath, 200,
              R"({"status":"RECOVERY_CHALLENGE","factorResult":"WAITING","factorType":"EMAIL",)"
              R"("recoveryType":"PASSWORD"})");
  okta::AuthnClient client(QuickOktaOptions(okta.BaseUrl()));
  okta::OktaResult<Ok> asked = client.RecoverPasswordByEmail("a\"da+1@example.com");
  ASSERT_TRUE(asked.ok()) << asked.error().error.detail;
  RecordingProvider::Seen seen = okta.Last(kRecoveryPath);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, kRecoveryPath) << "nothing in the query";
  EXPECT_EQ(seen.authorization, "") << "with a token Okta would return the recovery token "
                                       "instead of mailing it";
  EXPECT_EQ(seen.content_type, "application/json");
  auto body = json::ParseObject(seen.body);
  ASSERT_TRUE(body.has_value()) << seen.body;
  EXPECT_EQ(json::GetString(*body, "username"), "a\"da+1@example.com");
  EXPECT_EQ(json::GetString(*body, "factorType"), "EMAIL");
}

TEST(AuthnClientRecordedTest, ARateLimitIsNeverRetriedAndOtherAnswersAreRefused) {
  // a 429 whose window resets within a second: a read would be retried (okta/api_call.h)
  std::atomic<int> limited_hits{0};
  RecordingProvider limiter([&](httplib::Server& server) {
    server.Post(kRecoveryPath, [&](const httplib::Request&, httplib::Response& res) {
      limited_hits++;
      std::time_t now = std::time(nullptr);
      char date[64];
      std::tm tm{};
      gmtime_r(&now, &tm);
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
      res.status = 429;
      res.set_header("Date", date);
      res.set_header("X-Rate-Limit-Reset", std::to_string(now));
      res.set_content(R"({"errorCode":"E0000047","errorSummary":"API call exceeded rate limit",)"
                      R"("errorId":"oae1","errorCauses":[]})",
                      "application/json");
    });
  });
  okta::OktaResult<Ok> limited = okta::AuthnClient(QuickOktaOptions(limiter.BaseUrl()))
                                     .RecoverPasswordByEmail("ada@example.com");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().error.code, ErrorCode::kRateLimited);
  EXPECT_EQ(limited_hits.load(), 1) << "a retry could send a second email";

  RecordingProvider okta;
  okta::AuthnClient client(QuickOktaOptions(okta.BaseUrl()));
  // a 2xx that is not a recovery challenge (here: what a trusted application gets) is refused,
  // and its recovery token goes nowhere
  okta.Answer(kRecoveryPath, 200, R"({"status":"RECOVERY","recoveryToken":"VBQ0gwBp"})");
  okta::OktaResult<Ok> odd = client.RecoverPasswordByEmail("ada@example.com");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().error.code, ErrorCode::kUpstreamUnavailable);
  EXPECT_EQ(odd.error().error.detail.find("VBQ0gwBp"), std::string::npos)
      << odd.error().error.detail;
  okta.Answer(kRecoveryPath, 200, "not json");
  EXPECT_EQ(client.RecoverPasswordByEmail("ada@example.com").error().error.code,
            ErrorCode::kUpstreamUnavailable);

  // Okta's refusal of the call (e.g. an org whose policy does not allow recovery by email)
  okta.Answer(kRecoveryPath, 403,
              R"({"errorCode":"E0000006","errorSummary":"You do not have permission",)"
              R"("errorId":"oae2","errorCauses":[]})");
  okta::OktaResult<Ok> refused = client.RecoverPasswordByEmail("ada@example.com");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error.code, ErrorCode::kUpstreamUnavailable);
  EXPECT_NE(refused.error().error.detail.find("POST /api/v1/authn/recovery/password 403 E0000006"),
            std::string::npos)
      << refused.error().error.detail;
  EXPECT_EQ(refused.error().error.detail.find("ada@example.com"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::provider_testing
