// Rate limits and the fault knobs: Okta's headers, 429 E0000047 past the developer-org limit,
// and the loopback-only admin endpoint (latency, error rate, forced 429s, clock offset, keys).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <chrono>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/server/rate_limiter.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::ParseBody;
using testing::ServerHarness;
using testing::StringAt;

int64_t Header(const httplib::Result& res, const std::string& name) {
  return std::stoll(res->get_header_value(name));
}

TEST(RateLimiter, BucketsFollowOktasEndpointGroups) {
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/api/v1/users"), "users-collection");
  EXPECT_EQ(RateLimiter::BucketFor("POST", "/api/v1/users"), "users-collection");
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/api/v1/users/00u1"), "users-get");
  EXPECT_EQ(RateLimiter::BucketFor("POST", "/api/v1/users/00u1"), "users-write");
  EXPECT_EQ(RateLimiter::BucketFor("POST", "/api/v1/users/00u1/lifecycle/suspend"), "users-write");
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/api/v1/meta/schemas/user/default"), "api-other");
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/oauth2/default/v1/authorize"), "oauth2-authorize");
  EXPECT_EQ(RateLimiter::BucketFor("POST", "/oauth2/v1/token"), "oauth2-token");
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/oauth2/v1/userinfo"), "oauth2-other");
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/oauth2/v1/keys"), std::nullopt);
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/oauth2/default/.well-known/openid-configuration"),
            std::nullopt);
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/.well-known/openid-configuration"), std::nullopt);
  EXPECT_EQ(RateLimiter::BucketFor("GET", "/dev/outbox"), std::nullopt);
  EXPECT_EQ(RateLimiter::LimitFor(RateLimitMode::kDeveloper, "users-get"), 100);
  EXPECT_EQ(RateLimiter::LimitFor(RateLimitMode::kDeveloper, "oauth2-token"), 300);
}

TEST(RateLimiter, WindowResetsAfterAMinute) {
  RateLimiter limiter(RateLimitMode::kDeveloper);
  int64_t t0 = 1'700'000'000'000;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.Take("users-get", t0 + i).allowed);
  RateLimitDecision refused = limiter.Take("users-get", t0 + 30'000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.reset_epoch_seconds, (t0 + 60'000) / 1000);
  EXPECT_TRUE(limiter.Take("oauth2-token", t0 + 30'000).allowed);  // other buckets unaffected
  RateLimitDecision later = limiter.Take("users-get", t0 + 60'000);
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 99);
}

TEST(RateLimits, DeveloperLimitAnswers429WithHeaders) {
  Options o;
  o.developer_rate_limits = true;
  ServerHarness h(o);
  h.Start();
  httplib::Client client = h.Client();
  int64_t now_s = SystemNowMillis() / 1000;
  for (int i = 0; i < 100; ++i) {
    auto res = client.Get("/api/v1/users/demo@example.com", h.ApiHeaders());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << i;
    EXPECT_EQ(Header(res, "X-Rate-Limit-Limit"), 100);
    EXPECT_EQ(Header(res, "X-Rate-Limit-Remaining"), 99 - i);
  }
  auto refused = client.Get("/api/v1/users/demo@example.com", h.ApiHeaders());
  EXPECT_EQ(ExpectOktaError(refused, 429, "E0000047"),
            "API call exceeded rate limit due to too many requests.");
  EXPECT_EQ(Header(refused, "X-Rate-Limit-Limit"), 100);
  EXPECT_EQ(Header(refused, "X-Rate-Limit-Remaining"), 0);
  int64_t reset = Header(refused, "X-Rate-Limit-Reset");
  EXPECT_GE(reset, now_s + 55);
  EXPECT_LE(reset, now_s + 62);
  EXPECT_FALSE(refused->get_header_value("X-Okta-Request-Id").empty());
  EXPECT_FALSE(refused->get_header_value("Date").empty());
  // Another bucket still answers.
  auto list = client.Get("/api/v1/users", h.ApiHeaders());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
}

TEST(RateLimits, OAuthBucketsAndUnlimitedKeys) {
  Options o;
  o.developer_rate_limits = true;
  ServerHarness h(o);
  h.Start();
  auto token = h.Client().Post("/oauth2/default/v1/token", "grant_type=authorization_code",
                               "application/x-www-form-urlencoded");
  ASSERT_TRUE(token);
  EXPECT_EQ(Header(token, "X-Rate-Limit-Limit"), 300);
  EXPECT_EQ(Header(token, "X-Rate-Limit-Remaining"), 299);
  for (const char* path : {"/oauth2/v1/keys", "/.well-known/openid-configuration"}) {
    auto res = h.Client().Get(path);
    ASSERT_TRUE(res);
    EXPECT_FALSE(res->has_header("X-Rate-Limit-Limit")) << path;
  }
}

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }
  httplib::Result SetFaults(const std::string& json) {
    return h_.Client().Post("/admin/faults", json, "application/json");
  }
  ServerHarness h_;
};

