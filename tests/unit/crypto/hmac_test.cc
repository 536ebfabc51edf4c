#include "crypto/hmac.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"

namespace userdesk::crypto {
namespace {

TEST(Hmac, Rfc4231TestCase2) {
  std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(Base64Encode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(Hmac, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(Hmac, PreparedKeyMatchesOneShotAndIsReusable) {
  HmacSha256Key key("Jefe");
  EXPECT_EQ(key.Sign("what do ya want for nothing?"),
            HmacSha256("Jefe", "what do ya want for nothing?"));
  EXPECT_EQ(key.Sign("what do ya want for nothing?"), key.Sign("what do ya want for nothing?"));
  HmacSha256Key moved = std::move(key);
  EXPECT_EQ(Base64Encode(moved.Sign("what do ya want for nothing?")),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

}  // namespace
}  // namespace userdesk::crypto
