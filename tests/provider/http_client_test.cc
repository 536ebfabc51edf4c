// http::Fetch over real loopback sockets: mini-okta for ordinary calls (JSON bodies with every
// method the Okta clients use) and faults, the recording provider for what mini-okta never sends.
#include "http/http_client.h"

#include <chrono>

#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

http::ClientOptions Quick() {
  http::ClientOptions options;
  options.connect_timeout_ms = 1000;
  options.total_timeout_ms = 3000;
  options.component = "fetch-test";
  return options;
}

http::OutgoingRequest Api(const std::string& method, const std::string& url,
                          const std::string& body = "") {
  http::OutgoingRequest request;
  request.method = method;
  request.url = url;
  request.body = body;
  request.headers = {{"Authorization", std::string("SSWS ") + mini_okta::testing::kApiToken},
                     {"Accept", "application/json"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  return request;
}

using FetchTest = MiniOktaFixture;

TEST_F(FetchTest, GetsADocumentWithLowerCasedHeaders) {
  http::OutgoingRequest request;
  request.url = DefaultIssuer() + "/.well-known/openid-configuration";
  auto res = http::Fetch(request, Quick());
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->Header("content-type"), "application/json");
  EXPECT_EQ(res->Header("Content-Type"), "");  // callers ask in lower case
  EXPECT_EQ(res->Header("x-absent"), "");
  EXPECT_TRUE(json::ParseObject(res->body).has_value());
  EXPECT_GT(res->seconds, 0.0);
}

// What the Users API client sends: POST, PUT and DELETE with JSON bodies, and error statuses.
TEST_F(FetchTest, SendsJsonBodiesWithEveryMethod) {
  auto created =
      http::Fetch(Api("POST", BaseUrl() + "/api/v1/users?activate=true",
                      mini_okta::testing::NewUserBody("ada@example.com", "Str0ng-Passphrase")),
                  Quick());
  ASSERT_TRUE(created.ok()) << created.error().detail;
  ASSERT_EQ(created->status, 200) << created->body;
  auto doc = json::ParseObject(created->body);
  ASSERT_TRUE(doc.has_value());
  std::string id = json::GetString(*doc, "id").value_or("");
  ASSERT_FALSE(id.empty());

  auto replaced =
      http::Fetch(Api("PUT", BaseUrl() + "/api/v1/users/" + id,
                      R"({"profile":{"login":"ada@example.com","email":"ada@example.com",)"
                      R"("firstName":"Augusta","lastName":"King"}})"),
                  Quick());
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->status, 200) << replaced->body;
  EXPECT_NE(replaced->body.find("Augusta"), std::string::npos);

  // an empty POST (a lifecycle call) still sends Content-Length: 0
  auto suspended =
      http::Fetch(Api("POST", BaseUrl() + "/api/v1/users/" + id + "/lifecycle/suspend"), Quick());
  ASSERT_TRUE(suspended.ok());
  EXPECT_EQ(suspended->status, 200) << suspended->body;

  auto deactivated = http::Fetch(Api("DELETE", BaseUrl() + "/api/v1/users/" + id), Quick());
  ASSERT_TRUE(deactivated.ok());
  EXPECT_EQ(deactivated->status, 204);
  auto deleted = http::Fetch(Api("DELETE", BaseUrl() + "/api/v1/users/" + id), Quick());
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->status, 204);

  // any HTTP status is a successful Fetch
  auto gone = http::Fetch(Api("GET", BaseUrl() + "/api/v1/users/" + id), Quick());
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->status, 404);
  EXPECT_NE(gone->body.find("E0000007"), std::string::npos);
}

TEST_F(FetchTest, ATimeoutIsDeadlineExceeded) {
  SetFaults({.latency_ms = 1500});
  http::OutgoingRequest request;
  request.url = DefaultIssuer() + "/v1/userinfo";
  http::ClientOptions options = Quick();
  options.total_timeout_ms = 300;
  auto start = std::chrono::steady_clock::now();
  auto res = http::Fetch(request, options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kDeadlineExceeded) << res.error().detail;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1200));
  SetFaults({});
}

TEST(FetchFailureTest, ARefusedConnectionIsUnavailable) {
  int port = userdesk::testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  http::OutgoingRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/x?code=secret-code";
  auto res = http::Fetch(request, Quick());
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable) << res.error().detail;
  // the detail names the endpoint, never the query string
  EXPECT_NE(res.error().detail.find("/x"), std::string::npos);
  EXPECT_EQ(res.error().detail.find("secret-code"), std::string::npos) << res.error().detail;
}

const std::string kBig(http::kMaxResponseBodyBytes + 1, 'x');

void BigRoutes(httplib::Server& server) {
  server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kBig, "text/plain");
  });
  // no Content-Length: the cap must hold while the body streams in
  server.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
      for (size_t sent = 0; sent < kBig.size(); sent += 64 * 1024) {
        if (!sink.write(kBig.data() + sent, std::min<size_t>(64 * 1024, kBig.size() - sent))) {
          return false;
        }
      }
      sink.done();
      return true;
    });
  });
  server.Get("/exact", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(http::kMaxResponseBodyBytes, 'y'), "text/plain");
  });
  server.Get("/redirect", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/elsewhere");
  });
  server.Get("/twice", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Twice", "a");
    res.set_header("X-Twice", "b");
  });
}

TEST(FetchAnswerTest, RefusesABodyOverTheCap) {
  RecordingProvider op(BigRoutes);
  for (const char* path : {"/big", "/big-chunked"}) {
    http::OutgoingRequest request;
    request.url = op.BaseUrl() + path;
    auto res = http::Fetch(request, Quick());
    ASSERT_FALSE(res.ok()) << path;
    EXPECT_EQ(res.error().code, ErrorCode::kUpstreamUnavailable) << path;
    EXPECT_NE(res.error().detail.find("size cap"), std::string::npos) << res.error().detail;
  }
  http::OutgoingRequest exact;
  exact.url = op.BaseUrl() + "/exact";
  auto res = http::Fetch(exact, Quick());
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->body.size(), http::kMaxResponseBodyBytes);
}

TEST(FetchAnswerTest, DoesNotFollowRedirects) {
  RecordingProvider op(BigRoutes);
  http::OutgoingRequest request;
  request.url = op.BaseUrl() + "/redirect";
  auto res = http::Fetch(request, Quick());
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->status, 302);
  EXPECT_EQ(res->Header("location"), "/elsewhere");
  EXPECT_EQ(op.Hits("/elsewhere"), 0);
}

TEST(FetchAnswerTest, JoinsRepeatedHeaders) {
  RecordingProvider op(BigRoutes);
  http::OutgoingRequest request;
  request.url = op.BaseUrl() + "/twice";
  auto res = http::Fetch(request, Quick());
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->Header("x-twice"), "a, b");
}

TEST(FetchAnswerTest, SendsTheHeadersAndBodyAsGiven) {
  RecordingProvider op;
  op.Answer("/echo", 201, "{}");
  http::OutgoingRequest request;
  request.method = "POST";
  request.url = op.BaseUrl() + "/echo?a=1";
  request.headers = {{"Authorization", "Bearer abc"}, {"Content-Type", "application/json"}};
  request.body = R"({"k":"v"})";
  auto res = http::Fetch(request, Quick());
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->status, 201);
  RecordingProvider::Seen seen = op.Last("/echo");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/echo?a=1");
  EXPECT_EQ(seen.authorization, "Bearer abc");
  EXPECT_EQ(seen.content_type, "application/json");
  EXPECT_EQ(seen.body, R"({"k":"v"})");
}

}  // namespace
}  // namespace userdesk::provider_testing
