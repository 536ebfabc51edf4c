// Provider::ExchangeCode and Provider::UserInfo with real codes from mini-okta's sign-in form
// (OpenID RP tests rp-response_type-code, rp-token_endpoint-client_secret_basic), mini-okta's
// refusals and faults, and the recording provider for answers mini-okta never gives.
#include "http/cgi_parse.h"
#include "mini_okta/oidc_flow.h"
#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

class TokenTest : public MiniOktaFixture {
 protected:
  std::string Code(const std::string& prefix = mt::kDefaultPrefix) {
    return mt::SignInWithForm(harness_, mt::AuthorizePath(prefix)).code;
  }
  Result<oidc::TokenResponse> Exchange(oidc::Provider& provider, const std::string& code,
                                       const std::string& secret = mt::kClientSecret,
                                       const std::string& verifier = mt::kVerifier) {
    return provider.ExchangeCode(code, verifier, mt::kRedirectUri, mt::kClientId, secret);
  }
};

TEST_F(TokenTest, ExchangesACodeForTokens) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  std::string code = Code();
  ASSERT_FALSE(code.empty());
  auto tokens = Exchange(provider, code);
  ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
  EXPECT_FALSE(tokens->id_token.empty());
  EXPECT_FALSE(tokens->access_token.empty());
  EXPECT_EQ(tokens->token_type, "Bearer");
  EXPECT_EQ(tokens->expires_in, 3600);
  auto id = jose::ParseCompact(tokens->id_token);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(json::GetString(id->payload, "iss").value_or(""), DefaultIssuer());
  EXPECT_EQ(json::GetString(id->payload, "aud").value_or(""), mt::kClientId);
  EXPECT_EQ(json::GetString(id->payload, "nonce").value_or(""), "n-456");
}

TEST_F(TokenTest, ExchangesACodeAtTheOrgServer) {
  oidc::Provider provider(OptionsFor(OrgIssuer(), clock_));
  auto tokens = Exchange(provider, Code(mt::kOrgPrefix));
  ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
  auto id = jose::ParseCompact(tokens->id_token);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(json::GetString(id->payload, "iss").value_or(""), OrgIssuer());
}

TEST_F(TokenTest, ACodeWorksOnce) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  std::string code = Code();
  ASSERT_TRUE(Exchange(provider, code).ok());
  auto again = Exchange(provider, code);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(again.error().detail.find("invalid_grant"), std::string::npos) << again.error().detail;
  EXPECT_EQ(again.error().detail.find(code), std::string::npos);  // the code never reaches a log
}

TEST_F(TokenTest, AWrongSecretIsRefused) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto refused = Exchange(provider, Code(), "not-the-secret");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().detail.find("invalid_client"), std::string::npos);
  EXPECT_EQ(refused.error().detail.find("not-the-secret"), std::string::npos);
}

TEST_F(TokenTest, AWrongVerifierIsRefused) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto refused = Exchange(provider, Code(), mt::kClientSecret,
                          "another-verifier-0123456789-0123456789-0123456789");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().detail.find("invalid_grant"), std::string::npos);
}

TEST_F(TokenTest, UserInfoWithTheAccessToken) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto tokens = Exchange(provider, Code());
  ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
  auto info = provider.UserInfo(tokens->access_token);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_EQ(json::GetString(*info, "sub").value_or(""), "00udemo0000000000001");
  EXPECT_EQ(json::GetString(*info, "name").value_or(""), "Demo User");
  EXPECT_EQ(json::GetString(*info, "email").value_or(""), "demo@example.com");
}

TEST_F(TokenTest, UserInfoRefusesABadToken) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto info = provider.UserInfo("not-a-token");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(info.error().detail.find("invalid_token"), std::string::npos) << info.error().detail;
}

TEST_F(TokenTest, ServerErrorsAreUnavailable) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  std::string code = Code();
  ASSERT_TRUE(provider.Metadata().ok());  // discovery is never faulted
  SetFaults({.error_rate = 1.0});
  auto tokens = Exchange(provider, code);
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.error().code, ErrorCode::kUnavailable) << tokens.error().detail;
  auto info = provider.UserInfo("whatever");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUnavailable) << info.error().detail;
  SetFaults({});
  // nothing was redeemed: the code still works
  EXPECT_TRUE(Exchange(provider, code).ok());
}

TEST_F(TokenTest, ASlowTokenEndpointIsDeadlineExceeded) {
  oidc::ProviderOptions options = OptionsFor(DefaultIssuer(), clock_);
  options.http.total_timeout_ms = 300;
  oidc::Provider provider(options);
  std::string code = Code();
  ASSERT_TRUE(provider.Metadata().ok());
  SetFaults({.latency_ms = 1200});
  auto tokens = Exchange(provider, code);
  SetFaults({});
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.error().code, ErrorCode::kDeadlineExceeded) << tokens.error().detail;
}

