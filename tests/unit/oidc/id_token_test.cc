#include "oidc/id_token.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
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
const jose::RsaPrivateKey& OtherKey() {
  static const auto* key = jose::RsaPrivateKey::Generate(2048, "key-1")->release();
  return *key;
}

std::string B64(std::string_view s) { return crypto::Base64UrlEncode(s); }

// The claims a good token carries; tests change one thing at a time.
json::Document GoodClaims() {
  auto d =
      json::ParseObject(R"({"sub":"00u1","name":"Ada Lovelace","iss":")" + std::string(kIssuer) +
                        R"(","aud":"client-1","nonce":"n-123","iat":1800000000,)"
                        R"("exp":1800003600,"email":"ada@example.com"})");
  return std::move(*d);
}

std::string Sign(const json::Document& claims, const jose::RsaPrivateKey& key = Key()) {
  return *jose::SignRs256(key, json::Write(claims));
}

// Signs an arbitrary header and payload with Key(): for tokens SignRs256 would never make.
std::string SignRaw(std::string_view header, std::string_view payload) {
  std::string input = B64(header) + "." + B64(payload);
  return input + "." + B64(*Key().SignRs256(input));
}

IdTokenChecks Checks() {
  IdTokenChecks c;
  c.issuer = kIssuer;
  c.client_id = "client-1";
  c.nonce = "n-123";
  c.now = kNow + 10;
  c.max_skew = 60;
  return c;
}

KeyLookup Keys(std::vector<jose::RsaPublicJwk> keys = {Key().PublicJwk()}) {
  auto shared = std::make_shared<const std::vector<jose::RsaPublicJwk>>(std::move(keys));
  return [shared](std::string_view) {
    return Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(shared);
  };
}

// Asserts a refusal with the given code whose detail mentions `why`.
void ExpectRefused(const Result<IdTokenClaims>& r, ErrorCode code, std::string_view why) {
  ASSERT_FALSE(r.ok()) << "accepted a token that should fail: " << why;
  EXPECT_EQ(r.error().code, code) << r.error().detail;
  EXPECT_NE(r.error().detail.find(why), std::string::npos) << r.error().detail;
}

void Set(json::Document& d, const char* name, json::Value value) {
  d.RemoveMember(name);
  d.AddMember(json::Value(name, d.GetAllocator()), value, d.GetAllocator());
}

TEST(IdToken, AcceptsAGoodToken) {
  auto r = VerifyIdToken(Sign(GoodClaims()), Checks(), Keys());
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->sub, "00u1");
  EXPECT_EQ(r->name, "Ada Lovelace");
  EXPECT_EQ(r->email, "ada@example.com");
  EXPECT_EQ(r->expires_at, 1800003600);
}

TEST(IdToken, ReadsAuthTimeAndTheSessionIdWhenTheProviderSaysThem) {
  EXPECT_EQ(VerifyIdToken(Sign(GoodClaims()), Checks(), Keys())->auth_time, 0);
  json::Document claims = GoodClaims();
  claims.AddMember("auth_time", 1799999000, claims.GetAllocator());
  claims.AddMember("sid", "102okta-session", claims.GetAllocator());
  auto r = VerifyIdToken(Sign(claims), Checks(), Keys());
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->auth_time, 1799999000);
  EXPECT_EQ(r->sid, "102okta-session");
}

