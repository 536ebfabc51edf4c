// Provider::KeysFor: the cached JWKS, refetch on an unknown kid after mini-okta rotates its key
// (OpenID RP tests rp-key-rotation-op-sign-key*), at most one refetch per interval, and failures.
#include <algorithm>

#include "jose/jws.h"
#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/oidc_flow.h"
#include "provider_fixture.h"

namespace userdesk::provider_testing {
namespace {

bool Has(const std::vector<jose::RsaPublicJwk>& keys, const std::string& kid) {
  return std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return k.kid == kid; });
}

using JwksTest = MiniOktaFixture;

TEST_F(JwksTest, CachesTheKeysForAKnownKid) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto all = provider.KeysFor("");
  ASSERT_TRUE(all.ok()) << all.error().detail;
  EXPECT_EQ((*all)->size(), 2u);  // mini-okta publishes the current and the next key
  std::string kid = harness_.server().context().keys->CurrentKid();
  ASSERT_TRUE(Has(**all, kid));
  auto again = provider.KeysFor(kid);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), all->get());  // the same snapshot: nothing was fetched
}

TEST_F(JwksTest, AnUnknownKidRefetchesOncePerInterval) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto first = provider.KeysFor("");
  ASSERT_TRUE(first.ok()) << first.error().detail;

  // One rotation signs with the key already published as "next"; the second one signs with a
  // key the cached set has never seen.
  std::string known = RotateKey();
  EXPECT_TRUE(Has(**first, known));
  std::string rotated = RotateKey();
  ASSERT_FALSE(rotated.empty());
  ASSERT_FALSE(Has(**first, rotated));

  auto refetched = provider.KeysFor(rotated);
  ASSERT_TRUE(refetched.ok()) << refetched.error().detail;
  EXPECT_NE(refetched->get(), first->get());
  EXPECT_TRUE(Has(**refetched, rotated));

  // Two more rotations within the minute: the new kid stays unknown, nothing is fetched.
  RotateKey();
  std::string later = RotateKey();
  auto limited = provider.KeysFor(later);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->get(), refetched->get());
  EXPECT_FALSE(Has(**limited, later));

  clock_.Advance(59);
  EXPECT_FALSE(Has(**provider.KeysFor(later), later));
  clock_.Advance(1);
  auto next_minute = provider.KeysFor(later);
  ASSERT_TRUE(next_minute.ok());
  EXPECT_TRUE(Has(**next_minute, later));
}

// The whole chain the ID-token verifier uses: a token from mini-okta verifies with KeysFor(kid).
TEST_F(JwksTest, KeysVerifyTheProvidersTokens) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  ASSERT_TRUE(provider.KeysFor("").ok());
  RotateKey();
  RotateKey();  // the token is signed with a kid the cache does not hold yet
  auto signin = mini_okta::testing::SignInWithForm(
      harness_, mini_okta::testing::AuthorizePath(mini_okta::testing::kDefaultPrefix));
  ASSERT_FALSE(signin.code.empty());
  auto tokens = provider.ExchangeCode(
      signin.code, mini_okta::testing::kVerifier, mini_okta::testing::kRedirectUri,
      mini_okta::testing::kClientId, mini_okta::testing::kClientSecret);
  ASSERT_TRUE(tokens.ok()) << tokens.error().detail;
  auto parsed = jose::ParseCompact(tokens->id_token);
  ASSERT_TRUE(parsed.ok());
  std::string kid = json::GetString(parsed->header, "kid").value_or("");
  auto keys = provider.KeysFor(kid);
  ASSERT_TRUE(keys.ok()) << keys.error().detail;
  auto verified = jose::VerifyRsa(tokens->id_token, **keys, {"RS256"});
  EXPECT_TRUE(verified.ok()) << verified.error().detail;
}

TEST_F(JwksTest, KeysAreReReadAfterTheirTtl) {
  oidc::Provider provider(OptionsFor(DefaultIssuer(), clock_));
  auto first = provider.KeysFor("");
  ASSERT_TRUE(first.ok());
  clock_.Advance(3601);
  auto second = provider.KeysFor("");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->get(), second->get());
}

constexpr char kKeys[] = "/keys";

// A recording provider that serves mini-okta-shaped keys so fetches can be counted exactly.
class CountedJwksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    op_.Answer("/.well-known/openid-configuration", 200, op_.Discovery());
    auto key = jose::RsaPrivateKey::Generate(2048, "k1");
    ASSERT_TRUE(key.ok());
    op_.Answer(kKeys, 200, jose::JwksToJson({(*key)->PublicJwk()}));
  }
  RecordingProvider op_;
  ManualClock clock_;
};

TEST_F(CountedJwksTest, AFloodOfForgedKidsFetchesOnce) {
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  ASSERT_TRUE(provider.KeysFor("k1").ok());
  EXPECT_EQ(op_.Hits(kKeys), 1);
  for (int i = 0; i < 50; i++) {
    auto keys = provider.KeysFor("forged-" + std::to_string(i));
    ASSERT_TRUE(keys.ok());
    EXPECT_TRUE(Has(**keys, "k1"));
  }
  EXPECT_EQ(op_.Hits(kKeys), 2);
  for (int i = 0; i < 10; i++) ASSERT_TRUE(provider.KeysFor("k1").ok());
  EXPECT_EQ(op_.Hits(kKeys), 2);
}

TEST_F(CountedJwksTest, ManyThreadsShareOneFetch) {
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; i++) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; j++) {
        if (provider.KeysFor("k1").ok()) ok++;
      }
      http::DropIdleConnections();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_EQ(op_.Hits(kKeys), 1);
  EXPECT_EQ(op_.Hits("/.well-known/openid-configuration"), 1);
}

TEST_F(CountedJwksTest, FailuresBackOffAndKeepCachedKeys) {
  op_.Answer(kKeys, 503, "{}");
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  auto down = provider.KeysFor("k1");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(provider.KeysFor("k1").ok());
  EXPECT_EQ(op_.Hits(kKeys), 1);  // backing off

  auto key = jose::RsaPrivateKey::Generate(2048, "k2");
  ASSERT_TRUE(key.ok());
  op_.Answer(kKeys, 200, jose::JwksToJson({(*key)->PublicJwk()}));
  clock_.Advance(1);
  auto up = provider.KeysFor("k2");
  ASSERT_TRUE(up.ok()) << up.error().detail;
  EXPECT_EQ(op_.Hits(kKeys), 2);

  // a failed refetch for an unknown kid keeps the keys we have
  op_.Answer(kKeys, 500, "{}");
  auto kept = provider.KeysFor("k3");
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(Has(**kept, "k2"));
  EXPECT_EQ(op_.Hits(kKeys), 3);
}

TEST_F(CountedJwksTest, UnusableKeySetsAreRefused) {
  for (const char* body : {"not json", R"({"keys":"x"})", R"({"keys":[]})",
                           R"({"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]})"}) {
    op_.Answer(kKeys, 200, body);
    oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
    auto keys = provider.KeysFor("k1");
    ASSERT_FALSE(keys.ok()) << body;
    EXPECT_EQ(keys.error().code, ErrorCode::kUpstreamUnavailable) << body;
  }
}

TEST_F(CountedJwksTest, DiscoveryFailurePassesThrough) {
  op_.Answer("/.well-known/openid-configuration", 502, "");
  oidc::Provider provider(OptionsFor(op_.BaseUrl(), clock_));
  auto keys = provider.KeysFor("k1");
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(op_.Hits(kKeys), 0);
}

}  // namespace
}  // namespace userdesk::provider_testing
