// POST /admin/backchannel-logout, mini-okta's extension: the logout token it signs (OpenID
// Connect Back-Channel Logout 1.0 §2.4), its delivery to the client's registered URI as a form
// post (§2.5), the client's answer reported back, each fault it can be asked for, and its
// refusals.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "http/http_client.h"
#include "jose/jwt.h"
#include "mini_okta/oidc_flow.h"
#include "support/free_port.h"
#include "support/wait.h"

namespace userdesk::mini_okta {
namespace {

using testing::StringAt;

constexpr char kEvent[] = "http://schemas.openid.net/event/backchannel-logout";

// The relying party's back-channel endpoint: records every post and answers as the test says.
class Receiver {
 public:
  struct Post {
    std::string content_type;
    std::string logout_token;
    size_t token_fields = 0;
  };

  Receiver() {
    server_.Post("/backchannel-logout",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard<std::mutex> lock(mu_);
                   Post p;
                   p.content_type = req.get_header_value("Content-Type");
                   p.token_fields = req.get_param_value_count("logout_token");
                   p.logout_token = req.get_param_value("logout_token");
                   posts_.push_back(p);
                   res.status = status_;
                   res.set_header("Cache-Control", "no-store");
                   res.set_content(body_, "application/json");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    EXPECT_TRUE(userdesk::testing::WaitUntil([this] { return server_.is_running(); }));
  }
  ~Receiver() {
    http::DropIdleConnections();
    server_.stop();
    thread_.join();
  }

  std::string Uri() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/backchannel-logout";
  }
  void AnswerWith(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  std::vector<Post> posts() {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Post> posts_;
  int status_ = 200;
  std::string body_;
};

// The default seed's users and API token, a client that registered the receiver's URI and one
// that registered none.
std::string SeedFor(const std::string& uri) {
  return R"({
    "users": [{"id": "00udemo0000000000001", "status": "ACTIVE", "password": "Demo-Passw0rd!",
               "profile": {"login": "demo@example.com", "email": "demo@example.com",
                           "firstName": "Demo", "lastName": "User"}}],
    "clients": [{"client_id": "0oaclient", "client_secret": "secret", "client_name": "Web",
                 "redirect_uris": ["http://localhost:8080/callback"],
                 "backchannel_logout_uri": ")" +
         uri + R"("},
                {"client_id": "0oanouri", "client_secret": "secret", "client_name": "Other",
                 "redirect_uris": ["http://localhost:8081/callback"]}],
    "apiTokens": ["00test-api-token-0123456789"]
  })";
}

class BackChannelLogoutTest : public ::testing::Test {
 protected:
  BackChannelLogoutTest() : h_(Options{}, FaultSettings{}, SeedFor(receiver_.Uri())) {}
  void SetUp() override { h_.Start(); }

  httplib::Result Send(const std::string& json) {
    return h_.Client().Post("/admin/backchannel-logout", json, "application/json");
  }
  // Sends and returns the admin call's answer, expecting a delivery.
  json::Document Sent(const std::string& json) {
    auto res = Send(json);
    EXPECT_TRUE(res);
    EXPECT_EQ(res ? res->status : 0, 200) << (res ? res->body : "");
    return testing::ParseBody(res);
  }
  static jose::CompactJws Unverified(const std::string& token) {
    auto jws = jose::ParseCompact(token);
    EXPECT_TRUE(jws.ok()) << token;
    return jws.ok() ? std::move(*jws) : jose::CompactJws{};
  }

