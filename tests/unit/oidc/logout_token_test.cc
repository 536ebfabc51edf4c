// The logout token's checks (OpenID Connect Back-Channel Logout 1.0 §2.6): a good token is
// accepted once, and each way a token can be wrong is refused with a detail that names it. The
// refusals of the OpenID conformance suite's plan oidcc-client-back-channel-logout-rp-basic
// (alg none, no events, a nonce, a wrong alg, aud, event or iss) are among them.
#include "oidc/logout_token.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/base64url.h"
#include "jose/jws.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "https://idp.example/oauth2/default";

const jose::RsaPrivateKey& Key() {
  static const auto* key = jose::RsaPrivateKey::Generate(2048, "key-1")->release();
  return *key;
}
const jose::RsaPrivateKey& OtherKey() {  // same kid, another key: a forged signature
  static const auto* key = jose::RsaPrivateKey::Generate(2048, "key-1")->release();
  return *key;
}

std::string B64(std::string_view s) { return crypto::Base64UrlEncode(s); }

// The claims of a good token; tests change one thing at a time.
json::Document GoodClaims() {
  auto d = json::ParseObject(
      R"({"iss":")" + std::string(kIssuer) +
      R"(","aud":"client-1","iat":1800000000,"exp":1800000120,"jti":"jti-1",)"
      R"("sub":"00u1","sid":"102sid","events":{"http://schemas.openid.net/event/backchannel-logout":{}}})");
  return std::move(*d);
}

std::string Sign(const json::Document& claims, const jose::RsaPrivateKey& key = Key(),
                 std::string_view typ = "logout+jwt") {
  return *jose::SignRs256(key, json::Write(claims), typ);
}

// Signs an arbitrary header with Key(): for tokens SignRs256 would never make.
std::string SignRaw(std::string_view header, const json::Document& claims) {
  std::string input = B64(header) + "." + B64(json::Write(claims));
  return input + "." + B64(*Key().SignRs256(input));
}

LogoutTokenChecks Checks() {
  LogoutTokenChecks c;
  c.issuer = kIssuer;
  c.client_id = "client-1";
  c.now = kNow + 10;
  c.max_skew = 60;
  return c;
}

KeyLookup Keys() {
  auto shared = std::make_shared<const std::vector<jose::RsaPublicJwk>>(
      std::vector<jose::RsaPublicJwk>{Key().PublicJwk()});
  return [shared](std::string_view) {
    return Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(shared);
  };
}

// A stand-in for the registry's UseOnce: remembers keys and until when.
struct UsedKeys {
  std::set<std::string> keys;
  int64_t last_until = 0;
  int calls = 0;
  MarkUsed Mark() {
    return [this](std::string_view key, int64_t until) -> Result<bool> {
      calls++;
      last_until = until;
      return keys.insert(std::string(key)).second;
    };
  }
};

Result<LogoutTokenClaims> Verify(const std::string& token, UsedKeys* used = nullptr,
                                 const LogoutTokenChecks& checks = Checks()) {
  UsedKeys fresh;
  return VerifyLogoutToken(token, checks, Keys(), (used != nullptr ? used : &fresh)->Mark());
}

// A refusal (400 for the provider) whose detail mentions why.
void ExpectRefused(const Result<LogoutTokenClaims>& r, std::string_view why) {
  ASSERT_FALSE(r.ok()) << "accepted a token that should fail: " << why;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().detail;
  EXPECT_NE(r.error().detail.find(why), std::string::npos) << r.error().detail;
}

void Set(json::Document& d, const char* name, json::Value value) {
  d.RemoveMember(name);
  d.AddMember(json::Value(name, d.GetAllocator()), value, d.GetAllocator());
}

TEST(LogoutToken, AcceptsAGoodTokenOnceAndRemembersItsJtiUntilItExpires) {
  UsedKeys used;
  std::string token = Sign(GoodClaims());
  auto r = Verify(token, &used);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->sub, "00u1");
  EXPECT_EQ(r->sid, "102sid");
  EXPECT_EQ(r->jti, "jti-1");
  EXPECT_EQ(r->issued_at, 1800000000);
  EXPECT_EQ(used.last_until, 1800000120 + 60) << "exp plus the clock skew";
  EXPECT_EQ(*used.keys.begin(), LogoutTokenKey(kIssuer, "jti-1"));
  ExpectRefused(Verify(token, &used), "jti already used");
}

