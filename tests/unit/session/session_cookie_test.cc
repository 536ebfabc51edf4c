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
