#include "crypto/base64url.h"

#include <gtest/gtest.h>

#include "crypto/random.h"

namespace userdesk::crypto {
namespace {

TEST(Base64Url, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RoundTripsEveryLength) {
  for (size_t n = 0; n < 40; n++) {
    std::string bytes = RandomBytes(n);
    auto back = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(back.has_value()) << n;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Base64Url, RejectsNonAlphabetAndPadding) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());
  EXPECT_FALSE(Base64UrlDecode("Z+8").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9v Yg").has_value());
  EXPECT_FALSE(Base64UrlDecode("A").has_value());
  EXPECT_FALSE(Base64Decode("Zm9vYg=").has_value());
  EXPECT_FALSE(Base64Decode(" Zm9").has_value());
}

// RFC 4648 §3.5: the bits of the last character that carry no data must be zero. "Zg" is "f"
// (011001 10|0000); "Zh", "Zi" ... "Zv" spell the same byte with other spare bits.
TEST(Base64Url, RefusesNonZeroTrailingBits) {
  EXPECT_EQ(Base64UrlDecode("Zg"), "f");
  for (const char* respelled : {"Zh", "Zi", "Zj", "Zk", "Zv"}) {
    EXPECT_FALSE(Base64UrlDecode(respelled).has_value()) << respelled;
  }
  EXPECT_EQ(Base64UrlDecode("Zm8"), "fo");  // 2 spare bits: "Zm9", "Zm-", "Zm_" differ only there
  for (const char* respelled : {"Zm9", "Zm-", "Zm_"}) {
    EXPECT_FALSE(Base64UrlDecode(respelled).has_value()) << respelled;
  }
  EXPECT_FALSE(Base64Decode("Zh==").has_value());
  EXPECT_FALSE(Base64Decode("Zm9=").has_value());
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
}

TEST(Base64Url, EveryByteStringHasExactlyOneAcceptedText) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t n : {1u, 2u, 31u, 32u}) {  // 32: an HMAC-SHA256, as in our cookies' MAC
    std::string bytes = RandomBytes(n);
    std::string text = Base64UrlEncode(bytes);
    size_t accepted = 0;
    for (char c : alphabet) {
      std::string other = text;
      other.back() = c;
      auto back = Base64UrlDecode(other);
      if (back && *back == bytes) accepted++;
    }
    EXPECT_EQ(accepted, 1u) << n << " bytes";
  }
}

}  // namespace
}  // namespace userdesk::crypto
