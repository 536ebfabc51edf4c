// Provider::Metadata against mini-okta's two authorization servers and a recording provider:
// the issuer check, refused documents, the backoff while the provider is down, and the cache.
#include <chrono>

#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

using DiscoveryTest = MiniOktaFixture;

TEST_F(DiscoveryTest, ReadsTheDefaultServer) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto md = provider.Metadata();
  ASSERT_TRUE(md.ok()) << md.error().detail;
  EXPECT_EQ((*md)->issuer, DefaultIssuer());
  EXPECT_EQ((*md)->authorization_endpoint, DefaultIssuer() + "/v1/authorize");
  EXPECT_EQ((*md)->token_endpoint, DefaultIssuer() + "/v1/token");
  EXPECT_EQ((*md)->jwks_uri, DefaultIssuer() + "/v1/keys");
  EXPECT_EQ((*md)->userinfo_endpoint, DefaultIssuer() + "/v1/userinfo");
  EXPECT_EQ((*md)->end_session_endpoint, DefaultIssuer() + "/v1/logout");
}

TEST_F(DiscoveryTest, ReadsTheOrgServer) {
  oidc::Provider provider(OptionsFor(OrgIssuer(), clock_));
  auto md = provider.Metadata();
  ASSERT_TRUE(md.ok()) << md.error().detail;
  EXPECT_EQ((*md)->issuer, OrgIssuer());
  EXPECT_EQ((*md)->token_endpoint, OrgIssuer() + "/oauth2/v1/token");
  EXPECT_EQ((*md)->jwks_uri, OrgIssuer() + "/oauth2/v1/keys");
}

TEST_F(DiscoveryTest, CachesTheDocumentAsOneSnapshot) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto first = provider.Metadata();
  ASSERT_TRUE(first.ok());
  auto second = provider.Metadata();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());
  clock_.Advance(3601);  // past metadata_ttl_seconds: a new snapshot
  auto third = provider.Metadata();
  ASSERT_TRUE(third.ok());
  EXPECT_NE(first->get(), third->get());
  EXPECT_EQ((*third)->issuer, DefaultIssuer());
}

// OpenID RP test rp-discovery-issuer-not-matching-config: the same server under another name.
TEST_F(DiscoveryTest, RefusesAnIssuerThatDiffersFromTheConfiguredOne) {
  std::string localhost =
      "http://localhost:" + std::to_string(harness_.server().port()) + "/oauth2/default";
  oidc::Provider provider(OptionsFor(localhost, clock_));
  auto md = provider.Metadata();
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, ErrorCode::kUpstreamUnavailable);
  EXPECT_NE(md.error().detail.find("is not the configured"), std::string::npos)
      << md.error().detail;
}

// The document is found (Discovery §4: the '/' is dropped), but its issuer has no '/'.
TEST_F(DiscoveryTest, RefusesAnIssuerWithATrailingSlash) {
  oidc::Provider provider(OptionsFor(DefaultIssuer() + "/", clock_));
  auto md = provider.Metadata();
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, ErrorCode::kUpstreamUnavailable);
}

TEST_F(DiscoveryTest, AnUnknownServerIsAnUnusableAnswer) {
  oidc::Provider provider(OptionsFor(BaseUrl() + "/oauth2/nope", clock_));
  auto md = provider.Metadata();
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, ErrorCode::kUpstreamUnavailable);
  EXPECT_NE(md.error().detail.find("404"), std::string::npos) << md.error().detail;
}

// A responder starts while the provider is down, backs off, and works once it is up.
TEST(DiscoveryDownTest, ProviderDownAtConstructionThenUp) {
  ManualClock clock;
  int port = userdesk::testing::FreeLoopbackPort();
  ASSERT_NE(port, 0);
  std::string issuer = "http://127.0.0.1:" + std::to_string(port) + "/oauth2/default";
  oidc::Provider provider(OptionsFor(issuer, clock));  // no I/O: nothing listens yet

  auto down = provider.Metadata();
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().detail;

  mini_okta::Options options;
  options.port = port;
  mini_okta::MiniOktaServer server(options);
  ASSERT_TRUE(server.Start().ok());
  ASSERT_EQ(server.base_url() + "/oauth2/default", issuer);

  // Within the first second of backoff: answered at once, without asking the now-running server.
  auto backing_off = provider.Metadata();
  ASSERT_FALSE(backing_off.ok());
  EXPECT_EQ(backing_off.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(backing_off.error().detail.find("no retry for"), std::string::npos)
      << backing_off.error().detail;

  clock.Advance(1);
  auto up = provider.Metadata();
  ASSERT_TRUE(up.ok()) << up.error().detail;
  EXPECT_EQ((*up)->issuer, issuer);
  http::DropIdleConnections();
}

TEST(DiscoveryDownTest, BackoffDoublesAndFailsFast) {
  ManualClock clock;
  RecordingProvider op;
  op.Answer("/.well-known/openid-configuration", 503, "{}");
  oidc::Provider provider(OptionsFor(op.BaseUrl(), clock));
  const std::string path = "/.well-known/openid-configuration";

  ASSERT_EQ(provider.Metadata().error().code, ErrorCode::kUnavailable);  // backoff 1 s
  EXPECT_EQ(op.Hits(path), 1);
  for (int i = 0; i < 5; i++) EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), 1);  // failed fast, no I/O

  clock.Advance(1);
  EXPECT_FALSE(provider.Metadata().ok());  // backoff 2 s
  EXPECT_EQ(op.Hits(path), 2);
  clock.Advance(1);
  EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), 2);
  clock.Advance(1);
  EXPECT_FALSE(provider.Metadata().ok());  // backoff 4 s
  EXPECT_EQ(op.Hits(path), 3);

  op.Answer(path, 200, op.Discovery());
  clock.Advance(3);
  EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), 3);
  clock.Advance(1);
  ASSERT_TRUE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), 4);
}

