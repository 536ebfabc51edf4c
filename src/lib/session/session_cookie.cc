#include "session/session_cookie.h"

#include <algorithm>
#include <chrono>

#include "base/strings.h"
#include "crypto/random.h"
#include "json/json.h"

namespace userdesk::session {
namespace {

std::string ToJson(const Session& s) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  d.AddMember("sub", json::Str(s.sub, a), a);
  d.AddMember("name", json::Str(CleanDisplayName(s.name), a), a);
  d.AddMember("csrf", json::Str(s.csrf, a), a);
  if (!s.sid.empty()) d.AddMember("sid", json::Str(s.sid, a), a);
  if (!s.id_token.empty()) d.AddMember("idt", json::Str(s.id_token, a), a);
  d.AddMember("iat", s.issued_at, a);
  d.AddMember("exp", s.expires_at, a);
  d.AddMember("rat", s.refreshed_at, a);
  if (s.authenticated_at != s.issued_at) d.AddMember("aat", s.authenticated_at, a);
  if (s.profile_updated_ms > 0) d.AddMember("pu", s.profile_updated_ms, a);
  return json::Write(d);
}

std::optional<Session> FromJson(std::string_view text) {
  auto d = json::ParseObject(text);
  if (!d) return std::nullopt;
  auto sub = json::GetString(*d, "sub");
  auto iat = json::GetInt(*d, "iat");
  auto exp = json::GetInt(*d, "exp");
  auto rat = json::GetInt(*d, "rat");
  if (!sub || sub->empty() || !iat || !exp || !rat) return std::nullopt;
  Session s;
  s.sub = *sub;
  s.name = CleanDisplayName(json::GetString(*d, "name").value_or(""));
  s.csrf = json::GetString(*d, "csrf").value_or("");
  s.sid = json::GetString(*d, "sid").value_or("");
  s.id_token = json::GetString(*d, "idt").value_or("");
  s.issued_at = *iat;
  s.expires_at = *exp;
  s.refreshed_at = *rat;
  s.authenticated_at = json::GetInt(*d, "aat").value_or(*iat);
  s.profile_updated_ms = std::max<int64_t>(0, json::GetInt(*d, "pu").value_or(0));
  return s;
}

}  // namespace

std::string CleanDisplayName(std::string_view name) {
  std::string kept;
  kept.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    size_t start = i;
    auto cp = NextCodePoint(name, &i);
    if (cp && !IsControlCodePoint(*cp) && !IsBidiControl(*cp)) {
      kept.append(name.substr(start, i - start));
    }
  }
  return std::string(TrimSpace(Utf8Prefix(TrimSpace(kept), kMaxDisplayNameChars)));
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SessionCodec::SessionCodec(const CodecOptions& options)
    : signer_("session", options.secret, options.previous_secret),
      https_(options.https),
      max_clock_skew_(options.max_clock_skew),
      idle_seconds_(options.idle_seconds),
      absolute_seconds_(options.absolute_seconds),
      // RFC 6265bis __Host-: only accepted with Secure, Path=/ and no Domain
      cookie_name_(options.https ? "__Host-userdesk_session" : "userdesk_session") {}

Session SessionCodec::Start(std::string sub, std::string name, std::string id_token,
                            int64_t now) const {
  Session s;
  s.sub = std::move(sub);
  s.name = CleanDisplayName(name);
  s.id_token = std::move(id_token);
  s.csrf = crypto::RandomToken(32);
  s.sid = crypto::RandomToken(16);
  s.issued_at = now;
  s.authenticated_at = now;
  s.refreshed_at = now;
  s.expires_at = now + absolute_seconds_;
  return s;
}

std::string SessionCodec::Encode(const Session& session) const {
  return signer_.Sign(cookie_name_, ToJson(session));
}

std::optional<Session> SessionCodec::Decode(std::string_view value, int64_t now) const {
  auto payload = signer_.Verify(cookie_name_, value);
  if (!payload) return std::nullopt;
  auto session = FromJson(*payload);
  if (!session) return std::nullopt;
  if (session->expires_at <= now || session->issued_at > now + max_clock_skew_ ||
      session->refreshed_at > now + max_clock_skew_ ||
      session->refreshed_at + idle_seconds_ <= now) {
    return std::nullopt;
  }
  return session;
}

bool SessionCodec::NeedsRenewal(const Session& session, int64_t now) const {
  return now - session.refreshed_at >= idle_seconds_ / 2 && session.expires_at > now;
}

Session SessionCodec::Renewed(Session session, int64_t now) const {
  session.refreshed_at = now;
  return session;
}

http::SetCookie SessionCodec::IssueCookie(const Session& session, int64_t now) const {
  http::SetCookie c;
  c.name = cookie_name_;
  c.value = Encode(session);
  int64_t ends = std::min(session.expires_at, session.refreshed_at + idle_seconds_);
  c.max_age = ends > now ? ends - now : 0;
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