TEST(IdToken, RefusesABadSignature) {
  std::string token = Sign(GoodClaims());
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  ExpectRefused(VerifyIdToken(token, Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "signature");
  // same kid, another key
  ExpectRefused(VerifyIdToken(Sign(GoodClaims(), OtherKey()), Checks(), Keys()),
                ErrorCode::kUpstreamUnavailable, "signature");
}

TEST(IdToken, RefusesAlgNone) {
  std::string unsigned_token =
      B64(R"({"alg":"none","kid":"key-1"})") + "." + B64(json::Write(GoodClaims())) + ".";
  // the empty signature part is already refused by the parser
  ExpectRefused(VerifyIdToken(unsigned_token, Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "malformed");
  ExpectRefused(VerifyIdToken(unsigned_token + "c2ln", Checks(), Keys()),
                ErrorCode::kUpstreamUnavailable, "alg none is not allowed");
}

TEST(IdToken, RefusesHs256SignedWithThePublicKey) {
  // the classic key-confusion attack: HMAC keyed with the RSA public key the attacker knows
  std::string input =
      B64(R"({"alg":"HS256","kid":"key-1"})") + "." + B64(json::Write(GoodClaims()));
  for (const std::string& secret : {Key().PublicJwk().n, jose::JwksToJson({Key().PublicJwk()})}) {
    std::string token = input + "." + B64(crypto::HmacSha256(secret, input));
    ExpectRefused(VerifyIdToken(token, Checks(), Keys()), ErrorCode::kUpstreamUnavailable, "alg");
  }
}

TEST(IdToken, RefusesAnAlgorithmOutsideTheAllowList) {
  std::string input =
      B64(R"({"alg":"RS512","kid":"key-1"})") + "." + B64(json::Write(GoodClaims()));
  std::string token = input + "." + B64(*Key().SignRsa("SHA512", input));
  jose::RsaPublicJwk any_alg = Key().PublicJwk();
  any_alg.alg = "";
  ExpectRefused(VerifyIdToken(token, Checks(), Keys({any_alg})), ErrorCode::kUpstreamUnavailable,
                "alg");
  IdTokenChecks allow = Checks();
  allow.allowed_algs = {"RS256", "RS512"};
  EXPECT_TRUE(VerifyIdToken(token, allow, Keys({any_alg})).ok());
}

TEST(IdToken, RefusesAnUnknownKidWhenTheProviderHasNoNewKey) {
  std::string token = SignRaw(R"({"alg":"RS256","kid":"key-2"})", json::Write(GoodClaims()));
  std::string asked;
  auto lookup = [&asked](std::string_view kid) {
    asked = std::string(kid);
    return Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(
        std::make_shared<const std::vector<jose::RsaPublicJwk>>(
            std::vector<jose::RsaPublicJwk>{Key().PublicJwk()}));
  };
  ExpectRefused(VerifyIdToken(token, Checks(), lookup), ErrorCode::kUpstreamUnavailable,
                "unknown kid");
  EXPECT_EQ(asked, "key-2");  // the lookup was told which kid to look for (and may refetch)
}

TEST(IdToken, PassesOnAKeyLookupFailure) {
  auto down = [](std::string_view) {
    return Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(
        MakeError(ErrorCode::kUnavailable, "jwks unreachable"));
  };
  auto r = VerifyIdToken(Sign(GoodClaims()), Checks(), down);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST(IdToken, AcceptsAKidlessTokenOnlyWithASingleKey) {
  std::string token = SignRaw(R"({"alg":"RS256"})", json::Write(GoodClaims()));
  EXPECT_TRUE(VerifyIdToken(token, Checks(), Keys()).ok());
  ExpectRefused(VerifyIdToken(token, Checks(), Keys({Key().PublicJwk(), OtherKey().PublicJwk()})),
                ErrorCode::kUpstreamUnavailable, "no kid");
}

TEST(IdToken, RefusesAWrongIssuer) {
  auto claims = GoodClaims();
  Set(claims, "iss", json::Value("https://idp.example/oauth2/other"));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "iss");
  // a prefix or a trailing slash is not the issuer either
  Set(claims, "iss", json::Value("https://idp.example/oauth2/default/"));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "iss");
}

TEST(IdToken, RefusesAWrongOrMissingAudience) {
  auto claims = GoodClaims();
  Set(claims, "aud", json::Value("client-2"));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "aud");
  claims.RemoveMember("aud");
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "aud");
}

TEST(IdToken, SeveralAudiencesNeedOurAzp) {
  auto claims = GoodClaims();
  json::Value aud(rapidjson::kArrayType);
  aud.PushBack("client-1", claims.GetAllocator()).PushBack("api", claims.GetAllocator());
  Set(claims, "aud", std::move(aud));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "azp");
  Set(claims, "azp", json::Value("api"));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "azp");
  Set(claims, "azp", json::Value("client-1"));
  EXPECT_TRUE(VerifyIdToken(Sign(claims), Checks(), Keys()).ok());
}

TEST(IdToken, RefusesAnExpiredToken) {
  IdTokenChecks later = Checks();
  later.now = 1800003600 + 59;  // within the skew
  EXPECT_TRUE(VerifyIdToken(Sign(GoodClaims()), later, Keys()).ok());
  later.now = 1800003600 + 60;
  ExpectRefused(VerifyIdToken(Sign(GoodClaims()), later, Keys()), ErrorCode::kUpstreamUnavailable,
                "expired");
  auto claims = GoodClaims();
  claims.RemoveMember("exp");
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "exp");
  Set(claims, "exp", json::Value("1800003600"));  // a string is not a NumericDate
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "exp");
}

TEST(IdToken, RefusesAnIatTooFarAheadOrMissing) {
  IdTokenChecks early = Checks();
  early.now = kNow - 60;  // exactly the skew: still fine
  EXPECT_TRUE(VerifyIdToken(Sign(GoodClaims()), early, Keys()).ok());
  early.now = kNow - 61;
  ExpectRefused(VerifyIdToken(Sign(GoodClaims()), early, Keys()), ErrorCode::kUpstreamUnavailable,
                "future");
  auto claims = GoodClaims();
  claims.RemoveMember("iat");
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "iat");
}

