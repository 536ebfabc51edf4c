#include "session/session_cookie.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"

namespace userdesk::session {
namespace {

constexpr int64_t kNow = 1'800'000'000;

Session Sample() {
  Session s;
  s.sub = "00u1abcdEFGH";
  s.name = "Ada Lovelace";
  s.csrf = "csrf-secret";
  s.issued_at = kNow;
  s.refreshed_at = kNow;
  s.expires_at = kNow + 3600;
  return s;
}

// An idle window longer than Sample's absolute lifetime, so only expires_at limits it.
SessionCodec Codec(std::string secret, std::string previous = "", bool https = false) {
  return SessionCodec(
      CodecOptions{std::move(secret), std::move(previous), https, 60, 7200, 8 * 3600});
}

SessionCodec IdleCodec(int64_t idle_seconds) {
  return SessionCodec(
      CodecOptions{"0123456789abcdef-secret", "", false, 60, idle_seconds, 8 * 3600});
}

TEST(SessionCookie, SignsAndVerifies) {
  auto codec = Codec("0123456789abcdef-secret");
  std::string cookie = codec.Encode(Sample());
  EXPECT_EQ(cookie.rfind("v1.", 0), 0u);
  auto back = codec.Decode(cookie, kNow + 10);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->sub, "00u1abcdEFGH");
  EXPECT_EQ(back->name, "Ada Lovelace");
  EXPECT_EQ(back->csrf, "csrf-secret");
  EXPECT_EQ(back->expires_at, kNow + 3600);
}

TEST(SessionCookie, EachSignInGetsItsOwnSessionIdWhichTheCookieCarries) {
  auto codec = Codec("0123456789abcdef-secret");
  Session a = codec.Start("00u1", "Ada", "", kNow);
  Session b = codec.Start("00u1", "Ada", "", kNow);
  EXPECT_EQ(a.sid.size(), 22u);  // 16 random bytes
  EXPECT_NE(a.sid, b.sid);
  auto back = codec.Decode(codec.Encode(a), kNow);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->sid, a.sid);
}

TEST(SessionCookie, CarriesTheProfileSaveTimeOnlyOnceSet) {
  auto codec = Codec("0123456789abcdef-secret");
  Session s = Sample();
  auto before = codec.Decode(codec.Encode(s), kNow);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->profile_updated_ms, 0);
  s.profile_updated_ms = 1'800'000'000'123;
  auto after = codec.Decode(codec.Encode(s), kNow);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->profile_updated_ms, 1'800'000'000'123);
  // a renewal keeps it: the next responder still knows the user saved
  EXPECT_EQ(codec.Renewed(*after, kNow + 100).profile_updated_ms, 1'800'000'000'123);
}

TEST(SessionCookie, CarriesWhenTheUserLastAuthenticated) {
  auto codec = Codec("0123456789abcdef-secret");
  Session s = codec.Start("00u1", "Ada", "", kNow);
  EXPECT_EQ(s.authenticated_at, kNow);
  EXPECT_EQ(codec.Decode(codec.Encode(s), kNow)->authenticated_at, kNow);
  s.authenticated_at = kNow - 1200;  // a single sign-on over an older provider session
  auto back = codec.Decode(codec.Encode(s), kNow);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->authenticated_at, kNow - 1200);
  EXPECT_EQ(codec.Renewed(*back, kNow + 100).authenticated_at, kNow - 1200);
}

TEST(SessionCookie, RejectsTamperedPayloadAndMac) {
  auto codec = Codec("0123456789abcdef-secret");
  std::string cookie = codec.Encode(Sample());
  size_t dot = cookie.rfind('.');
  // swap the payload for one naming another user, keeping the old MAC
  Session evil = Sample();
  evil.sub = "00uADMIN";
  std::string evil_cookie = codec.Encode(evil);
  std::string spliced = evil_cookie.substr(0, evil_cookie.rfind('.')) + cookie.substr(dot);
  EXPECT_FALSE(codec.Decode(spliced, kNow).has_value());
  std::string flipped = cookie;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.Decode(flipped, kNow).has_value());
}

// The MAC is 32 bytes: 43 base64url characters, the last with 2 spare bits. Its three other
// spellings decode to the same MAC and must not verify (RFC 4648 §3.5).
TEST(SessionCookie, RefusesTheOtherSpellingsOfItsMac) {
  auto codec = Codec("0123456789abcdef-secret");
  std::string cookie = codec.Encode(Sample());
  ASSERT_TRUE(codec.Decode(cookie, kNow).has_value());
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  size_t last = alphabet.find(cookie.back());
  ASSERT_EQ(last % 4, 0u) << "the canonical spelling has its spare bits zero";
  for (size_t spare = 1; spare < 4; spare++) {
    std::string respelled = cookie;
    respelled.back() = alphabet[last + spare];
    EXPECT_FALSE(codec.Decode(respelled, kNow).has_value()) << respelled.back();
  }
}

