#include "jose/jws.h"

#include <gtest/gtest.h>

#include <random>

#include "crypto/base64url.h"
#include "crypto/hmac.h"

namespace userdesk::jose {
namespace {

const RsaPrivateKey& KeyA() {
  static const auto* key = RsaPrivateKey::Generate(2048, "kid-a")->release();
  return *key;
}
const RsaPrivateKey& KeyB() {
  static const auto* key = RsaPrivateKey::Generate(2048, "kid-b")->release();
  return *key;
}
std::vector<RsaPublicJwk> Keys() { return {KeyA().PublicJwk(), KeyB().PublicJwk()}; }

std::string B64(std::string_view s) { return crypto::Base64UrlEncode(s); }

std::string Signed(const RsaPrivateKey& key, std::string_view payload) {
  auto token = SignRs256(key, payload);
  EXPECT_TRUE(token.ok());
  return *token;
}

// Re-signs a header/payload pair with key A, whatever the header says.
std::string ResignedWithHeader(std::string_view header_json, std::string_view payload) {
  std::string input = B64(header_json) + "." + B64(payload);
  return input + "." + B64(*KeyA().SignRs256(input));
}

TEST(Jws, RoundTripSelectsKeyByKid) {
  std::string token = Signed(KeyB(), R"({"sub":"00u1","iss":"x"})");
  auto jws = VerifyRs256(token, Keys());
  ASSERT_TRUE(jws.ok()) << jws.error().detail;
  EXPECT_EQ(json::GetString(jws->header, "alg"), "RS256");
  EXPECT_EQ(json::GetString(jws->header, "kid"), "kid-b");
  EXPECT_EQ(json::GetString(jws->payload, "sub"), "00u1");
}

TEST(Jws, RefusesTamperedPayload) {
  std::string token = Signed(KeyA(), R"({"sub":"00u1"})");
  size_t first = token.find('.');
  size_t second = token.find('.', first + 1);
  std::string forged = token.substr(0, first + 1) + B64(R"({"sub":"00u2"})") + token.substr(second);
  auto result = VerifyRs256(forged, Keys());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated);
}

TEST(Jws, RefusesTamperedSignature) {
  std::string token = Signed(KeyA(), R"({"sub":"00u1"})");
  std::string sig = *crypto::Base64UrlDecode(token.substr(token.rfind('.') + 1));
  sig[10] ^= 0x01;
  std::string forged = token.substr(0, token.rfind('.') + 1) + B64(sig);
  EXPECT_FALSE(VerifyRs256(forged, Keys()).ok());
}

TEST(Jws, RefusesAlgNone) {
  std::string token = B64(R"({"alg":"none","kid":"kid-a"})") + "." + B64(R"({"sub":"x"})") + ".";
  EXPECT_FALSE(VerifyRs256(token, Keys()).ok());
  // even with a (meaningless) signature part present
  EXPECT_FALSE(VerifyRs256(token + "c2ln", Keys()).ok());
}

TEST(Jws, RefusesHs256KeyedWithThePublicKey) {
  // The classic confusion attack: HMAC keyed with the published modulus.
  std::string input = B64(R"({"alg":"HS256","kid":"kid-a"})") + "." + B64(R"({"sub":"x"})");
  std::string mac = crypto::HmacSha256(KeyA().PublicJwk().n, input);
  EXPECT_FALSE(VerifyRs256(input + "." + B64(mac), Keys()).ok());
}

TEST(Jws, RefusesUnknownOrMissingKid) {
  EXPECT_FALSE(
      VerifyRs256(ResignedWithHeader(R"({"alg":"RS256","kid":"other"})", "{}"), Keys()).ok());
  EXPECT_FALSE(VerifyRs256(ResignedWithHeader(R"({"alg":"RS256"})", "{}"), Keys()).ok());
  // signed by A but claiming B's kid
  EXPECT_FALSE(
      VerifyRs256(ResignedWithHeader(R"({"alg":"RS256","kid":"kid-b"})", "{}"), Keys()).ok());
  EXPECT_TRUE(
      VerifyRs256(ResignedWithHeader(R"({"alg":"RS256","kid":"kid-a"})", "{}"), Keys()).ok());
}

TEST(Jws, RefusesCritHeader) {
  std::string token = ResignedWithHeader(R"({"alg":"RS256","kid":"kid-a","crit":["exp"]})", "{}");
  EXPECT_FALSE(VerifyRs256(token, Keys()).ok());
}

TEST(Jws, RefusesKeysMarkedForAnotherAlgOrUse) {
  std::string token = Signed(KeyA(), "{}");
  RsaPublicJwk key = KeyA().PublicJwk();
  key.use = "enc";
  EXPECT_FALSE(VerifyRs256(token, {key}).ok());
  key.use = "";
  key.alg = "RS512";
  EXPECT_FALSE(VerifyRs256(token, {key}).ok());
  key.alg = "";
  EXPECT_TRUE(VerifyRs256(token, {key}).ok());
}

TEST(Jws, MalformedTokensAreInvalidArgument) {
  for (std::string_view bad : {"", "a.b", "a.b.c.d", "!!.e30.c2ln", "e30.e30.c2ln="}) {
    auto result = VerifyRs256(bad, Keys());
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

// A poor man's fuzz pass (also run under ASan by `make asan`): no single-byte change to a good
// token is ever accepted, and parsing the damage never crashes.
TEST(Jws, NoSingleByteMutationVerifies) {
  std::string token = Signed(KeyA(), R"({"sub":"00u1","aud":"x","exp":1})");
  std::mt19937 rng(7);
  const std::string alphabet("AZaz09-_.=+/ \x00\xff{}\"", 18);
  for (int i = 0; i < 3000; i++) {
    std::string mutated = token;
    size_t pos = rng() % mutated.size();
    char c = alphabet[rng() % alphabet.size()];
    if (mutated[pos] == c) continue;
    mutated[pos] = c;
    EXPECT_FALSE(VerifyRs256(mutated, Keys()).ok()) << mutated;
  }
}

TEST(JwsVerifyRsa, FollowsTheCallersAllowList) {
  std::string input = B64(R"({"alg":"RS512","kid":"kid-a"})") + "." + B64(R"({"sub":"x"})");
  std::string rs512 = input + "." + B64(*KeyA().SignRsa("SHA512", input));
  RsaPublicJwk any_alg = KeyA().PublicJwk();
  any_alg.alg = "";  // a JWKS key that does not pin its algorithm
  EXPECT_TRUE(VerifyRsa(rs512, {any_alg}, {"RS256", "RS512"}).ok());
  EXPECT_FALSE(VerifyRsa(rs512, {any_alg}, {"RS256"}).ok());
  // a key published for RS256 only never verifies RS512 (RFC 7517 §4.4)
  EXPECT_FALSE(VerifyRsa(rs512, Keys(), {"RS256", "RS512"}).ok());
  // the header's alg must match the digest actually used
  std::string lying = input + "." + B64(*KeyA().SignRsa("SHA256", input));
  EXPECT_FALSE(VerifyRsa(lying, {any_alg}, {"RS256", "RS512"}).ok());
  // an allow-list can never turn on an algorithm the verifier does not implement
  std::string hs = B64(R"({"alg":"HS256","kid":"kid-a"})") + "." + B64("{}");
  hs += "." + B64(crypto::HmacSha256(KeyA().PublicJwk().n, hs));
  EXPECT_FALSE(VerifyRsa(hs, Keys(), {"HS256"}).ok());
  EXPECT_FALSE(VerifyRsa(B64(R"({"alg":"none"})") + "." + B64("{}") + ".", Keys(), {"none"}).ok());
}

TEST(JwsVerifyRsa, WithoutKidOnlyASingleFittingKeyIsUsed) {
  std::string token = ResignedWithHeader(R"({"alg":"RS256"})", R"({"sub":"x"})");
  EXPECT_TRUE(VerifyRsa(token, {KeyA().PublicJwk()}, {"RS256"}).ok());
  EXPECT_FALSE(VerifyRsa(token, Keys(), {"RS256"}).ok());  // two keys: refuse, never guess
  EXPECT_FALSE(VerifyRsa(token, {KeyB().PublicJwk()}, {"RS256"}).ok());
  std::string numeric_kid = ResignedWithHeader(R"({"alg":"RS256","kid":7})", "{}");
  EXPECT_FALSE(VerifyRsa(numeric_kid, {KeyA().PublicJwk()}, {"RS256"}).ok());
}

}  // namespace
}  // namespace userdesk::jose
