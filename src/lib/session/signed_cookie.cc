#include "session/signed_cookie.h"

#include "crypto/base64url.h"

namespace userdesk::session {
namespace {

constexpr std::string_view kVersion = "v1";

// A purpose-bound key: APP_SECRET may be reused elsewhere, these keys are not.
crypto::HmacSha256Key DeriveKey(std::string_view purpose, const std::string& secret) {
  return crypto::HmacSha256Key(
      crypto::HmacSha256(secret, "userdesk " + std::string(purpose) + " cookie key v1"));
}

}  // namespace

SignedCookieCodec::SignedCookieCodec(std::string_view purpose, const std::string& secret,
                                     const std::string& previous_secret)
    : purpose_(purpose),
      key_(DeriveKey(purpose, secret)),
      previous_key_(previous_secret.empty() ? std::nullopt
                                            : std::optional<crypto::HmacSha256Key>(
                                                  DeriveKey(purpose, previous_secret))) {}

std::string SignedCookieCodec::MacInput(std::string_view cookie_name,
                                        std::string_view payload) const {
  std::string input = "userdesk-" + purpose_ + "|";
  input.append(kVersion).append("|").append(cookie_name).append("|").append(payload);
  return input;
}

std::string SignedCookieCodec::Sign(std::string_view cookie_name, std::string_view payload) const {
  std::string encoded = crypto::Base64UrlEncode(payload);
  std::string mac = crypto::Base64UrlEncode(key_.Sign(MacInput(cookie_name, encoded)));
  return std::string(kVersion) + "." + encoded + "." + mac;
}

std::optional<std::string> SignedCookieCodec::Verify(std::string_view cookie_name,
                                                     std::string_view value) const {
  size_t first = value.find('.');
  size_t last = value.rfind('.');
  if (first == std::string_view::npos || first == last) return std::nullopt;
  if (value.substr(0, first) != kVersion) return std::nullopt;
  std::string_view encoded = value.substr(first + 1, last - first - 1);
  auto mac = crypto::Base64UrlDecode(value.substr(last + 1));
  if (!mac) return std::nullopt;
  std::string input = MacInput(cookie_name, encoded);
  bool valid = crypto::ConstantTimeEquals(*mac, key_.Sign(input)) ||
               (previous_key_ && crypto::ConstantTimeEquals(*mac, previous_key_->Sign(input)));
  if (!valid) return std::nullopt;
  auto payload = crypto::Base64UrlDecode(encoded);
  if (!payload) return std::nullopt;
  return std::move(*payload);
}

}  // namespace userdesk::session