// What goes over the wire, and answers mini-okta never gives.
class TokenWireTest : public ::testing::Test {
 protected:
  void SetUp() override { op_.Answer("/.well-known/openid-configuration", 200, op_.Discovery()); }
  Result<oidc::TokenResponse> Exchange(oidc::Provider& provider) {
    return provider.ExchangeCode("c/o+de=1&x", "ver ifier", "https://app.example/cb?a=1",
                                 "client:id", "se cret");
  }
  RecordingProvider op_;
  ManualClock clock_;
};

TEST_F(TokenWireTest, SendsAFormWithBasicClientAuthentication) {
  op_.Answer("/token", 200,
             R"({"id_token":"i","access_token":"a","token_type":"bearer","expires_in":60})");
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  auto tokens = Exchange(provider);
  ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
  EXPECT_EQ(tokens->token_type, "bearer");  // any case of Bearer
  EXPECT_EQ(tokens->expires_in, 60);
  RecordingProvider::Seen seen = op_.Last("/token");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/token");
  EXPECT_EQ(seen.content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(seen.authorization, http::BasicAuthorization("client:id", "se cret"));
  EXPECT_EQ(http::FormUrlDecode(seen.body.substr(0, seen.body.find('&'))),
            "grant_type=authorization_code");
  EXPECT_NE(seen.body.find("code=" + http::FormUrlEncode("c/o+de=1&x")), std::string::npos);
  EXPECT_NE(seen.body.find("redirect_uri=" + http::FormUrlEncode("https://app.example/cb?a=1")),
            std::string::npos);
  EXPECT_NE(seen.body.find("code_verifier=" + http::FormUrlEncode("ver ifier")), std::string::npos);
  EXPECT_EQ(seen.body.find("client_secret"), std::string::npos);  // only in the header
}

TEST_F(TokenWireTest, RefusesUnusableTokenResponses) {
  struct Case {
    int status;
    const char* body;
    ErrorCode code;
  };
  const Case cases[] = {
      {200, R"({"access_token":"a","token_type":"Bearer"})", ErrorCode::kUpstreamUnavailable},
      {200, R"({"id_token":"","access_token":"a","token_type":"Bearer"})",
       ErrorCode::kUpstreamUnavailable},
      {200, R"({"id_token":"i","token_type":"Bearer"})", ErrorCode::kUpstreamUnavailable},
      {200, R"({"id_token":"i","access_token":"a","token_type":"DPoP"})",
       ErrorCode::kUpstreamUnavailable},
      {200, R"({"id_token":"i","access_token":"a"})", ErrorCode::kUpstreamUnavailable},
      {200, "not json", ErrorCode::kUpstreamUnavailable},
      {400, "<html>bad</html>", ErrorCode::kUpstreamUnavailable},
      {401, R"({"error":"invalid_client"})", ErrorCode::kInvalidArgument},
      {400, R"({"error":"invalid_grant","error_description":"expired"})",
       ErrorCode::kInvalidArgument},
      {302, "", ErrorCode::kUpstreamUnavailable},
      {429, "{}", ErrorCode::kUnavailable},
      {502, "", ErrorCode::kUnavailable},
  };
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  for (const Case& c : cases) {
    op_.Answer("/token", c.status, c.body);
    auto tokens = Exchange(provider);
    ASSERT_FALSE(tokens.ok()) << c.status << " " << c.body;
    EXPECT_EQ(tokens.error().code, c.code)
        << c.status << " " << c.body << ": " << tokens.error().detail;
  }
}

TEST_F(TokenWireTest, UserInfoSendsTheTokenInTheHeaderOnly) {
  op_.Answer("/userinfo", 200, R"({"sub":"u1","name":"N"})");
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  auto info = provider.UserInfo("at-123");
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_EQ(json::GetString(*info, "name").value_or(""), "N");
  RecordingProvider::Seen seen = op_.Last("/userinfo");
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/userinfo");
  EXPECT_EQ(seen.authorization, "Bearer at-123");
}

TEST_F(TokenWireTest, RefusesUnusableUserInfo) {
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  op_.Answer("/userinfo", 200, R"({"name":"no sub"})");
  EXPECT_EQ(provider.UserInfo("t").error().code, ErrorCode::kUpstreamUnavailable);
  op_.Answer("/userinfo", 200, "[]");
  EXPECT_EQ(provider.UserInfo("t").error().code, ErrorCode::kUpstreamUnavailable);
  op_.Answer("/userinfo", 200, "eyJ.eyJ.sig", "application/jwt");
  EXPECT_EQ(provider.UserInfo("t").error().code, ErrorCode::kUpstreamUnavailable);
  op_.Answer("/userinfo", 403, R"({"error":"insufficient_scope"})");
  EXPECT_EQ(provider.UserInfo("t").error().code, ErrorCode::kPermissionDenied);
  op_.Answer("/userinfo", 503, "");
  EXPECT_EQ(provider.UserInfo("t").error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace userdesk::provider_testing
