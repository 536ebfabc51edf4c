#include "oidc/login_transaction.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "crypto/base64url.h"
#include "crypto/hmac.h"

namespace userdesk::oidc {
namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "0123456789abcdef-secret";

using Jar = LoginTransactions::CookieJar;

// A browser's cookie jar: applies Set-Cookie headers as a browser would.
void Apply(Jar& jar, const std::vector<http::SetCookie>& set) {
  for (const auto& c : set) {
    if (c.max_age == 0) {
      jar.erase(c.name);
    } else {
      jar[c.name] = c.value;
    }
  }
}

TEST(LoginTransaction, BeginSetsAFreshSignedShortLivedCookie) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction a = txs.Begin("/profile", jar, kNow, &set);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].name, txs.CookieName(a.state));
  EXPECT_EQ(set[0].max_age, 600);
  EXPECT_TRUE(set[0].http_only);
  EXPECT_EQ(set[0].same_site, http::SameSite::kLax);
  EXPECT_EQ(a.state.size(), 43u);
  EXPECT_EQ(a.code_verifier.size(), 43u);  // RFC 7636: 43..128 characters
  EXPECT_NE(a.state, a.nonce);
  LoginTransaction b = txs.Begin("/profile", jar, kNow, &set);
  EXPECT_NE(a.state, b.state);
  EXPECT_NE(a.code_verifier, b.code_verifier);
}

TEST(LoginTransaction, HttpsCookiesUseTheHostPrefixAndSecure) {
  LoginTransactions txs(kSecret, "", true);
  std::vector<http::SetCookie> set;
  LoginTransaction tx = txs.Begin("/", {}, kNow, &set);
  EXPECT_EQ(set[0].name.rfind("__Host-userdesk_login_", 0), 0u);
  EXPECT_TRUE(set[0].secure);
  EXPECT_EQ(set[0].path, "/");
  EXPECT_LT(set[0].Serialize().size(), 400u);
  (void)tx;
}

TEST(LoginTransaction, TakeReturnsTheTransactionOnce) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction begun = txs.Begin("/profile", jar, kNow, &set);
  Apply(jar, set);
  Jar replay_copy = jar;  // an attacker (or the back button) keeps the old cookie
  set.clear();
  auto taken = txs.Take(jar, begun.state, kNow + 5, &set);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->nonce, begun.nonce);
  EXPECT_EQ(taken->code_verifier, begun.code_verifier);
  EXPECT_EQ(taken->return_to, "/profile");
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].max_age, 0);  // the cookie is cleared
  // replayed: the same cookie and state again
  set.clear();
  EXPECT_FALSE(txs.Take(replay_copy, begun.state, kNow + 6, &set).has_value());
}

// A fresh sign-in (the Security page's re-authentication) is remembered until the callback.
TEST(LoginTransaction, RemembersThatTheSignInMustBeFresh) {
  LoginTransactions txs(kSecret, "", false);
  for (bool fresh : {false, true}) {
    Jar jar;
    std::vector<http::SetCookie> set;
    LoginTransaction begun = txs.Begin("/security", jar, kNow, &set, fresh);
    Apply(jar, set);
    set.clear();
    auto taken = txs.Take(jar, begun.state, kNow + 5, &set);
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->fresh, fresh);
  }
}

TEST(LoginTransaction, ExpiredAfterTenMinutes) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction begun = txs.Begin("/", jar, kNow, &set);
  Apply(jar, set);
  set.clear();
  EXPECT_FALSE(txs.Take(jar, begun.state, kNow + 600, &set).has_value());
  EXPECT_EQ(set.size(), 1u);  // and its cookie is deleted
  EXPECT_TRUE(txs.Take(jar, begun.state, kNow + 599, &set).has_value());
}

TEST(LoginTransaction, TwoTabsEachFindTheirOwn) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction tab1 = txs.Begin("/profile", jar, kNow, &set);
  Apply(jar, set);
  set.clear();
  LoginTransaction tab2 = txs.Begin("/dashboard", jar, kNow + 1, &set);
  Apply(jar, set);
  EXPECT_EQ(jar.size(), 2u);
  set.clear();
  auto second = txs.Take(jar, tab2.state, kNow + 2, &set);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->return_to, "/dashboard");
  Apply(jar, set);
  auto first = txs.Take(jar, tab1.state, kNow + 3, &set);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->return_to, "/profile");
}