TEST(LogoutToken, TheJtiKeyIsAFixedSizeHashOfIssuerAndJti) {
  std::string key = LogoutTokenKey(kIssuer, std::string(4000, 'j'));
  EXPECT_EQ(key.size(), std::string("logout-jti:").size() + 43);
  EXPECT_NE(key, LogoutTokenKey("https://other.example", std::string(4000, 'j')));
  EXPECT_EQ(key.find("jjjj"), std::string::npos) << "the jti itself is not in the key";
}

TEST(LogoutToken, NamingOnlyTheSessionOrOnlyTheUserIsEnough) {
  auto only_sid = GoodClaims();
  only_sid.RemoveMember("sub");
  auto r = Verify(Sign(only_sid));
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->sub, "");
  EXPECT_EQ(r->sid, "102sid");
  auto only_sub = GoodClaims();
  only_sub.RemoveMember("sid");
  r = Verify(Sign(only_sub));
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->sub, "00u1");
  EXPECT_EQ(r->sid, "");
}

TEST(LogoutToken, RefusesANameOfNeitherSessionNorUser) {
  auto claims = GoodClaims();
  claims.RemoveMember("sub");
  claims.RemoveMember("sid");
  ExpectRefused(Verify(Sign(claims)), "neither sub nor sid");
  Set(claims, "sid", json::Value("a b"));  // present, but nothing we could match
  ExpectRefused(Verify(Sign(claims)), "sid");
}

TEST(LogoutToken, RefusesABadSignature) {
  std::string token = Sign(GoodClaims());
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  ExpectRefused(Verify(token), "signature");
  ExpectRefused(Verify(Sign(GoodClaims(), OtherKey())), "signature");
}

TEST(LogoutToken, RefusesAlgNoneAndAlgorithmsOutsideTheAllowList) {
  std::string unsigned_part =
      B64(R"({"alg":"none","typ":"logout+jwt"})") + "." + B64(json::Write(GoodClaims())) + ".";
  ExpectRefused(Verify(unsigned_part), "malformed");  // an empty signature is not even a JWS
  ExpectRefused(Verify(unsigned_part + B64("x")), "alg none is not allowed");
  ExpectRefused(Verify(SignRaw(R"({"alg":"RS384","kid":"key-1"})", GoodClaims())), "alg");
  ExpectRefused(Verify(SignRaw(R"({"alg":"HS256","kid":"key-1"})", GoodClaims())), "alg");
}

TEST(LogoutToken, RefusesAWrongIssuer) {
  auto claims = GoodClaims();
  Set(claims, "iss", json::Value("https://idp.example/oauth2/other"));
  ExpectRefused(Verify(Sign(claims)), "iss");
  claims.RemoveMember("iss");
  ExpectRefused(Verify(Sign(claims)), "iss");
}

TEST(LogoutToken, RefusesAWrongOrMissingAudience) {
  auto claims = GoodClaims();
  Set(claims, "aud", json::Value("client-2"));
  ExpectRefused(Verify(Sign(claims)), "aud");
  claims.RemoveMember("aud");
  ExpectRefused(Verify(Sign(claims)), "aud");
}

TEST(LogoutToken, RefusesAMissingEventsClaim) {
  auto claims = GoodClaims();
  claims.RemoveMember("events");
  ExpectRefused(Verify(Sign(claims)), "event");
}