TEST(SessionCookie, RejectsOtherSecretAndMalformed) {
  auto codec = Codec("0123456789abcdef-secret");
  auto other = Codec("another-secret-0123456789");
  EXPECT_FALSE(codec.Decode(other.Encode(Sample()), kNow).has_value());
  for (const char* bad : {"", "v1", "v1..", "v2.abc.def", "v1.!!!.###", "garbage", "v1.e30.AAAA"}) {
    EXPECT_FALSE(codec.Decode(bad, kNow).has_value()) << bad;
  }
}

TEST(SessionCookie, RejectsExpiredAndFutureIssued) {
  auto codec = Codec("0123456789abcdef-secret");
  std::string cookie = codec.Encode(Sample());
  EXPECT_TRUE(codec.Decode(cookie, kNow + 3599).has_value());
  EXPECT_FALSE(codec.Decode(cookie, kNow + 3600).has_value());
  EXPECT_FALSE(codec.Decode(cookie, kNow - 61).has_value());  // issued "in the future"
}

TEST(SessionCookie, AcceptsPreviousSecretDuringRotation) {
  auto old_codec = Codec("old-secret-0123456789");
  auto rotated = Codec("new-secret-0123456789", "old-secret-0123456789");
  auto no_previous = Codec("new-secret-0123456789");
  std::string old_cookie = old_codec.Encode(Sample());
  EXPECT_TRUE(rotated.Decode(old_cookie, kNow).has_value());
  EXPECT_FALSE(no_previous.Decode(old_cookie, kNow).has_value());
  // new cookies are signed with the new secret only
  EXPECT_FALSE(old_codec.Decode(rotated.Encode(Sample()), kNow).has_value());
}

TEST(SessionCookie, BindsCookieName) {
  auto http_codec = Codec("0123456789abcdef-secret", "", false);
  auto https_codec = Codec("0123456789abcdef-secret", "", true);
  EXPECT_FALSE(https_codec.Decode(http_codec.Encode(Sample()), kNow).has_value());
}

TEST(SessionCookie, CookieAttributes) {
  auto https_codec = Codec("0123456789abcdef-secret", "", true);
  std::string header = https_codec.IssueCookie(Sample(), kNow).Serialize();
  EXPECT_EQ(header.rfind("__Host-userdesk_session=v1.", 0), 0u);
  EXPECT_NE(header.find("; Path=/"), std::string::npos);
  EXPECT_NE(header.find("; Max-Age=3600"), std::string::npos);
  EXPECT_NE(header.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(header.find("; Secure"), std::string::npos);
  EXPECT_NE(header.find("; SameSite=Lax"), std::string::npos);
  auto http_codec = Codec("0123456789abcdef-secret");
  std::string plain = http_codec.IssueCookie(Sample(), kNow).Serialize();
  EXPECT_EQ(plain.rfind("userdesk_session=", 0), 0u);
  EXPECT_EQ(plain.find("Secure"), std::string::npos);
  EXPECT_NE(http_codec.ClearCookie().Serialize().find("Max-Age=0"), std::string::npos);
}

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; i++) out += s;
  return out;
}

const std::string kEmoji = "\xf0\x9f\x98\x80";  // U+1F600, 4 bytes
const std::string kRlo = "\xe2\x80\xae";        // U+202E RIGHT-TO-LEFT OVERRIDE

TEST(DisplayName, DropsBidiControlsAndControlCharacters) {
  EXPECT_EQ(CleanDisplayName("Ada Lovelace"), "Ada Lovelace");
  EXPECT_EQ(CleanDisplayName("Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac"),
            "Zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac");
  // "Signed in as <RLO>nimda" would read as "admin"
  EXPECT_EQ(CleanDisplayName(kRlo + "nimda"), "nimda");
  for (const char* bidi : {"\xd8\x9c", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa",
                           "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
                           "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"}) {
    EXPECT_EQ(CleanDisplayName(std::string("Ada") + bidi + "Lovelace"), "AdaLovelace") << bidi;
  }
  EXPECT_EQ(CleanDisplayName("Ada\x1b[31m\n\x7f\xc2\x9b"), "Ada[31m");
  EXPECT_EQ(CleanDisplayName("Ada \xff\xc3Lovelace"), "Ada Lovelace");  // not UTF-8: dropped
  EXPECT_EQ(CleanDisplayName("  " + kRlo + " "), "");
  // Arabic and Hebrew names keep their letters; only the invisible controls go
  EXPECT_EQ(CleanDisplayName("\xd7\xa9\xd7\xa8\xd7\x94"), "\xd7\xa9\xd7\xa8\xd7\x94");
}

