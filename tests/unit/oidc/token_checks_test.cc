// The steps the ID token and the logout token share. Each verifier's own tests
// (id_token_test.cc, logout_token_test.cc) cover them through the whole check; these pin the
// pieces' contracts.
#include "oidc/token_checks.h"

#include <gtest/gtest.h>

#include "jose/jws.h"
#include "json/json.h"

namespace userdesk::oidc {
namespace {

json::Document Claims(const std::string& text) { return std::move(*json::ParseObject(text)); }

TEST(TokenChecks, VerifySignedTokenPassesOnTheKeyLookupsOwnError) {
  auto key = jose::RsaPrivateKey::Generate(2048, "k");
  ASSERT_TRUE(key.ok());
  std::string token = *jose::SignRs256(**key, R"({"sub":"a"})");
  std::string asked_kid;
  KeyLookup down =
      [&](std::string_view kid) -> Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>> {
    asked_kid = std::string(kid);
    return MakeError(ErrorCode::kDeadlineExceeded, "jwks timed out");
  };
  auto r = VerifySignedToken(token, {"RS256"}, down);
  ASSERT_FALSE(r.ok());
  ASSERT_TRUE(r.error().keys_unavailable.has_value());
  EXPECT_EQ(r.error().keys_unavailable->code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(asked_kid, "k");

  auto keys = std::make_shared<const std::vector<jose::RsaPublicJwk>>(
      std::vector<jose::RsaPublicJwk>{(*key)->PublicJwk()});
  KeyLookup up = [keys](std::string_view) {
    return Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>>(keys);
  };
  auto ok = VerifySignedToken(token, {"RS256"}, up);
  ASSERT_TRUE(ok.ok()) << ok.error().why;
  EXPECT_EQ(json::GetString(ok->payload, "sub"), "a");
  auto malformed = VerifySignedToken("a.b", {"RS256"}, up);
  ASSERT_FALSE(malformed.ok());
  EXPECT_FALSE(malformed.error().keys_unavailable.has_value());
  EXPECT_NE(malformed.error().why.find("malformed"), std::string::npos);
}

TEST(TokenChecks, NumericDateTakesSecondsAndTruncatesFractions) {
  auto c = Claims(R"({"a":1800000000,"b":1800000000.9,"c":"1800000000","d":-1})");
  EXPECT_EQ(NumericDate(c, "a"), 1800000000);
  EXPECT_EQ(NumericDate(c, "b"), 1800000000);
  EXPECT_EQ(NumericDate(c, "c"), std::nullopt);
  EXPECT_EQ(NumericDate(c, "d"), std::nullopt);
  EXPECT_EQ(NumericDate(c, "missing"), std::nullopt);
}

TEST(TokenChecks, AudienceMustContainUsAndAzpMustBeUs) {
  EXPECT_EQ(AudienceProblem(Claims(R"({"aud":"c1"})"), "c1"), std::nullopt);
  EXPECT_EQ(AudienceProblem(Claims(R"({"aud":["c1","c2"],"azp":"c1"})"), "c1"), std::nullopt);
  EXPECT_TRUE(AudienceProblem(Claims(R"({"aud":["c1","c2"]})"), "c1").has_value());
  EXPECT_TRUE(AudienceProblem(Claims(R"({"aud":"c1","azp":"c2"})"), "c1").has_value());
  EXPECT_TRUE(AudienceProblem(Claims(R"({"aud":"c2"})"), "c1").has_value());
  EXPECT_TRUE(AudienceProblem(Claims(R"({"aud":7})"), "c1").has_value());
  EXPECT_TRUE(AudienceProblem(Claims(R"({})"), "c1").has_value());
}

TEST(TokenChecks, IdentifiersArePlainPrintableAscii) {
  EXPECT_TRUE(PlainIdentifier("00u1a2b3c4D5e6F7g8h9"));
  EXPECT_TRUE(PlainIdentifier(std::string(255, 'a')));
  EXPECT_FALSE(PlainIdentifier(std::string(256, 'a')));
  for (const char* bad : {"", "a b", "a\"b", "a\\b", "a\tb", "J\xc3\xbcrgen"}) {
    EXPECT_FALSE(PlainIdentifier(bad)) << bad;
  }
  auto c = Claims(R"({"sid":"s-1","bad":"s 1","num":1})");
  EXPECT_EQ(IdentifierClaim(c, "sid"), "s-1");
  EXPECT_EQ(IdentifierClaim(c, "missing"), "");
  EXPECT_EQ(IdentifierClaim(c, "bad"), std::nullopt);
  EXPECT_EQ(IdentifierClaim(c, "num"), std::nullopt);
}

}  // namespace
}  // namespace userdesk::oidc