TEST(LoginTransaction, AnotherTabsCookieDoesNotAnswerForThisState) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction tab1 = txs.Begin("/", jar, kNow, &set);
  LoginTransaction tab2 = txs.Begin("/", jar, kNow, &set);
  Apply(jar, set);
  // move tab 2's signed value under tab 1's cookie name: the name is bound into the signature
  jar[txs.CookieName(tab1.state)] = jar[txs.CookieName(tab2.state)];
  set.clear();
  EXPECT_FALSE(txs.Take(jar, tab1.state, kNow, &set).has_value());
  // a state that shares the cookie-name prefix but differs afterwards is not the transaction
  std::string forged = tab2.state;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(txs.Take(jar, forged, kNow, &set).has_value());
  EXPECT_FALSE(txs.Take(jar, "", kNow, &set).has_value());
}

TEST(LoginTransaction, TamperedOrForeignSecretIsRefused) {
  LoginTransactions txs(kSecret, "", false);
  LoginTransactions other("another-secret-0123456789", "", false);
  Jar jar;
  std::vector<http::SetCookie> set;
  LoginTransaction begun = other.Begin("/", jar, kNow, &set);
  Apply(jar, set);
  EXPECT_FALSE(txs.Take(jar, begun.state, kNow, &set).has_value());
  // during an APP_SECRET rotation the previous secret still verifies
  LoginTransactions rotated(kSecret, "another-secret-0123456789", false);
  EXPECT_TRUE(rotated.Take(jar, begun.state, kNow, &set).has_value());
}

TEST(LoginTransaction, KeepsAtMostAHandfulOfCookiesDroppingTheOldest) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  std::vector<LoginTransaction> begun;
  for (int i = 0; i < 8; i++) {
    std::vector<http::SetCookie> set;
    begun.push_back(txs.Begin("/", jar, kNow + i, &set));
    Apply(jar, set);
    EXPECT_LE(jar.size(), kMaxLiveTransactions);
  }
  EXPECT_EQ(jar.size(), kMaxLiveTransactions);
  std::vector<http::SetCookie> set;
  EXPECT_FALSE(txs.Take(jar, begun[0].state, kNow + 9, &set).has_value());  // dropped
  EXPECT_TRUE(txs.Take(jar, begun[7].state, kNow + 9, &set).has_value());
  // expired attempts are cleaned up by the next /login
  set.clear();
  txs.Begin("/", jar, kNow + 700, &set);
  Apply(jar, set);
  EXPECT_EQ(jar.size(), 1u);
}

// 50 junk cookies under our prefix once made /login answer 50 deletions, past nginx's header
// buffer (a 502). Now each response deletes at most kMaxDeletionsPerResponse, and a few sign-in
// attempts clear them all.
TEST(LoginTransaction, DeletesAtMostTenOldCookiesPerResponse) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  for (int i = 0; i < 50; i++) {
    char name[17];
    std::snprintf(name, sizeof name, "junk%012d", i);
    jar["userdesk_login_" + std::string(name)] = "v1.junk.junk";
  }
  for (int attempt = 1; attempt <= 6; attempt++) {
    std::vector<http::SetCookie> set;
    LoginTransaction tx = txs.Begin("/", jar, kNow, &set);
    size_t deletions = 0;
    for (const auto& c : set) deletions += c.max_age == 0 ? 1 : 0;
    EXPECT_LE(deletions, kMaxDeletionsPerResponse) << attempt;
    EXPECT_EQ(set.back().name, txs.CookieName(tx.state)) << "the new attempt's cookie is set";
    Apply(jar, set);
    std::vector<http::SetCookie> taken;
    EXPECT_TRUE(txs.Take(jar, tx.state, kNow, &taken).has_value()) << "and it signs in";
    Apply(jar, taken);
  }
  EXPECT_TRUE(jar.empty()) << jar.size() << " left";
}

// A deletion repeats the cookie's name: only names of our own shape are deleted, so a browser
// cannot choose how large our headers get.
TEST(LoginTransaction, NeverEchoesACookieNameOfAnotherShape) {
  LoginTransactions txs(kSecret, "", false);
  Jar jar;
  jar["userdesk_login_" + std::string(3000, 'x')] = "v1.a.b";
  jar["userdesk_login_short"] = "v1.a.b";
  jar["userdesk_login_abcdefghijklmn!?"] = "v1.a.b";
  jar["userdesk_login_abcdefghijklmnop"] = "v1.a.b";  // our shape: deleted
  std::vector<http::SetCookie> set;
  txs.Begin("/", jar, kNow, &set);
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set[0].name, "userdesk_login_abcdefghijklmnop");
  EXPECT_EQ(set[0].max_age, 0);
  for (const auto& c : set) EXPECT_LT(c.Serialize().size(), 400u);
}

TEST(LoginTransaction, PkceChallengeIsS256) {
  // RFC 7636 appendix B
  EXPECT_EQ(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace userdesk::oidc