TEST(DisplayName, IsCutAtACharacterBoundary) {
  EXPECT_EQ(CleanDisplayName(Repeat(kEmoji, kMaxDisplayNameChars)),
            Repeat(kEmoji, kMaxDisplayNameChars));
  // Okta's longest firstName and lastName: 50 + " " + 50 characters
  std::string longest = Repeat(kEmoji, 50) + " " + Repeat(kEmoji, 50);
  std::string kept = CleanDisplayName(longest);
  EXPECT_EQ(kept, Repeat(kEmoji, 50) + " " + Repeat(kEmoji, 49));
  EXPECT_EQ(CleanDisplayName(std::string(300, 'a')), std::string(kMaxDisplayNameChars, 'a'));
  // a cut that leaves a trailing space trims it
  EXPECT_EQ(CleanDisplayName(std::string(99, 'a') + " b"), std::string(99, 'a'));
}

TEST(DisplayName, NoSessionHoldsAnythingElse) {
  auto codec = Codec("0123456789abcdef-secret");
  Session started = codec.Start("00u1", kRlo + "nimda " + Repeat(kEmoji, 200), "", kNow);
  EXPECT_EQ(started.name, "nimda " + Repeat(kEmoji, 94));
  // a name set later (a profile save) is cleaned when the cookie is written
  Session renamed = Sample();
  renamed.name = "Ada\xe2\x81\xa6" + Repeat("x", 200);
  auto back = codec.Decode(codec.Encode(renamed), kNow);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->name, "Ada" + Repeat("x", 97));
}

// The largest session the caps allow (sub: 255 characters, OpenID Core §2 and
// oidc/id_token.cc; name: kMaxDisplayNameChars of 4-byte characters; the ID token:
// kMaxIdTokenBytes = 2048) still fits a browser's cookie limit, 4096 bytes for name, value and
// attributes (RFC 6265 §6.1).
TEST(SessionCookie, TheLargestSessionFitsABrowsersCookieLimit) {
  auto codec = Codec("0123456789abcdef-secret", "", true);
  Session s = codec.Start(std::string(255, 's'), Repeat(kEmoji, kMaxDisplayNameChars),
                          std::string(2048, 'i'), kNow);
  s.profile_updated_ms = 9'999'999'999'999;
  std::string header = codec.IssueCookie(s, kNow).Serialize();
  EXPECT_LE(header.size(), 4096u);
  auto back = codec.Decode(codec.Encode(s), kNow);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->name, s.name);
}

TEST(SessionCookie, StartSetsBothLifetimesAndAFreshCsrfSecret) {
  auto codec = IdleCodec(1800);
  Session a = codec.Start("00u1", "Ada", "id.token.x", kNow);
  Session b = codec.Start("00u1", "Ada", "id.token.x", kNow);
  EXPECT_EQ(a.issued_at, kNow);
  EXPECT_EQ(a.refreshed_at, kNow);
  EXPECT_EQ(a.expires_at, kNow + 8 * 3600);
  EXPECT_GE(a.csrf.size(), 40u);
  EXPECT_NE(a.csrf, b.csrf);
}

TEST(SessionCookie, IdleWindowEndsAnUnusedSession) {
  auto codec = IdleCodec(1800);
  std::string cookie = codec.Encode(codec.Start("00u1", "Ada", "", kNow));
  EXPECT_TRUE(codec.Decode(cookie, kNow + 1799).has_value());
  EXPECT_FALSE(codec.Decode(cookie, kNow + 1800).has_value());
}

TEST(SessionCookie, RenewalSlidesTheIdleWindowButNeverTheAbsoluteOne) {
  auto codec = IdleCodec(1800);
  Session s = codec.Start("00u1", "Ada", "", kNow);
  EXPECT_FALSE(codec.NeedsRenewal(s, kNow + 899));
  EXPECT_TRUE(codec.NeedsRenewal(s, kNow + 900));
  Session renewed = codec.Renewed(s, kNow + 900);
  std::string cookie = codec.Encode(renewed);
  EXPECT_TRUE(codec.Decode(cookie, kNow + 2600).has_value());  // past the first idle window
  EXPECT_FALSE(codec.Decode(cookie, kNow + 2700).has_value());
  // an active user is still signed out at the absolute expiry
  Session late = codec.Renewed(s, s.expires_at - 10);
  EXPECT_FALSE(codec.Decode(codec.Encode(late), s.expires_at).has_value());
  // Max-Age follows the nearer expiry
  EXPECT_NE(codec.IssueCookie(late, s.expires_at - 10).Serialize().find("Max-Age=10"),
            std::string::npos);
  EXPECT_NE(codec.IssueCookie(s, kNow).Serialize().find("Max-Age=1800"), std::string::npos);
}

TEST(SessionCookie, RefusesARefreshInTheFuture) {
  auto codec = IdleCodec(1800);
  Session s = codec.Start("00u1", "Ada", "", kNow);
  s.refreshed_at = kNow + 600;
  EXPECT_FALSE(codec.Decode(codec.Encode(s), kNow).has_value());
}

}  // namespace
}  // namespace userdesk::session