TEST_F(AdminTest, GetAndSetFaults) {
  auto res = h_.Client().Get("/admin/faults");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(
      res->body,
      R"({"latencyMs":0,"errorRate":0.0,"force429":false,"clockOffsetSeconds":0,"minimalIdToken":false,"accessTokenLifetimeSeconds":3600,"refreshTokenGraceSeconds":30,"rateLimits":"off"})");
  auto set = SetFaults(R"({"latencyMs":5,"clockOffsetSeconds":-30,"rateLimits":"developer"})");
  ASSERT_TRUE(set);
  ASSERT_EQ(set->status, 200) << set->body;
  json::Document doc = ParseBody(set);
  EXPECT_EQ(json::GetInt(doc, "latencyMs"), 5);
  EXPECT_EQ(json::GetInt(doc, "clockOffsetSeconds"), -30);
  EXPECT_EQ(StringAt(doc, "rateLimits"), "developer");
  EXPECT_EQ(h_.server().context().faults->ClockOffsetSeconds(), -30);
  ExpectOktaError(SetFaults(R"({"errorRate":2})"), 400, "E0000001");
  ExpectOktaError(SetFaults(R"({"rateLimits":"enterprise"})"), 400, "E0000001");
}

TEST_F(AdminTest, LatencyDelaysApiResponses) {
  ASSERT_EQ(SetFaults(R"({"latencyMs":150})")->status, 200);
  auto start = std::chrono::steady_clock::now();
  auto res = h_.ApiGet("/api/v1/users/demo@example.com");
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 150);
}

TEST_F(AdminTest, ErrorRateOneFailsEveryApiCall) {
  ASSERT_EQ(SetFaults(R"({"errorRate":1})")->status, 200);
  for (int i = 0; i < 10; ++i) {
    auto res = h_.ApiGet("/api/v1/users/demo@example.com");
    ASSERT_TRUE(res);
    ASSERT_TRUE(res->status == 500 || res->status == 503) << res->status;
    ExpectOktaError(res, res->status, res->status == 500 ? "E0000009" : "E0000010");
  }
  EXPECT_EQ(h_.Client().Get("/admin/faults")->status, 200);  // the knobs stay reachable
  ASSERT_EQ(SetFaults(R"({"errorRate":0})")->status, 200);
  EXPECT_EQ(h_.ApiGet("/api/v1/users/demo@example.com")->status, 200);
}

TEST_F(AdminTest, Force429) {
  ASSERT_EQ(SetFaults(R"({"force429":true})")->status, 200);
  auto res = h_.ApiGet("/api/v1/users");
  ExpectOktaError(res, 429, "E0000047");
  EXPECT_EQ(res->get_header_value("X-Rate-Limit-Remaining"), "0");
  ExpectOktaError(h_.Client().Post("/api/v1/authn", "{}", "application/json"), 429, "E0000047");
  ASSERT_EQ(SetFaults(R"({"force429":false})")->status, 200);
  EXPECT_EQ(h_.ApiGet("/api/v1/users")->status, 200);
}

TEST_F(AdminTest, ClockOffsetShiftsTimestamps) {
  ASSERT_EQ(SetFaults(R"({"clockOffsetSeconds":86400})")->status, 200);
  auto res =
      h_.ApiPost("/api/v1/users", testing::NewUserBody("future@example.com", "Str0ng-Passphrase"));
  ASSERT_TRUE(res);
  int64_t created = *ParseTimestamp(StringAt(ParseBody(res), "created"));
  EXPECT_GT(created, SystemNowMillis() + 86'000'000);
}

TEST_F(AdminTest, RotateKeyPromotesTheNextKey) {
  SigningKeys* keys = h_.server().context().keys;
  ASSERT_NE(keys, nullptr) << "a running server has created its signing keys";
  std::string before = keys->CurrentKid();
  auto res = h_.Client().Post("/admin/rotate-key", "", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  std::string after = StringAt(ParseBody(res), "kid");
  EXPECT_NE(after, before);
  EXPECT_EQ(after, keys->CurrentKid());
}

TEST_F(AdminTest, RotateKeyWithoutKeysIs503) {
  h_.server().context().keys = nullptr;
  ExpectOktaError(h_.Client().Post("/admin/rotate-key", "", "application/json"), 503, "E0000010");
}

// The first IPv4 address of this host that is not loopback, or "" when there is none.
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i != nullptr && found.empty(); i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET) continue;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, buf, sizeof(buf));
    if (std::string(buf).rfind("127.", 0) != 0) found = buf;
  }
  freeifaddrs(list);
  return found;
}

TEST(AdminEndpoint, RefusesNonLoopbackPeers) {
  std::string address = NonLoopbackAddress();
  if (address.empty()) GTEST_SKIP() << "no non-loopback interface";
  Options o;
  o.host = "0.0.0.0";
  o.port = 0;
  MiniOktaServer server(o);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client(address, server.port());
  // A Host that names mini-okta, so that the peer address is what gets the refusal.
  httplib::Headers own_host = {{"Host", "127.0.0.1:" + std::to_string(server.port())}};
  auto res = client.Get("/admin/faults", own_host);
  ExpectOktaError(res, 403, "E0000006");
  ExpectOktaError(
      client.Post("/admin/faults", own_host, R"({"force429":true})", "application/json"), 403,
      "E0000006");
  EXPECT_FALSE(server.context().faults->Get().force_429);
  httplib::Client local("127.0.0.1", server.port());
  EXPECT_EQ(local.Get("/admin/faults")->status, 200);
}

}  // namespace
}  // namespace userdesk::mini_okta
