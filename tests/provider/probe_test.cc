// Provider::ProbeClientCredentials and Provider::ProbeAuthorization, the configuration check's
// questions asked without a user: against mini-okta (the client and its redirect URI known or not,
// the secret right or wrong), and against a recording provider for what is sent.
#include "http/cgi_parse.h"
#include "mini_okta/oidc_flow.h"
#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

using ProbeTest = MiniOktaFixture;

TEST_F(ProbeTest, TheRightCredentialsGetTheCodeRefusedNotTheClient) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto answer = provider.ProbeClientCredentials(mt::kClientId, mt::kClientSecret, mt::kRedirectUri);
  ASSERT_TRUE(answer.ok()) << answer.error().detail;
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(answer->error, "invalid_grant");
}

TEST_F(ProbeTest, AWrongSecretOrClientIsInvalidClient) {
  oidc::Provider provider(OptionsFor(OrgIssuer(), clock_));
  for (auto [id, secret] :
       {std::pair{mt::kClientId, "not-the-secret"}, std::pair{"0oanobody", mt::kClientSecret}}) {
    auto answer = provider.ProbeClientCredentials(id, secret, mt::kRedirectUri);
    ASSERT_TRUE(answer.ok()) << answer.error().detail;
    EXPECT_EQ(answer->status, 401) << id;
    EXPECT_EQ(answer->error, "invalid_client") << id;
    EXPECT_FALSE(answer->description.empty());
  }
}

TEST_F(ProbeTest, AKnownClientAndRedirectUriAreSentBackWithLoginRequired) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto answer = provider.ProbeAuthorization(mt::kClientId, mt::kRedirectUri);
  ASSERT_TRUE(answer.ok()) << answer.error().detail;
  EXPECT_EQ(answer->status, 302);
  EXPECT_TRUE(answer->redirected);
  EXPECT_EQ(answer->error, "login_required");
}

TEST_F(ProbeTest, AnUnknownClientOrRedirectUriGetsTheProvidersOwnPage) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  for (auto [id, uri] : {std::pair{"0oanobody", mt::kRedirectUri},
                         std::pair{mt::kClientId, "http://localhost:8080/elsewhere"}}) {
    auto answer = provider.ProbeAuthorization(id, uri);
    ASSERT_TRUE(answer.ok()) << answer.error().detail;
    EXPECT_EQ(answer->status, 400) << id << " " << uri;
    EXPECT_FALSE(answer->redirected);
    EXPECT_EQ(answer->error, "");
  }
}

TEST_F(ProbeTest, AnUnreachableProviderIsUnavailable) {
  oidc::Provider provider(
      OptionsFor("http://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()), clock_));
  auto credentials = provider.ProbeClientCredentials(mt::kClientId, mt::kClientSecret, "x");
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error().code, ErrorCode::kUnavailable);
  auto authorization = provider.ProbeAuthorization(mt::kClientId, mt::kRedirectUri);
  ASSERT_FALSE(authorization.ok());
  EXPECT_EQ(authorization.error().code, ErrorCode::kUnavailable);
}

TEST(ProbeWireTest, SendsAMadeUpCodeWithBasicAuthAndAPromptNoneAuthorization) {
  RecordingProvider op;
  op.Answer("/.well-known/openid-configuration", 200, op.Discovery());
  op.Answer("/token", 400, R"({"error":"invalid_grant","error_description":"bad code"})");
  ManualClock clock;
  oidc::Provider provider(OptionsFor(op.BaseUrl(), clock));
  auto answer = provider.ProbeClientCredentials("client", "s3cret:/", "https://app.example/cb");
  ASSERT_TRUE(answer.ok()) << answer.error().detail;
  EXPECT_EQ(answer->description, "bad code");
  RecordingProvider::Seen token = op.Last("/token");
  EXPECT_EQ(token.authorization, http::BasicAuthorization("client", "s3cret:/"));
  http::Params form = http::ParseUrlEncoded(token.body);
  EXPECT_EQ(form.find("grant_type")->second, "authorization_code");
  EXPECT_EQ(form.find("redirect_uri")->second, "https://app.example/cb");
  EXPECT_EQ(form.find("code")->second.size(), 43u);
  EXPECT_EQ(form.find("code_verifier")->second.size(), 43u);
  EXPECT_EQ(form.count("client_secret"), 0u);  // one method only: the Basic header

  (void)provider.ProbeAuthorization("client", "https://app.example/cb");
  RecordingProvider::Seen authorize = op.Last("/authorize");
  EXPECT_EQ(authorize.method, "GET");
  http::Params query =
      http::ParseUrlEncoded(authorize.target.substr(authorize.target.find('?') + 1));
  EXPECT_EQ(query.find("prompt")->second, "none");
  EXPECT_EQ(query.find("response_type")->second, "code");
  EXPECT_EQ(query.find("scope")->second, "openid");
  EXPECT_EQ(query.find("code_challenge_method")->second, "S256");
  EXPECT_EQ(query.find("client_id")->second, "client");
  EXPECT_FALSE(query.find("state")->second.empty());
}

}  // namespace
}  // namespace userdesk::provider_testing