  Receiver receiver_;
  testing::ServerHarness h_;
};

TEST_F(BackChannelLogoutTest, PostsASignedLogoutTokenToTheClientsUriAndReportsItsAnswer) {
  receiver_.AnswerWith(200, "");
  json::Document answer =
      Sent(R"({"clientId":"0oaclient","userId":"00udemo0000000000001","sid":"102abc"})");
  EXPECT_EQ(json::GetBool(answer, "delivered"), true);
  EXPECT_EQ(json::GetInt(answer, "status"), 200);
  auto posts = receiver_.posts();
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(posts[0].token_fields, 1u);
  EXPECT_EQ(posts[0].logout_token, StringAt(answer, "logoutToken"));

  // §2.4: signed by a published key, explicitly typed, with the claims a relying party checks
  auto jws = testing::VerifyWithPublishedKeys(h_, testing::kDefaultPrefix, posts[0].logout_token);
  ASSERT_TRUE(jws.ok()) << jws.error().detail;
  EXPECT_EQ(StringAt(jws->header, "typ"), "logout+jwt");
  const json::Value& c = jws->payload;
  EXPECT_EQ(StringAt(c, "iss"), h_.server().base_url() + "/oauth2/default");
  EXPECT_EQ(StringAt(c, "aud"), "0oaclient");
  EXPECT_EQ(StringAt(c, "sub"), "00udemo0000000000001");
  EXPECT_EQ(StringAt(c, "sid"), "102abc");
  EXPECT_EQ(StringAt(c, "jti"), StringAt(answer, "jti"));
  EXPECT_EQ(*json::GetInt(c, "exp") - *json::GetInt(c, "iat"), 120);
  EXPECT_NEAR(static_cast<double>(*json::GetInt(c, "iat")), static_cast<double>(std::time(nullptr)),
              10);
  const json::Value* events = json::Member(c, "events");
  ASSERT_NE(events, nullptr);
  ASSERT_NE(json::Member(*events, kEvent), nullptr);
  EXPECT_TRUE(json::Member(*events, kEvent)->IsObject());
  EXPECT_EQ(json::Member(c, "nonce"), nullptr);

  // every token has its own jti
  json::Document second = Sent(R"({"clientId":"0oaclient","sid":"102abc"})");
  EXPECT_NE(StringAt(second, "jti"), StringAt(answer, "jti"));
}

TEST_F(BackChannelLogoutTest, NamesOnlyTheUserOrOnlyTheSessionWhenAskedSo) {
  json::Document by_user = Sent(R"({"clientId":"0oaclient","userId":"00udemo0000000000001"})");
  jose::CompactJws user_token = Unverified(StringAt(by_user, "logoutToken"));
  EXPECT_EQ(StringAt(user_token.payload, "sub"), "00udemo0000000000001");
  EXPECT_EQ(json::Member(user_token.payload, "sid"), nullptr);
  json::Document by_session = Sent(R"({"clientId":"0oaclient","sid":"102abc"})");
  jose::CompactJws session_token = Unverified(StringAt(by_session, "logoutToken"));
  EXPECT_EQ(json::Member(session_token.payload, "sub"), nullptr);
  EXPECT_EQ(StringAt(session_token.payload, "sid"), "102abc");
}

TEST_F(BackChannelLogoutTest, TheOrgServerSignsWithItsOwnIssuer) {
  json::Document answer =
      Sent(R"({"clientId":"0oaclient","sid":"102abc","authorizationServer":"org"})");
  auto jws =
      testing::VerifyWithPublishedKeys(h_, testing::kOrgPrefix, StringAt(answer, "logoutToken"));
  ASSERT_TRUE(jws.ok()) << jws.error().detail;
  EXPECT_EQ(StringAt(jws->payload, "iss"), h_.server().base_url());
}

TEST_F(BackChannelLogoutTest, ReportsARefusalAndAnUnreachableClient) {
  receiver_.AnswerWith(400, R"({"error":"invalid_request","error_description":"no"})");
  json::Document refused = Sent(R"({"clientId":"0oaclient","sid":"102abc"})");
  EXPECT_EQ(json::GetBool(refused, "delivered"), true);
  EXPECT_EQ(json::GetInt(refused, "status"), 400);
  EXPECT_EQ(StringAt(refused, "body"), R"({"error":"invalid_request","error_description":"no"})");

  // a client whose URI nothing listens on
  int closed = userdesk::testing::FreeLoopbackPort();
  testing::ServerHarness lonely(
      Options{}, FaultSettings{},
      SeedFor("http://127.0.0.1:" + std::to_string(closed) + "/backchannel-logout"));
  lonely.Start();
  auto res = lonely.Client().Post("/admin/backchannel-logout",
                                  R"({"clientId":"0oaclient","sid":"102abc"})", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document unreachable = testing::ParseBody(res);
  EXPECT_EQ(json::GetBool(unreachable, "delivered"), false);
  EXPECT_FALSE(StringAt(unreachable, "error").empty());
  EXPECT_EQ(json::Member(unreachable, "status"), nullptr);
}

// Each fault makes the token wrong in the one way its name says, and still delivers it.
TEST_F(BackChannelLogoutTest, EachFlawMakesTheTokenWrongInItsOwnWay) {
  auto flawed = [&](const std::string& flaw) {
    json::Document answer = Sent(R"({"clientId":"0oaclient","userId":"00udemo0000000000001",)"
                                 R"("sid":"102abc","flaw":")" +
                                 flaw + R"("})");
    EXPECT_EQ(json::GetBool(answer, "delivered"), true) << flaw;
    return StringAt(answer, "logoutToken");
  };
  auto verifies = [&](const std::string& token) {
    return testing::VerifyWithPublishedKeys(h_, testing::kDefaultPrefix, token).ok();
  };
  std::string bad_signature = flawed("badSignature");
  EXPECT_TRUE(jose::ParseCompact(bad_signature).ok());
  EXPECT_FALSE(verifies(bad_signature));

