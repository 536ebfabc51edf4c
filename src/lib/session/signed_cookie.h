// Signed cookie values shared by every cookie userdesk sets (the session, sign-in transactions,
// the anonymous forms' CSRF cookie): "v1.<payload>.<mac>", payload base64url, mac
// base64url HMAC-SHA256 over "userdesk-<purpose>|v1|<cookie name>|<payload>". The key is derived
// from APP_SECRET per purpose, so a value signed for one purpose or cookie name never verifies as
// another. APP_SECRET_PREVIOUS still verifies during a rotation but never signs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/hmac.h"

namespace userdesk::session {

class SignedCookieCodec {
 public:
  // purpose is a short fixed word such as "session" or "login".
  SignedCookieCodec(std::string_view purpose, const std::string& secret,
                    const std::string& previous_secret);

  // The cookie value carrying payload (any bytes; typically JSON).
  std::string Sign(std::string_view cookie_name, std::string_view payload) const;
  // The payload of an intact value signed for this purpose and cookie name, else nullopt.
  std::optional<std::string> Verify(std::string_view cookie_name, std::string_view value) const;

 private:
  std::string MacInput(std::string_view cookie_name, std::string_view payload) const;

  std::string purpose_;
  crypto::HmacSha256Key key_;
  std::optional<crypto::HmacSha256Key> previous_key_;
};

}  // namespace userdesk::session