TEST(DiscoveryDownTest, BackoffStopsAtSixtySeconds) {
  ManualClock clock;
  RecordingProvider op;
  const std::string path = "/.well-known/openid-configuration";
  op.Answer(path, 500, "{}");
  oidc::Provider provider(OptionsFor(op.BaseUrl(), clock));
  // 1, 2, 4, 8, 16, 32, then 60 and 60
  for (int64_t wait : {1, 2, 4, 8, 16, 32, 60}) {
    EXPECT_FALSE(provider.Metadata().ok());
    clock.Advance(wait);
  }
  int before = op.Hits(path);
  EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), before + 1);
  clock.Advance(59);
  EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), before + 1);
  clock.Advance(1);
  EXPECT_FALSE(provider.Metadata().ok());
  EXPECT_EQ(op.Hits(path), before + 2);
}

// Once a document was good, an outage at re-read time keeps the old one in use.
TEST(DiscoveryDownTest, KeepsTheCachedDocumentWhenAReReadFails) {
  ManualClock clock;
  RecordingProvider op;
  const std::string path = "/.well-known/openid-configuration";
  op.Answer(path, 200, op.Discovery());
  oidc::Provider provider(OptionsFor(op.BaseUrl(), clock));
  auto first = provider.Metadata();
  ASSERT_TRUE(first.ok());
  op.Answer(path, 503, "{}");
  clock.Advance(3601);
  auto stale = provider.Metadata();
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->get(), first->get());
  EXPECT_EQ(op.Hits(path), 2);
  EXPECT_TRUE(provider.Metadata().ok());  // and backs off
  EXPECT_EQ(op.Hits(path), 2);
}

struct BadDocument {
  const char* name;
  std::string body;
};

TEST(DiscoveryDocumentTest, RefusesUnusableDocuments) {
  ManualClock clock;
  RecordingProvider op;
  const std::string b = op.BaseUrl();
  const std::string path = "/.well-known/openid-configuration";
  const BadDocument cases[] = {
      {"not JSON", "<html>"},
      {"an array", "[]"},
      {"no issuer", R"({"authorization_endpoint":")" + b + R"(/a","token_endpoint":")" + b +
                        R"(/t","jwks_uri":")" + b + R"(/k"})"},
      {"no token endpoint", R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                                R"(/a","jwks_uri":")" + b + R"(/k"})"},
      {"no jwks_uri", R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                          R"(/a","token_endpoint":")" + b + R"(/t"})"},
      {"a number endpoint", R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                                R"(/a","token_endpoint":7,"jwks_uri":")" + b + R"(/k"})"},
      {"a relative endpoint", R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                                  R"(/a","token_endpoint":"/t","jwks_uri":")" + b + R"(/k"})"},
      {"a javascript: endpoint", R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                                     R"(/a","token_endpoint":")" + b + R"(/t","jwks_uri":")" + b +
                                     R"(/k","userinfo_endpoint":"javascript:x"})"},
  };
  for (const BadDocument& c : cases) {
    op.Answer(path, 200, c.body);
    oidc::Provider provider(OptionsFor(b, clock));
    auto md = provider.Metadata();
    ASSERT_FALSE(md.ok()) << c.name;
    EXPECT_EQ(md.error().code, ErrorCode::kUpstreamUnavailable) << c.name;
  }
}

TEST(DiscoveryDocumentTest, OptionalEndpointsMayBeAbsent) {
  ManualClock clock;
  RecordingProvider op;
  const std::string b = op.BaseUrl();
  op.Answer("/.well-known/openid-configuration", 200,
            R"({"issuer":")" + b + R"(","authorization_endpoint":")" + b +
                R"(/a","token_endpoint":")" + b + R"(/t","jwks_uri":")" + b + R"(/k"})");
  oidc::Provider provider(OptionsFor(b, clock));
  auto md = provider.Metadata();
  ASSERT_TRUE(md.ok()) << md.error().detail;
  EXPECT_EQ((*md)->userinfo_endpoint, "");
  EXPECT_EQ((*md)->end_session_endpoint, "");
  auto info = provider.UserInfo("token");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUpstreamUnavailable);
}

TEST(DiscoveryDocumentTest, HttpsIssuerNeedsHttpsEndpoints) {
  const std::string issuer = "https://op.example";
  const std::string good = R"({"issuer":"https://op.example",)"
                           R"("authorization_endpoint":"https://op.example/a",)"
                           R"("token_endpoint":"https://op.example/t",)"
                           R"("jwks_uri":"https://op.example/k"})";
  auto ok = oidc::ParseProviderMetadata(good, issuer);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->token_endpoint, "https://op.example/t");

  std::string plain_jwks = good;
  plain_jwks.replace(plain_jwks.find("https://op.example/k"), 8, "http://");
  auto refused = oidc::ParseProviderMetadata(plain_jwks, issuer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUpstreamUnavailable);
  EXPECT_NE(refused.error().detail.find("jwks_uri"), std::string::npos);

  std::string plain_end_session =
      good.substr(0, good.size() - 1) + R"(,"end_session_endpoint":"http://op.example/l"})";
  EXPECT_FALSE(oidc::ParseProviderMetadata(plain_end_session, issuer).ok());
}

}  // namespace
}  // namespace userdesk::provider_testing
