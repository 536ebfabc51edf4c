// The user's tokens sealed in the registry: a round trip, nothing readable at rest, a blob of
// another record or another secret refused (and dropped), APP_SECRET_PREVIOUS still opening.
#include "session/token_vault.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "session/sqlite_registry.h"

namespace userdesk::session {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kOlder = "fedcba9876543210fedcba9876543210";

class TokenVaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/userdesk-token-vault-" + std::to_string(::getpid()) + ".db";
    Remove();
    auto opened = SqliteRegistry::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    registry_ = std::shared_ptr<Registry>(std::move(opened).value());
    for (const char* sid : {"a", "b"}) {
      SessionRecord r;
      r.id = RecordId(sid);
      r.sub = "00u1";
      ASSERT_TRUE(registry_->Add(r).ok());
    }
  }
  void TearDown() override {
    registry_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  static StoredTokens Tokens() {
    StoredTokens t;
    t.access_token = "eyJ.access.token";
    t.access_expires_at = 1'700'000'000;
    t.refresh_token = "refresh-token-43-letters";
    t.scope = "openid okta.myAccount.profile.read";
    return t;
  }

  std::string path_;
  std::shared_ptr<Registry> registry_;
};

TEST_F(TokenVaultTest, KeepsTheTokensSealedAndReadsThemBack) {
  TokenVault vault(registry_, kSecret, "");
  ASSERT_TRUE(*vault.Put(RecordId("a"), Tokens()));
  std::string blob = **registry_->Tokens(RecordId("a"));
  EXPECT_TRUE(blob.starts_with("v1."));
  EXPECT_EQ(blob.find("access"), std::string::npos);
  EXPECT_EQ(blob.find("refresh"), std::string::npos);
  auto read = vault.Get(RecordId("a"));
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->access_token, "eyJ.access.token");
  EXPECT_EQ((*read)->access_expires_at, 1'700'000'000);
  EXPECT_EQ((*read)->refresh_token, "refresh-token-43-letters");
  EXPECT_EQ((*read)->scope, "openid okta.myAccount.profile.read");
  EXPECT_FALSE(vault.Get(RecordId("b"))->has_value());
  ASSERT_TRUE(vault.Drop(RecordId("a")).ok());
  EXPECT_FALSE(vault.Get(RecordId("a"))->has_value());
}

TEST_F(TokenVaultTest, ABlobMovedToAnotherRecordDoesNotOpenAndIsDropped) {
  TokenVault vault(registry_, kSecret, "");
  ASSERT_TRUE(*vault.Put(RecordId("a"), Tokens()));
  ASSERT_TRUE(*registry_->PutTokens(RecordId("b"), **registry_->Tokens(RecordId("a"))));
  auto moved = vault.Get(RecordId("b"));
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(moved->has_value());
  EXPECT_FALSE(registry_->Tokens(RecordId("b"))->has_value());  // dropped: sign in again
  EXPECT_TRUE(vault.Get(RecordId("a"))->has_value());
}

TEST_F(TokenVaultTest, APreviousSecretOpensAnUnknownOneDoesNot) {
  ASSERT_TRUE(*TokenVault(registry_, kOlder, "").Put(RecordId("a"), Tokens()));
  TokenVault rotated(registry_, kSecret, kOlder);
  auto read = rotated.Get(RecordId("a"));
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->refresh_token, "refresh-token-43-letters");
  TokenVault forgot(registry_, kSecret, "");
  EXPECT_FALSE(forgot.Get(RecordId("a"))->has_value());
}

TEST(StoredTokens, EncodeAndDecode) {
  StoredTokens t;
  t.access_token = "at";
  t.access_expires_at = 42;
  auto back = DecodeTokens(EncodeTokens(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->access_token, "at");
  EXPECT_EQ(back->access_expires_at, 42);
  EXPECT_EQ(back->refresh_token, "");
  EXPECT_FALSE(DecodeTokens("{}"));
  EXPECT_FALSE(DecodeTokens(R"({"at":"","exp":1})"));
  EXPECT_FALSE(DecodeTokens(R"({"at":"x"})"));
  EXPECT_FALSE(DecodeTokens("not json"));
}

// Outside MyAccount mode the record keeps only the sign-in's ID token, for sign-out.
TEST(StoredTokens, AnIdTokenAloneRoundTrips) {
  StoredTokens t;
  t.id_token = "eyJ.header.sig";
  auto back = DecodeTokens(EncodeTokens(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id_token, "eyJ.header.sig");
  EXPECT_EQ(back->access_token, "");
  t.access_token = "at";
  t.access_expires_at = 7;
  back = DecodeTokens(EncodeTokens(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id_token, "eyJ.header.sig");  // kept beside the MyAccount tokens
  EXPECT_EQ(back->access_token, "at");
}

}  // namespace
}  // namespace userdesk::session
