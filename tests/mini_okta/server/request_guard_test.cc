// The request guard: mini-okta answers only requests that name it in Host (DNS rebinding), its
// forms refuse posts from other origins (CSRF), /admin/* takes JSON from its own origin only, and
// the APIs take JSON bodies only.
#include <gtest/gtest.h>

#include <chrono>

#include "mini_okta/dev/faults.h"
#include "mini_okta/raw_connection.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::kDemoPassword;
using testing::ParseBody;
using testing::RawConnection;
using testing::ServerHarness;

constexpr char kNewPassword[] = "Brand-New-Passw0rd";

class RequestGuardTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  std::string Port() { return std::to_string(h_.server().port()); }
  std::string OwnOrigin() { return "http://127.0.0.1:" + Port(); }

  // A reset link's path for a new user (its password is "Str0ng-Passphrase").
  std::string ResetPath(const std::string& login) {
    std::string id = h_.CreateUser(login);
    auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reset_password?sendEmail=false");
    EXPECT_TRUE(res && res->status == 200);
    std::string url = json::GetString(ParseBody(res), "resetPasswordUrl").value_or("");
    return url.substr(h_.server().base_url().size());
  }

  httplib::Result PostForm(const std::string& path, httplib::Headers headers,
                           const std::string& password = kNewPassword) {
    return h_.Client().Post(path, headers,
                            "newPassword=" + password + "&confirmPassword=" + password,
                            "application/x-www-form-urlencoded");
  }

  int SignIn(const std::string& login, const std::string& password) {
    auto res = h_.Client().Post(
        "/api/v1/authn", R"({"username":")" + login + R"(","password":")" + password + R"("})",
        "application/json");
    return res ? res->status : 0;
  }

  httplib::Result PostFaults(const std::string& body, const std::string& content_type,
                             httplib::Headers headers = {}) {
    return h_.Client().Post("/admin/faults", headers, body, content_type);
  }

  ServerHarness h_;
};

// --- Host --------------------------------------------------------------------------------

TEST_F(RequestGuardTest, ForeignHostIsRefusedOnEveryKindOfPath) {
  std::string reset = ResetPath("rebind@example.com");
  for (const std::string& host : {std::string("evil.example"), "evil.example:" + Port(),
                                  "127.0.0.1.evil.example:" + Port(), "localhost:1" + Port()}) {
    SCOPED_TRACE(host);
    httplib::Headers api = h_.ApiHeaders();
    api.emplace("Host", host);
    std::string summary =
        ExpectOktaError(h_.Client().Get("/api/v1/users/demo@example.com", api), 421, "E0000020");
    EXPECT_EQ(summary, "Bad request.");
    ExpectOktaError(h_.Client().Get("/admin/faults", {{"Host", host}}), 421, "E0000020");
    ExpectOktaError(
        h_.Client().Get("/oauth2/default/.well-known/openid-configuration", {{"Host", host}}), 421,
        "E0000020");

    auto outbox = h_.Client().Get("/dev/outbox", {{"Host", host}});
    ASSERT_TRUE(outbox);
    EXPECT_EQ(outbox->status, 421);
    EXPECT_EQ(outbox->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(outbox->body.find("/reset_password/"), std::string::npos) << "the links leaked";
    EXPECT_NE(outbox->body.find(h_.server().base_url()), std::string::npos) << outbox->body;

    auto form = h_.Client().Get(reset, {{"Host", host}});
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 421);
    auto post = PostForm(reset, {{"Host", host}});
    ASSERT_TRUE(post);
    EXPECT_EQ(post->status, 421);

    auto admin = PostFaults(R"({"force429":true})", "application/json", {{"Host", host}});
    ExpectOktaError(admin, 421, "E0000020");
  }
  // Nothing the refused requests asked for happened.
  EXPECT_FALSE(h_.server().context().faults->Get().force_429);
  EXPECT_EQ(SignIn("rebind@example.com", kNewPassword), 401);
  EXPECT_EQ(PostForm(reset, {})->status, 200);  // the link still works from the right address
}

TEST_F(RequestGuardTest, OwnHostsAreAccepted) {
  for (const std::string& host :
       {"127.0.0.1:" + Port(), "localhost:" + Port(), "LocalHost:" + Port(), "[::1]:" + Port()}) {
    SCOPED_TRACE(host);
    httplib::Headers api = h_.ApiHeaders();
    api.emplace("Host", host);
    auto res = h_.Client().Get("/api/v1/users/demo@example.com", api);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(h_.Client().Get("/dev/outbox", {{"Host", host}})->status, 200);
    EXPECT_EQ(h_.Client().Get("/admin/faults", {{"Host", host}})->status, 200);
  }
}

TEST(RequestGuardBaseUrl, TheBaseUrlsHostIsAcceptedWithAndWithoutItsDefaultPort) {
  Options o;
  o.base_url = "https://id.example.test/";
  ServerHarness h(o);
  h.Start();
  for (const char* host : {"id.example.test", "ID.example.test", "id.example.test:443"}) {
    SCOPED_TRACE(host);
    httplib::Headers api = h.ApiHeaders();
    api.emplace("Host", host);
    auto res = h.Client().Get("/api/v1/users/demo@example.com", api);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
  }
  auto other_port = h.Client().Get("/dev/outbox", {{"Host", "id.example.test:8443"}});
  ASSERT_TRUE(other_port);
  EXPECT_EQ(other_port->status, 421);
}

