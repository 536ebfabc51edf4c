// The signed value every userdesk cookie carries: what it signs, what it refuses, and how a
// rotation of APP_SECRET goes.
#include "session/signed_cookie.h"

#include <gtest/gtest.h>

#include <string>

namespace userdesk::session {
namespace {

constexpr char kSecret[] = "0123456789abcdef-current";
constexpr char kOldSecret[] = "0123456789abcdef-previous";

TEST(SignedCookie, APayloadComesBackAsItWent) {
  SignedCookieCodec codec("session", kSecret, "");
  for (std::string payload :
       {std::string(), std::string("{\"sub\":\"00u1\"}"), std::string("\0\xff.bytes.", 9)}) {
    std::string value = codec.Sign("userdesk_session", payload);
    EXPECT_EQ(value.rfind("v1.", 0), 0u) << value;
    EXPECT_EQ(codec.Verify("userdesk_session", value), payload);
  }
}

TEST(SignedCookie, AnyChangedCharacterIsRefused) {
  SignedCookieCodec codec("session", kSecret, "");
  std::string value = codec.Sign("userdesk_session", "{\"sub\":\"00u1\"}");
  for (size_t i = 0; i < value.size(); i++) {
    std::string changed = value;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(codec.Verify("userdesk_session", changed), std::nullopt) << i;
  }
}

TEST(SignedCookie, AValueSignedForAnotherCookieOrPurposeOrKeyIsRefused) {
  SignedCookieCodec session("session", kSecret, "");
  std::string value = session.Sign("userdesk_session", "payload");
  EXPECT_EQ(session.Verify("userdesk_login", value), std::nullopt);
  EXPECT_EQ(SignedCookieCodec("form", kSecret, "").Verify("userdesk_session", value), std::nullopt);
  EXPECT_EQ(
      SignedCookieCodec("session", "another-secret-0123456", "").Verify("userdesk_session", value),
      std::nullopt);
}

TEST(SignedCookie, ThePreviousSecretStillVerifiesButNeverSigns) {
  SignedCookieCodec before("session", kOldSecret, "");
  SignedCookieCodec during("session", kSecret, kOldSecret);
  std::string old_value = before.Sign("userdesk_session", "payload");
  EXPECT_EQ(during.Verify("userdesk_session", old_value), "payload");
  std::string new_value = during.Sign("userdesk_session", "payload");
  EXPECT_EQ(before.Verify("userdesk_session", new_value), std::nullopt);
  EXPECT_EQ(SignedCookieCodec("session", kSecret, "").Verify("userdesk_session", new_value),
            "payload");
}

TEST(SignedCookie, MalformedValuesAreRefused) {
  SignedCookieCodec codec("session", kSecret, "");
  std::string good = codec.Sign("userdesk_session", "payload");
  std::string mac = good.substr(good.rfind('.') + 1);
  for (const std::string& value :
       {std::string(), std::string("v1"), std::string("v1."), std::string("v1.."),
        std::string("v2") + good.substr(2), "v1.cGF5bG9hZA." + mac + "=", "v1.cGF5bG9hZA==." + mac,
        good + ".extra", std::string("garbage")}) {
    EXPECT_EQ(codec.Verify("userdesk_session", value), std::nullopt) << value;
  }
}

}  // namespace
}  // namespace userdesk::session
