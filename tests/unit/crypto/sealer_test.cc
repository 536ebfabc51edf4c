#include "crypto/sealer.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/base64url.h"

namespace userdesk::crypto {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kOlder = "fedcba9876543210fedcba9876543210";

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

TEST(Hkdf, Rfc5869TestCase1) {
  std::string ikm(22, '\x0b');
  std::string salt;
  for (char c = 0; c <= 0x0c; ++c) salt += c;
  std::string info;
  for (int c = 0xf0; c <= 0xf9; ++c) info += static_cast<char>(c);
  EXPECT_EQ(Hex(HkdfSha256(ikm, salt, info, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Sealer, RoundTripsWithAFreshNonceEachTime) {
  Sealer sealer("user-tokens", kSecret, "");
  std::string a = sealer.Seal("the tokens", "record-1");
  std::string b = sealer.Seal("the tokens", "record-1");
  EXPECT_NE(a, b);  // a random nonce per seal
  EXPECT_TRUE(a.starts_with("v1."));
  EXPECT_EQ(a.find("the tokens"), std::string::npos);
  EXPECT_EQ(sealer.Open(a, "record-1"), "the tokens");
  EXPECT_EQ(sealer.Open(b, "record-1"), "the tokens");
  EXPECT_EQ(sealer.Open(sealer.Seal("", "record-1"), "record-1"), "");
}

TEST(Sealer, RefusesAnyChangedByte) {
  Sealer sealer("user-tokens", kSecret, "");
  std::string sealed = sealer.Seal("the tokens", "record-1");
  std::string raw = *Base64UrlDecode(sealed.substr(3));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string changed = raw;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(sealer.Open("v1." + Base64UrlEncode(changed), "record-1")) << "byte " << i;
  }
  EXPECT_FALSE(sealer.Open("v1." + Base64UrlEncode(raw.substr(0, raw.size() - 1)), "record-1"));
  EXPECT_FALSE(sealer.Open("v2." + sealed.substr(3), "record-1"));
  EXPECT_FALSE(sealer.Open(sealed.substr(3), "record-1"));
  EXPECT_FALSE(sealer.Open("v1.", "record-1"));
  EXPECT_FALSE(sealer.Open("v1.!!!", "record-1"));
  EXPECT_FALSE(sealer.Open("", "record-1"));
}

TEST(Sealer, RefusesOtherAssociatedDataPurposeOrKey) {
  Sealer sealer("user-tokens", kSecret, "");
  std::string sealed = sealer.Seal("the tokens", "record-1");
  EXPECT_FALSE(sealer.Open(sealed, "record-2"));  // a blob copied to another record
  EXPECT_FALSE(sealer.Open(sealed, ""));
  EXPECT_FALSE(Sealer("other-purpose", kSecret, "").Open(sealed, "record-1"));
  EXPECT_FALSE(Sealer("user-tokens", kOlder, "").Open(sealed, "record-1"));
}

TEST(Sealer, ThePreviousSecretOpensButNeverSeals) {
  Sealer before("user-tokens", kOlder, "");
  std::string old_blob = before.Seal("the tokens", "record-1");
  Sealer rotated("user-tokens", kSecret, kOlder);
  EXPECT_EQ(rotated.Open(old_blob, "record-1"), "the tokens");
  std::string fresh = rotated.Seal("new tokens", "record-1");
  EXPECT_FALSE(before.Open(fresh, "record-1"));  // sealed with the current secret only
  EXPECT_EQ(Sealer("user-tokens", kSecret, "").Open(fresh, "record-1"), "new tokens");
  EXPECT_FALSE(Sealer("user-tokens", kSecret, "").Open(old_blob, "record-1"));
}

}  // namespace
}  // namespace userdesk::crypto