TEST_F(RequestGuardTest, ARequestWithoutOneHostHeaderIsABadRequest) {
  const std::string requests[] = {
      "GET /dev/outbox HTTP/1.0\r\n\r\n",
      "GET /dev/outbox HTTP/1.1\r\nConnection: close\r\n\r\n",
      "GET /dev/outbox HTTP/1.1\r\nHost: 127.0.0.1:" + Port() + "\r\nHost: evil.example\r\n" +
          "Connection: close\r\n\r\n",
  };
  for (const std::string& request : requests) {
    SCOPED_TRACE(request);
    RawConnection c(h_.server().port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.Send(request));
    std::string answer = c.ReadUntilClosed(std::chrono::seconds(5));
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << answer;
  }
  RawConnection good(h_.server().port());
  ASSERT_TRUE(good.Send("GET /dev/outbox HTTP/1.0\r\nHost: localhost:" + Port() + "\r\n\r\n"));
  std::string answer = good.ReadUntilClosed(std::chrono::seconds(5));
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << answer;
}

// --- Origin of mini-okta's forms ------------------------------------------------------------

TEST_F(RequestGuardTest, ResetFormRefusesForeignAndOpaqueOrigins) {
  std::string reset = ResetPath("csrf@example.com");
  for (const char* origin : {"http://evil.example", "null", "http://127.0.0.1:1"}) {
    SCOPED_TRACE(origin);
    auto res = PostForm(reset, {{"Origin", origin}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(res->body.find("sent from another site"), std::string::npos) << res->body;
  }
  EXPECT_EQ(SignIn("csrf@example.com", kNewPassword), 401);  // not changed
  auto own = PostForm(reset, {{"Origin", OwnOrigin()}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  EXPECT_EQ(SignIn("csrf@example.com", kNewPassword), 200);
}

TEST_F(RequestGuardTest, ResetFormAcceptsEachOwnOriginAndNoOrigin) {
  int n = 0;
  for (const std::string& origin :
       {"http://localhost:" + Port(), "http://[::1]:" + Port(), OwnOrigin(), std::string()}) {
    SCOPED_TRACE(origin);
    std::string reset = ResetPath("own" + std::to_string(++n) + "@example.com");
    httplib::Headers headers;
    if (!origin.empty()) headers.emplace("Origin", origin);
    auto res = PostForm(reset, headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
  }
}

TEST_F(RequestGuardTest, ActivationFormRefusesAForeignOrigin) {
  auto created = h_.Client().Post("/api/v1/users?activate=true", h_.ApiHeaders(),
                                  testing::NewUserBody("welcome@example.com"), "application/json");
  ASSERT_TRUE(created && created->status == 200);
  std::string link = h_.store().outbox().List().back().link;
  std::string path = link.substr(h_.server().base_url().size());
  ASSERT_EQ(path.rfind("/welcome/", 0), 0u);
  auto refused = PostForm(path, {{"Origin", "http://evil.example"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  auto own = PostForm(path, {{"Origin", OwnOrigin()}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200);
}

TEST_F(RequestGuardTest, SignInFormRefusesAForeignOrigin) {
  httplib::Params form{
      {"request_id", "x"}, {"username", "demo@example.com"}, {"password", kDemoPassword}};
  auto refused = h_.Client().Post("/login/signin", {{"Origin", "https://evil.example"}}, form);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("sent from another site"), std::string::npos);
  // From its own origin the post reaches the form's own checks (no pending request: 400).
  auto own = h_.Client().Post("/login/signin", {{"Origin", OwnOrigin()}}, form);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 400);
}

// --- /admin -------------------------------------------------------------------------------

TEST_F(RequestGuardTest, AdminTakesJsonOnly) {
  const char* body = R"({"force429":true})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonp"}) {
    SCOPED_TRACE(type);
    ExpectOktaError(PostFaults(body, type), 415, "E0000021");
  }
  EXPECT_FALSE(h_.server().context().faults->Get().force_429);
  ExpectOktaError(h_.Client().Post("/admin/rotate-key"), 415, "E0000021");
  auto json = PostFaults(body, "Application/JSON; charset=utf-8");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 200) << json->body;
  EXPECT_TRUE(h_.server().context().faults->Get().force_429);
}

// A page on any site can post text/plain without a preflight: the Authn API must not mail
// reset links for it. Okta answers such a body with 415 E0000021.
TEST_F(RequestGuardTest, ApiBodiesMustBeJson) {
  const std::string body = R"({"username":"demo@example.com","factorType":"EMAIL"})";
  size_t mailed = h_.server().context().store->outbox().List().size();
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
    SCOPED_TRACE(type);
    ExpectOktaError(h_.Client().Post("/api/v1/authn/recovery/password",
                                     {{"Origin", "http://evil.example"}}, body, type),
                    415, "E0000021");
  }
  EXPECT_EQ(h_.server().context().store->outbox().List().size(), mailed);
  auto json = h_.Client().Post("/api/v1/authn/recovery/password", body, "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 200) << json->body;
  EXPECT_EQ(h_.server().context().store->outbox().List().size(), mailed + 1);
}

TEST_F(RequestGuardTest, AdminRefusesAnOriginThatIsNotItsOwn) {
  for (const char* origin : {"http://evil.example", "null"}) {
    SCOPED_TRACE(origin);
    ExpectOktaError(PostFaults(R"({"force429":true})", "application/json", {{"Origin", origin}}),
                    403, "E0000006");
    ExpectOktaError(h_.Client().Get("/admin/faults", {{"Origin", origin}}), 403, "E0000006");
  }
  EXPECT_FALSE(h_.server().context().faults->Get().force_429);
  auto own = PostFaults(R"({"latencyMs":0})", "application/json", {{"Origin", OwnOrigin()}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
}

}  // namespace
}  // namespace userdesk::mini_okta