TEST(LogoutToken, RefusesEventsWithoutTheBackChannelLogoutMember) {
  for (const char* events : {R"({})", R"({"http://schemas.openid.net/event/other":{}})",
                             R"({"http://schemas.openid.net/event/backchannel-logout":true})",
                             R"(["http://schemas.openid.net/event/backchannel-logout"])"}) {
    auto claims = GoodClaims();
    auto value = json::ParseObject(std::string(R"({"events":)") + events + "}");
    ASSERT_TRUE(value.has_value()) << events;
    Set(claims, "events", json::Value((*value)["events"], claims.GetAllocator()));
    ExpectRefused(Verify(Sign(claims)), "event");
  }
}

// An ID token carries a nonce; a logout token never does (§2.4), so one cannot pass for the other.
TEST(LogoutToken, RefusesANonce) {
  auto claims = GoodClaims();
  Set(claims, "nonce", json::Value("n-123"));
  ExpectRefused(Verify(Sign(claims)), "nonce");
}

TEST(LogoutToken, RefusesAMissingOrEmptyJti) {
  auto claims = GoodClaims();
  claims.RemoveMember("jti");
  UsedKeys used;
  ExpectRefused(Verify(Sign(claims), &used), "jti");
  Set(claims, "jti", json::Value(""));
  ExpectRefused(Verify(Sign(claims), &used), "jti");
  EXPECT_EQ(used.calls, 0) << "nothing is remembered for a refused token";
}

TEST(LogoutToken, RefusesAReplayedJtiEvenWithOtherClaims) {
  UsedKeys used;
  ASSERT_TRUE(Verify(Sign(GoodClaims()), &used).ok());
  auto again = GoodClaims();
  Set(again, "iat", json::Value(kNow + 5));  // a new token, the same jti
  ExpectRefused(Verify(Sign(again), &used), "already used");
}

TEST(LogoutToken, RefusesAnIatFarInTheFutureOrMissing) {
  auto claims = GoodClaims();
  Set(claims, "iat", json::Value(kNow + 10 + 61));
  Set(claims, "exp", json::Value(kNow + 600));
  ExpectRefused(Verify(Sign(claims)), "future");
  Set(claims, "iat", json::Value(kNow + 10 + 60));  // within the skew
  EXPECT_TRUE(Verify(Sign(claims)).ok());
  claims.RemoveMember("iat");
  ExpectRefused(Verify(Sign(claims)), "iat");
}

TEST(LogoutToken, RefusesAnExpiredToken) {
  auto claims = GoodClaims();
  Set(claims, "exp", json::Value(kNow - 51));  // + 60 s of skew is just past kNow + 10
  ExpectRefused(Verify(Sign(claims)), "expired");
  Set(claims, "exp", json::Value("soon"));
  ExpectRefused(Verify(Sign(claims)), "exp");
}

// Without exp a token is taken for kLogoutTokenMaxAgeSeconds after its iat, and its jti is
// remembered that long, so a replay after the memory fades is refused by age.
TEST(LogoutToken, ATokenWithoutExpIsTakenOnlyWhileFresh) {
  auto claims = GoodClaims();
  claims.RemoveMember("exp");
  UsedKeys used;
  ASSERT_TRUE(Verify(Sign(claims), &used).ok());
  EXPECT_EQ(used.last_until, kNow + kLogoutTokenMaxAgeSeconds + 60);
  LogoutTokenChecks later = Checks();
  later.now = kNow + kLogoutTokenMaxAgeSeconds + 60;
  ExpectRefused(Verify(Sign(claims), nullptr, later), "expired");
}

TEST(LogoutToken, RefusesAnotherTyp) {
  for (const char* typ : {"JWT", "at+jwt", "logout"}) {
    ExpectRefused(Verify(Sign(GoodClaims(), Key(), typ)), "typ");
  }
  // RFC 7515 §4.1.9: the media type, any case, with or without "application/"; or no typ at all
  UsedKeys used;
  int n = 0;
  for (const char* typ : {"logout+jwt", "Logout+JWT", "application/logout+jwt", ""}) {
    auto claims = GoodClaims();
    Set(claims, "jti",
        json::Value(("jti-typ-" + std::to_string(n++)).c_str(), claims.GetAllocator()));
    auto r = Verify(Sign(claims, Key(), typ), &used);
    EXPECT_TRUE(r.ok()) << typ << ": " << r.error().detail;
  }
}

TEST(LogoutToken, RefusesMalformedOrOversizedTokens) {
  ExpectRefused(Verify(""), "empty");
  ExpectRefused(Verify("only.two"), "malformed");
  ExpectRefused(Verify(std::string(kMaxLogoutTokenBytes + 1, 'a')), "larger");
}

// Keys or a store that cannot be reached are no verdict on the token: passed on as they came.
TEST(LogoutToken, PassesOnAKeyLookupOrStoreFailure) {
  KeyLookup no_keys =
      [](std::string_view) -> Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>> {
    return MakeError(ErrorCode::kUnavailable, "jwks_uri unreachable");
  };
  UsedKeys used;
  auto r = VerifyLogoutToken(Sign(GoodClaims()), Checks(), no_keys, used.Mark());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(used.calls, 0);
  MarkUsed store_down = [](std::string_view, int64_t) -> Result<bool> {
    return MakeError(ErrorCode::kUnavailable, "session registry: disk I/O error");
  };
  r = VerifyLogoutToken(Sign(GoodClaims()), Checks(), Keys(), store_down);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

// The ID token of a sign-in, signed by the same keys, is not a logout token.
TEST(LogoutToken, RefusesAnIdToken) {
  auto id_token = json::ParseObject(
      R"({"iss":")" + std::string(kIssuer) +
      R"(","aud":"client-1","iat":1800000000,"exp":1800003600,"jti":"ID.1","sub":"00u1",)"
      R"("sid":"102sid","nonce":"n-1","amr":["pwd"]})");
  ExpectRefused(Verify(Sign(*id_token, Key(), "")), "event");
}

}  // namespace
}  // namespace userdesk::oidc
