#include "jose/jwt.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

std::string B64(std::string_view s) { return crypto::Base64UrlEncode(s); }

std::string Token(std::string_view header, std::string_view payload, std::string_view sig = "s") {
  return B64(header) + "." + B64(payload) + "." + B64(sig);
}

TEST(ParseCompact, ReadsHeaderPayloadAndSigningInput) {
  std::string token = Token(R"({"alg":"RS256","kid":"k"})", R"({"sub":"00u1"})", "sig");
  auto jws = ParseCompact(token);
  ASSERT_TRUE(jws.ok()) << jws.error().detail;
  EXPECT_EQ(json::GetString(jws->header, "kid"), "k");
  EXPECT_EQ(json::GetString(jws->payload, "sub"), "00u1");
  EXPECT_EQ(jws->signature, "sig");
  EXPECT_EQ(jws->signing_input, token.substr(0, token.rfind('.')));
}

TEST(ParseCompact, RefusesWrongPartCounts) {
  std::string good = Token(R"({"alg":"RS256"})", "{}");
  EXPECT_FALSE(ParseCompact("").ok());
  EXPECT_FALSE(ParseCompact("abc").ok());
  EXPECT_FALSE(ParseCompact(good.substr(0, good.rfind('.'))).ok());
  EXPECT_FALSE(ParseCompact(good + ".x").ok());
  EXPECT_FALSE(ParseCompact(good + "..x.y").ok());
  EXPECT_FALSE(ParseCompact(good.substr(0, good.rfind('.') + 1)).ok());  // empty signature
}

TEST(ParseCompact, RefusesNonCanonicalBase64Url) {
  std::string header = B64(R"({"alg":"RS256"})");
  std::string payload = B64("{}");
  EXPECT_FALSE(ParseCompact(header + "=." + payload + ".c2ln").ok());
  EXPECT_FALSE(ParseCompact(header + "." + payload + ".c2ln=").ok());
  EXPECT_FALSE(ParseCompact(header + "." + payload + ".c2l+").ok());
  EXPECT_FALSE(ParseCompact(header + "." + payload + ".c2 l").ok());
  // "c2k" is "si"; "c2l" decodes to the same bytes but with non-zero trailing bits
  EXPECT_TRUE(ParseCompact(header + "." + payload + ".c2k").ok());
  EXPECT_FALSE(ParseCompact(header + "." + payload + ".c2l").ok());
}

TEST(ParseCompact, RefusesNonObjectsAndDuplicateMembers) {
  EXPECT_FALSE(ParseCompact(Token("[]", "{}")).ok());
  EXPECT_FALSE(ParseCompact(Token(R"({"alg":"RS256"})", "\"x\"")).ok());
  EXPECT_FALSE(ParseCompact(Token(R"({"alg":"RS256"})", "{bad")).ok());
  EXPECT_FALSE(ParseCompact(Token(R"({"alg":"RS256","alg":"none"})", "{}")).ok());
  EXPECT_FALSE(ParseCompact(Token(R"({"alg":"RS256"})", R"({"aud":"a","aud":"b"})")).ok());
}

TEST(ParseCompact, RefusesOversizedTokens) {
  std::string payload = R"({"x":")" + std::string(kMaxCompactJwsBytes, 'a') + "\"}";
  EXPECT_FALSE(ParseCompact(Token(R"({"alg":"RS256"})", payload)).ok());
}

}  // namespace
}  // namespace userdesk::jose