  std::string none = flawed("algNone");
  EXPECT_EQ(none.back(), '.') << "an unsecured JWS has an empty signature";
  std::string none_header = none.substr(0, none.find('.'));
  EXPECT_EQ(json::GetString(*json::ParseObject(*crypto::Base64UrlDecode(none_header)), "alg"),
            "none");

  std::string issuer = flawed("wrongIssuer");
  ASSERT_TRUE(verifies(issuer));
  EXPECT_EQ(StringAt(Unverified(issuer).payload, "iss"), h_.server().base_url());
  EXPECT_NE(StringAt(Unverified(flawed("wrongAudience")).payload, "aud"), "0oaclient");
  EXPECT_EQ(json::Member(Unverified(flawed("noEvents")).payload, "events"), nullptr);
  jose::CompactJws wrong_event = Unverified(flawed("wrongEvent"));
  ASSERT_NE(json::Member(wrong_event.payload, "events"), nullptr);
  EXPECT_EQ(json::Member(*json::Member(wrong_event.payload, "events"), kEvent), nullptr);
  EXPECT_NE(json::Member(Unverified(flawed("withNonce")).payload, "nonce"), nullptr);
  jose::CompactJws no_subject = Unverified(flawed("noSubject"));
  EXPECT_EQ(json::Member(no_subject.payload, "sub"), nullptr);
  EXPECT_EQ(json::Member(no_subject.payload, "sid"), nullptr);
  EXPECT_EQ(json::Member(Unverified(flawed("noJti")).payload, "jti"), nullptr);
  int64_t now = std::time(nullptr);
  EXPECT_LT(*json::GetInt(Unverified(flawed("expired")).payload, "exp"), now - 300);
  EXPECT_GT(*json::GetInt(Unverified(flawed("issuedInFuture")).payload, "iat"), now + 300);
  EXPECT_EQ(StringAt(Unverified(flawed("wrongType")).header, "typ"), "JWT");
  // every one of them is signed by the published keys except the two unsigned on purpose
  EXPECT_TRUE(verifies(flawed("withNonce")));
}

TEST_F(BackChannelLogoutTest, RefusesWhatItCannotSend) {
  EXPECT_EQ(testing::ExpectOktaError(Send(R"({"sid":"102abc"})"), 400, "E0000001"),
            "Api validation failed: clientId");
  testing::ExpectOktaError(Send(R"({"clientId":"0oaclient"})"), 400, "E0000001");
  testing::ExpectOktaError(Send(R"({"clientId":"0oaclient","sid":7})"), 400, "E0000001");
  testing::ExpectOktaError(Send(R"({"clientId":"0oaclient","sid":"s","flaw":"nope"})"), 400,
                           "E0000001");
  testing::ExpectOktaError(
      Send(R"({"clientId":"0oaclient","sid":"s","authorizationServer":"custom"})"), 400,
      "E0000001");
  testing::ExpectOktaError(Send(R"({"clientId":"0oaunknown","sid":"s"})"), 404, "E0000007");
  std::vector<std::string> causes =
      testing::ErrorCauses(Send(R"({"clientId":"0oanouri","sid":"s"})"));
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_NE(causes[0].find("backchannel_logout_uri"), std::string::npos) << causes[0];
  testing::ExpectOktaError(Send("not json"), 400, "E0000003");
  EXPECT_TRUE(receiver_.posts().empty()) << "nothing was sent";
}

}  // namespace
}  // namespace userdesk::mini_okta
