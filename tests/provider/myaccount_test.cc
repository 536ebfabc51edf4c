// MyAccount mode against an in-process mini-okta: okta::MyAccountClient with a real org-server
// access token (scopes, the version header, a write that needs a recent sign-in, a refused
// token), Provider::Refresh (rotation, reuse refused), and app::UserTokens over a SQLite registry:
// a valid access token for a session, refreshed near expiry, rotated pair stored, one flight for
// concurrent refreshes, a refused refresh token deleted and answered "sign in again".
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "app/user_tokens.h"
#include "mini_okta/oidc_flow.h"
#include "okta/myaccount_client.h"
#include "provider_fixture.h"
#include "session/sqlite_registry.h"
#include "session/token_vault.h"

namespace userdesk::provider_testing {
namespace {

namespace mt = mini_okta::testing;

constexpr char kDemoId[] = "00udemo0000000000001";

class MyAccountTest : public MiniOktaFixture {
 protected:
  // A sign-in of the demo user at the org authorization server with these scopes.
  oidc::TokenResponse SignIn(const std::string& scope = std::string(app::kMyAccountScopes)) {
    oidc::Provider provider(OptionsFor(OrgIssuer(), clock_));
    std::string code =
        mt::SignInWithForm(harness_, mt::AuthorizePath(mt::kOrgPrefix, {{"scope", scope}})).code;
    auto tokens = provider.ExchangeCode(code, mt::kVerifier, mt::kRedirectUri, mt::kClientId,
                                        mt::kClientSecret);
    EXPECT_TRUE(tokens.ok()) << tokens.error().detail;
    return tokens.ok() ? *tokens : oidc::TokenResponse{};
  }
  okta::MyAccountClient Client() { return okta::MyAccountClient(QuickOktaOptions(BaseUrl())); }
};

TEST_F(MyAccountTest, TheSignInGivesWhatMyAccountModeNeeds) {
  oidc::TokenResponse tokens = SignIn();
  EXPECT_TRUE(app::CheckMyAccountGrant(tokens).ok());
  EXPECT_FALSE(tokens.refresh_token.empty());
  EXPECT_EQ(tokens.expires_in, 3600);
  EXPECT_NE(tokens.scope.find("okta.myAccount.profile.manage"), std::string::npos);
  // without offline_access there is no refresh token: the sign-in is refused, clearly
  auto refused = app::CheckMyAccountGrant(SignIn("openid okta.myAccount.profile.read"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, Reason::kProfileAccessNotGranted);
}

TEST_F(MyAccountTest, ReadsTheProfileAndItsSchemaWithTheUsersOwnToken) {
  oidc::TokenResponse tokens = SignIn();
  auto user = Client().GetProfile(tokens.access_token);
  ASSERT_TRUE(user.ok()) << user.error().error.detail;
  EXPECT_EQ(user->Attribute("login"), "demo@example.com");
  EXPECT_EQ(user->Attribute("firstName"), "Demo");
  EXPECT_GT(user->last_updated_ms, 0);
  EXPECT_FALSE(user->created.empty());
  auto schema = Client().GetProfileSchema(tokens.access_token);
  ASSERT_TRUE(schema.ok()) << schema.error().error.detail;
  const json::Value* properties = json::GetObject(*schema, "properties");
  ASSERT_NE(properties, nullptr);
  EXPECT_NE(json::GetObject(*properties, "firstName"), nullptr);
}

TEST_F(MyAccountTest, ReplacesTheProfileAndReturnsWhatWasSaved) {
  oidc::TokenResponse tokens = SignIn();
  auto before = Client().GetProfile(tokens.access_token);
  ASSERT_TRUE(before.ok());
  json::Document profile(rapidjson::kObjectType);
  json::Allocator& a = profile.GetAllocator();
  for (const auto& [name, value] : before->profile) {
    profile.AddMember(json::Str(name, a), json::Str(value, a), a);
  }
  profile["firstName"].SetString("Ada", a);
  auto saved = Client().ReplaceProfile(tokens.access_token, profile);
  ASSERT_TRUE(saved.ok()) << saved.error().error.detail;
  EXPECT_EQ(saved->Attribute("firstName"), "Ada");
  EXPECT_GE(saved->last_updated_ms, before->last_updated_ms);
  auto stored = harness_.ApiGet(std::string("/api/v1/users/") + kDemoId);
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->body.find("\"firstName\":\"Ada\""), std::string::npos);
}

TEST_F(MyAccountTest, RefusalsSayWhatTheTokenLacks) {
  // read scope only: a write is refused for the scope
  oidc::TokenResponse reader = SignIn("openid okta.myAccount.profile.read");
  json::Document profile(rapidjson::kObjectType);
  profile.AddMember("firstName", "Eve", profile.GetAllocator());
  auto scope = Client().ReplaceProfile(reader.access_token, profile);
  ASSERT_FALSE(scope.ok());
  EXPECT_EQ(scope.error().error.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(scope.error().error.reason, Reason::kScopeMissing);
  ASSERT_TRUE(scope.error().okta.has_value());
  EXPECT_EQ(scope.error().okta->error_code, "E0000006");

  // not a token mini-okta issued (or expired, or revoked): 401
  auto refused = Client().GetProfile("not-a-token");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error.code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().error.reason, Reason::kAccessTokenRefused);

  // a sign-in older than 15 minutes on the token clock may read, not write
  oidc::TokenResponse manager = SignIn();
  SetFaults({.clock_offset_seconds = 16 * 60});
  EXPECT_TRUE(Client().GetProfile(manager.access_token).ok());
  auto stale = Client().ReplaceProfile(manager.access_token, profile);
  SetFaults({});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().error.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(stale.error().error.reason, Reason::kRecentSignInRequired);
  // the token's own error does not show (never a token in an error)
  EXPECT_EQ(stale.error().error.detail.find(manager.access_token), std::string::npos);
}

TEST_F(MyAccountTest, TheRefreshGrantRotatesAndRefusesAReusedToken) {
  SetFaults({.refresh_token_grace_seconds = 0});
  oidc::TokenResponse first = SignIn();
  oidc::Provider provider(OptionsFor(OrgIssuer(), clock_));
  auto second = provider.Refresh(first.refresh_token, mt::kClientId, mt::kClientSecret);
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_FALSE(second->access_token.empty());
  EXPECT_NE(second->access_token, first.access_token);
  EXPECT_FALSE(second->refresh_token.empty());
  EXPECT_NE(second->refresh_token, first.refresh_token);
  EXPECT_TRUE(Client().GetProfile(second->access_token).ok());
  // the retired token again, past the grace period: reuse, refused (and the family revoked)
  auto reused = provider.Refresh(first.refresh_token, mt::kClientId, mt::kClientSecret);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(reused.error().reason, Reason::kSignInAgain);
  EXPECT_EQ(reused.error().detail.find(first.refresh_token), std::string::npos);
  EXPECT_FALSE(provider.Refresh(second->refresh_token, mt::kClientId, mt::kClientSecret).ok());
}

// app::UserTokens over a real SQLite registry, a session signed in at mini-okta.
class UserTokensTest : public MyAccountTest {
 protected:
  void SetUp() override {
    MyAccountTest::SetUp();
    path_ = "/tmp/userdesk-user-tokens-" + std::to_string(::getpid()) + ".db";
    Remove();
    auto opened = session::SqliteRegistry::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    registry_ = std::shared_ptr<session::Registry>(std::move(opened).value());
    session::SessionRecord record;
    record.id = session::RecordId("the-sid");
    record.sub = kDemoId;
    ASSERT_TRUE(registry_->Add(record).ok());
    vault_ = std::make_shared<session::TokenVault>(registry_, "0123456789abcdef0123", "");
    provider_ = std::make_shared<oidc::Provider>(OptionsFor(OrgIssuer(), clock_));
    app::UserTokensOptions options;
    options.client_id = mt::kClientId;
    options.client_secret = mt::kClientSecret;
    options.now = [this] { return now_.load(); };
    tokens_ = std::make_unique<app::UserTokens>(vault_, provider_, options);
  }
  void TearDown() override {
    tokens_.reset();
    registry_.reset();
    Remove();
    MyAccountTest::TearDown();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  std::string Record() { return session::RecordId("the-sid"); }

  std::atomic<int64_t> now_{1'000'000};
  std::string path_;
  std::shared_ptr<session::Registry> registry_;
  std::shared_ptr<session::TokenVault> vault_;
  std::shared_ptr<oidc::Provider> provider_;
  std::unique_ptr<app::UserTokens> tokens_;
};

TEST_F(UserTokensTest, RefreshesNearExpiryAndStoresTheRotatedPair) {
  SetFaults({.access_token_lifetime_seconds = 120, .refresh_token_grace_seconds = 0});
  oidc::TokenResponse signed_in = SignIn();
  EXPECT_EQ(signed_in.expires_in, 120);
  ASSERT_TRUE(*tokens_->Keep(Record(), signed_in));
  auto raw = registry_->Tokens(Record());
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ((*raw)->find(signed_in.access_token), std::string::npos);  // sealed at rest
  EXPECT_EQ((*raw)->find(signed_in.refresh_token), std::string::npos);

  auto same = tokens_->AccessTokenFor(Record());
  ASSERT_TRUE(same.ok()) << same.error().detail;
  EXPECT_EQ(*same, signed_in.access_token);  // 120 s left: no refresh

  now_ += 61;  // 59 s left, within the margin
  auto renewed = tokens_->AccessTokenFor(Record());
  ASSERT_TRUE(renewed.ok()) << renewed.error().detail;
  EXPECT_NE(*renewed, signed_in.access_token);
  EXPECT_TRUE(Client().GetProfile(*renewed).ok());
  auto stored = vault_->Get(Record());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->access_token, *renewed);
  EXPECT_NE((*stored)->refresh_token, signed_in.refresh_token);  // rotated, and kept
  EXPECT_EQ((*stored)->access_expires_at, now_.load() + 120);
  EXPECT_EQ(*tokens_->AccessTokenFor(Record()), *renewed);  // fresh again: no refresh
}

TEST_F(UserTokensTest, AnExpiredAccessTokenIsRefreshedAtMiniOkta) {
  SetFaults({.access_token_lifetime_seconds = 1});
  oidc::TokenResponse signed_in = SignIn();
  ASSERT_TRUE(*tokens_->Keep(Record(), signed_in));
  // mini-okta's token really expires; our clock says so too
  ASSERT_TRUE(userdesk::testing::WaitUntil(
      [&] { return !Client().GetProfile(signed_in.access_token).ok(); }));
  SetFaults({});
  now_ += 2;
  auto renewed = tokens_->AccessTokenFor(Record());
  ASSERT_TRUE(renewed.ok()) << renewed.error().detail;
  auto user = Client().GetProfile(*renewed);
  ASSERT_TRUE(user.ok()) << user.error().error.detail;
  EXPECT_EQ(user->Attribute("login"), "demo@example.com");
}

TEST_F(UserTokensTest, ConcurrentRefreshesOfOneSessionShareOneFlight) {
  // no grace: a second refresh with the same refresh token would be reuse, and revoke them all
  SetFaults({.refresh_token_grace_seconds = 0});
  ASSERT_TRUE(*tokens_->Keep(Record(), SignIn()));
  now_ += 3600;
  std::vector<std::thread> threads;
  std::vector<Result<std::string>> got(8, Result<std::string>(std::string()));
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = tokens_->AccessTokenFor(Record()); });
  }
  for (auto& t : threads) t.join();
  for (const auto& token : got) {
    ASSERT_TRUE(token.ok()) << token.error().detail;
    EXPECT_EQ(*token, *got[0]);
  }
  EXPECT_TRUE(Client().GetProfile(*got[0]).ok());
}