TEST(IdToken, RefusesAMissingOrWrongNonce) {
  IdTokenChecks other = Checks();
  other.nonce = "n-456";
  ExpectRefused(VerifyIdToken(Sign(GoodClaims()), other, Keys()), ErrorCode::kInvalidArgument,
                "nonce");
  auto claims = GoodClaims();
  claims.RemoveMember("nonce");
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kInvalidArgument,
                "nonce");
  IdTokenChecks none_sent = Checks();
  none_sent.nonce = "";
  Set(claims, "nonce", json::Value(""));
  ExpectRefused(VerifyIdToken(Sign(claims), none_sent, Keys()), ErrorCode::kInvalidArgument,
                "nonce");
}

TEST(IdToken, RefusesAMissingSub) {
  auto claims = GoodClaims();
  claims.RemoveMember("sub");
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "sub");
  Set(claims, "sub", json::Value(""));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "sub");
}

// OpenID Core §2 (at most 255 ASCII characters), and nothing a log or the session cookie would
// have to escape.
TEST(IdToken, RefusesASubjectThatIsNotPlainAscii) {
  auto claims = GoodClaims();
  for (std::string bad :
       {std::string(256, 'a'), std::string("00u 1"), std::string("00u\"1"), std::string("00u\\1"),
        std::string("00u\x1b[2J"), std::string("J\xc3\xbcrgen")}) {
    Set(claims, "sub", json::Value(bad.c_str(), claims.GetAllocator()));
    ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                  "sub");
  }
  Set(claims, "sub", json::Value(std::string(255, 'a').c_str(), claims.GetAllocator()));
  EXPECT_TRUE(VerifyIdToken(Sign(claims), Checks(), Keys()).ok());
  Set(claims, "sub", json::Value("auth0|5f7c8ec7c33c6c004bbafe82", claims.GetAllocator()));
  EXPECT_TRUE(VerifyIdToken(Sign(claims), Checks(), Keys()).ok());
}

// The provider's session (Back-Channel Logout 1.0 §2.4) is read when present, and held to the
// rules of a sub: it is kept in the session registry and named in logs.
TEST(IdToken, ReadsTheProvidersSessionIdWhenThereIsOne) {
  auto claims = GoodClaims();
  auto without = VerifyIdToken(Sign(claims), Checks(), Keys());
  ASSERT_TRUE(without.ok()) << without.error().detail;
  EXPECT_EQ(without->sid, "");
  Set(claims, "sid", json::Value("102oRgEWx5lRTWHilEoGfed4w"));
  auto with = VerifyIdToken(Sign(claims), Checks(), Keys());
  ASSERT_TRUE(with.ok()) << with.error().detail;
  EXPECT_EQ(with->sid, "102oRgEWx5lRTWHilEoGfed4w");
  for (const char* bad : {"", "a b", "a\"b"}) {
    Set(claims, "sid", json::Value(bad, claims.GetAllocator()));
    ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                  "sid");
  }
  Set(claims, "sid", json::Value(42));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "sid");
}

TEST(IdToken, RefusesMalformedBase64OrJson) {
  std::string good = Sign(GoodClaims());
  size_t dot = good.find('.');
  ExpectRefused(VerifyIdToken(good.substr(0, dot) + ".e30=." + good.substr(good.rfind('.') + 1),
                              Checks(), Keys()),
                ErrorCode::kUpstreamUnavailable, "malformed");  // padded base64
  ExpectRefused(VerifyIdToken(good.substr(0, dot) + ".!!!." + good.substr(good.rfind('.') + 1),
                              Checks(), Keys()),
                ErrorCode::kUpstreamUnavailable, "malformed");
  ExpectRefused(
      VerifyIdToken(SignRaw(R"({"alg":"RS256","kid":"key-1"})", R"({"sub":)"), Checks(), Keys()),
      ErrorCode::kUpstreamUnavailable, "malformed");
  ExpectRefused(VerifyIdToken("only.two", Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "malformed");
  ExpectRefused(VerifyIdToken("", Checks(), Keys()), ErrorCode::kUpstreamUnavailable, "malformed");
}

TEST(IdToken, RefusesAnOversizedToken) {
  auto claims = GoodClaims();
  Set(claims, "padding",
      json::Value(std::string(kMaxIdTokenBytes, 'x').c_str(), claims.GetAllocator()));
  ExpectRefused(VerifyIdToken(Sign(claims), Checks(), Keys()), ErrorCode::kUpstreamUnavailable,
                "larger");
}

}  // namespace
}  // namespace userdesk::oidc
