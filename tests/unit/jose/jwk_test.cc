#include "jose/jwk.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"

namespace userdesk::jose {
namespace {

const RsaPrivateKey& TestKey() {
  static const auto* key = RsaPrivateKey::Generate(2048, "kid-1")->release();
  return *key;
}

TEST(Jwk, PublicJwkHasRsaFields) {
  RsaPublicJwk jwk = TestKey().PublicJwk();
  EXPECT_EQ(jwk.kid, "kid-1");
  EXPECT_EQ(jwk.alg, "RS256");
  EXPECT_EQ(jwk.use, "sig");
  EXPECT_EQ(jwk.e, "AQAB");
  auto n = crypto::Base64UrlDecode(jwk.n);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->size(), 256u);
}

TEST(Jwk, JwksJsonCarriesExactlyTheOktaMembers) {
  std::string text = JwksToJson({TestKey().PublicJwk()});
  auto doc = json::ParseObject(text);
  ASSERT_TRUE(doc.has_value());
  const json::Value* keys = json::GetArray(*doc, "keys");
  ASSERT_NE(keys, nullptr);
  ASSERT_EQ(keys->Size(), 1u);
  const json::Value& key = (*keys)[0];
  EXPECT_EQ(key.MemberCount(), 6u);
  EXPECT_EQ(json::GetString(key, "kty"), "RSA");
  EXPECT_EQ(json::GetString(key, "alg"), "RS256");
  EXPECT_EQ(json::GetString(key, "use"), "sig");
  EXPECT_EQ(json::GetString(key, "kid"), "kid-1");
  EXPECT_EQ(json::GetString(key, "e"), "AQAB");
  EXPECT_TRUE(json::GetString(key, "n").has_value());
}

TEST(Jwk, ParseJwksRoundTripsAndSkipsForeignKeys) {
  std::string rsa = JwksToJson({TestKey().PublicJwk()});
  std::string text = R"({"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},)" +
                     rsa.substr(9, rsa.size() - 11) + "]}";
  auto keys = ParseJwks(text);
  ASSERT_TRUE(keys.ok()) << keys.error().detail;
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].n, TestKey().PublicJwk().n);
}

TEST(Jwk, ParseJwksRefusesMalformedDocuments) {
  EXPECT_FALSE(ParseJwks("").ok());
  EXPECT_FALSE(ParseJwks("[]").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":{}})").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[{"kty":"RSA","n":"a+b","e":"AQAB"}]})").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[{"kty":"RSA","e":"AQAB"}]})").ok());
}

TEST(Jwk, VerifyRefusesShortModulus) {
  RsaPublicJwk jwk = TestKey().PublicJwk();
  jwk.n = crypto::Base64UrlEncode(crypto::Base64UrlDecode(jwk.n)->substr(0, 128));
  auto sig = TestKey().SignRs256("data");
  ASSERT_TRUE(sig.ok());
  EXPECT_FALSE(VerifyRs256Signature(jwk, "data", *sig));
}

TEST(Jwk, PemRoundTripKeepsTheKey) {
  std::string pem = TestKey().ToPem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto back = RsaPrivateKey::FromPem(pem, "kid-1");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ((*back)->PublicJwk().n, TestKey().PublicJwk().n);
  auto sig = (*back)->SignRs256("x");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(VerifyRs256Signature(TestKey().PublicJwk(), "x", *sig));
  EXPECT_FALSE(RsaPrivateKey::FromPem("not a pem", "k").ok());
  EXPECT_FALSE(RsaPrivateKey::FromPem(pem.substr(0, pem.size() / 2), "k").ok());
}

TEST(Jwk, GenerateRefusesSmallKeys) { EXPECT_FALSE(RsaPrivateKey::Generate(1024, "k").ok()); }

TEST(Jwk, SignatureVerifiesOnlyForTheSignedData) {
  auto sig = TestKey().SignRs256("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 256u);
  EXPECT_TRUE(VerifyRs256Signature(TestKey().PublicJwk(), "hello", *sig));
  EXPECT_FALSE(VerifyRs256Signature(TestKey().PublicJwk(), "hellO", *sig));
}

}  // namespace
}  // namespace userdesk::jose