TEST_F(UserTokensTest, ARefusedRefreshTokenIsDeletedAndMeansSignInAgain) {
  SetFaults({.refresh_token_grace_seconds = 0});
  oidc::TokenResponse signed_in = SignIn();
  ASSERT_FALSE(signed_in.id_token.empty());
  ASSERT_TRUE(*tokens_->Keep(Record(), signed_in));
  // someone else redeems the refresh token first (a copy of it); ours is then reuse
  ASSERT_TRUE(provider_->Refresh(signed_in.refresh_token, mt::kClientId, mt::kClientSecret).ok());
  auto refused = tokens_->AccessTokenFor(Record(), /*force_refresh=*/true);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().reason, Reason::kSignInAgain);
  // the access and refresh tokens are deleted; the ID token stays for sign-out's id_token_hint
  auto left = vault_->Get(Record());
  ASSERT_TRUE(left.ok() && left->has_value());
  EXPECT_TRUE((*left)->access_token.empty());
  EXPECT_TRUE((*left)->refresh_token.empty());
  EXPECT_EQ((*left)->access_expires_at, 0);
  EXPECT_EQ((*left)->id_token, signed_in.id_token);
  auto again = tokens_->AccessTokenFor(Record());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, Reason::kSignInAgain);
  // the session itself goes on: only its tokens are gone
  EXPECT_TRUE((*registry_->Find(Record()))->active());
}

TEST_F(UserTokensTest, SignOutRevokesAndDeletesTheTokens) {
  oidc::TokenResponse signed_in = SignIn();
  ASSERT_TRUE(*tokens_->Keep(Record(), signed_in));
  tokens_->RevokeAtProvider(Record());  // what the sign-out does before ending the record
  auto revoked = provider_->Refresh(signed_in.refresh_token, mt::kClientId, mt::kClientSecret);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().reason, Reason::kSignInAgain);
  EXPECT_FALSE(Client().GetProfile(signed_in.access_token).ok());  // the family went with it
  ASSERT_TRUE(*registry_->End(kDemoId, Record(), now_));
  auto gone = tokens_->AccessTokenFor(Record());
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().reason, Reason::kSignInAgain);
}

}  // namespace
}  // namespace userdesk::provider_testing
