#include "session/session_cookie.h"

#include <chrono>

#include "crypto/base64url.h"
#include "crypto/hmac.h"
#include "json/json.h"

namespace userdesk::session {
namespace {

constexpr std::string_view kVersion = "v1";

// A purpose-bound key: APP_SECRET may be reused elsewhere, the session key is not.
crypto::HmacSha256Key DeriveKey(const std::string& secret) {
  return crypto::HmacSha256Key(crypto::HmacSha256(secret, "userdesk session cookie key v1"));
}

std::string ToJson(const Session& s) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  d.AddMember("sub", json::Str(s.sub, a), a);
  d.AddMember("name", json::Str(s.name, a), a);
  d.AddMember("csrf", json::Str(s.csrf, a), a);
  if (!s.id_token.empty()) d.AddMember("idt", json::Str(s.id_token, a), a);
  d.AddMember("iat", s.issued_at, a);
  d.AddMember("exp", s.expires_at, a);
  return json::Write(d);
}

std::optional<Session> FromJson(std::string_view text) {
  auto d = json::ParseObject(text);
  if (!d) return std::nullopt;
  auto sub = json::GetString(*d, "sub");
  auto iat = json::GetInt(*d, "iat");
  auto exp = json::GetInt(*d, "exp");
  if (!sub || sub->empty() || !iat || !exp) return std::nullopt;
  Session s;
  s.sub = *sub;
  s.name = json::GetString(*d, "name").value_or("");
  s.csrf = json::GetString(*d, "csrf").value_or("");
  s.id_token = json::GetString(*d, "idt").value_or("");
  s.issued_at = *iat;
  s.expires_at = *exp;
  return s;
}

}  // namespace

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SessionCodec::SessionCodec(const CodecOptions& options)
    : key_(DeriveKey(options.secret)),
      previous_key_(options.previous_secret.empty()
                        ? std::nullopt
                        : std::optional<crypto::HmacSha256Key>(DeriveKey(options.previous_secret))),
      https_(options.https),
      max_clock_skew_(options.max_clock_skew),
      // RFC 6265bis __Host-: only accepted with Secure, Path=/ and no Domain
      cookie_name_(options.https ? "__Host-userdesk_session" : "userdesk_session") {}

std::string SessionCodec::MacInput(std::string_view payload) const {
  std::string input = "userdesk-session|";
  input.append(kVersion).append("|").append(cookie_name_).append("|").append(payload);
  return input;
}

std::string SessionCodec::Encode(const Session& session) const {
  std::string payload = crypto::Base64UrlEncode(ToJson(session));
  return std::string(kVersion) + "." + payload + "." +
         crypto::Base64UrlEncode(key_.Sign(MacInput(payload)));
}

std::optional<Session> SessionCodec::Decode(std::string_view value, int64_t now) const {
  size_t first = value.find('.');
  size_t last = value.rfind('.');
  if (first == std::string_view::npos || first == last) return std::nullopt;
  if (value.substr(0, first) != kVersion) return std::nullopt;
  std::string_view payload = value.substr(first + 1, last - first - 1);
  auto mac = crypto::Base64UrlDecode(value.substr(last + 1));
  if (!mac) return std::nullopt;
  std::string input = MacInput(payload);
  bool valid = crypto::ConstantTimeEquals(*mac, key_.Sign(input)) ||
               (previous_key_ && crypto::ConstantTimeEquals(*mac, previous_key_->Sign(input)));
  if (!valid) return std::nullopt;
  auto text = crypto::Base64UrlDecode(payload);
  if (!text) return std::nullopt;
  auto session = FromJson(*text);
  if (!session) return std::nullopt;
  if (session->expires_at <= now || session->issued_at > now + max_clock_skew_) return std::nullopt;
  return session;
}

http::SetCookie SessionCodec::IssueCookie(const Session& session, int64_t now) const {
  http::SetCookie c;
  c.name = cookie_name_;
  c.value = Encode(session);
  c.max_age = session.expires_at > now ? session.expires_at - now : 0;
  c.secure = https_;
  return c;
}

http::SetCookie SessionCodec::ClearCookie() const {
  http::SetCookie c;
  c.name = cookie_name_;
  c.value = "";
  c.max_age = 0;
  c.secure = https_;
  return c;
}

}  // namespace userdesk::session
