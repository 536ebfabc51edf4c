#include "mini_okta/store/links.h"

#include <vector>

#include "crypto/random.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {
namespace {

// Okta's authn transaction (and so its session token) lasts five minutes.
constexpr int64_t kSessionTokenTtlMs = 5 * 60 * 1000;

const char* KindName(UserTokenKind kind) {
  return kind == UserTokenKind::kActivation ? "activation" : "resetPassword";
}

}  // namespace

std::string OneTimeLinks::IssueSessionToken(const std::string& user_id) {
  std::string token = crypto::RandomToken(24);
  std::lock_guard<std::mutex> lock(core_.mu);
  int64_t now = core_.clock();
  std::erase_if(session_tokens_, [now](const auto& e) { return e.second.expires_ms <= now; });
  session_tokens_[Sha256Hex(token)] =
      Entry{user_id, UserTokenKind::kResetPassword, now + kSessionTokenTtlMs};
  return token;
}

std::optional<std::string> OneTimeLinks::RedeemSessionToken(std::string_view token) {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = session_tokens_.find(Sha256Hex(token));
  if (it == session_tokens_.end()) return std::nullopt;
  Entry entry = it->second;
  session_tokens_.erase(it);
  if (entry.expires_ms <= core_.clock()) return std::nullopt;
  return entry.user_id;
}

std::string OneTimeLinks::IssueUserToken(const std::string& user_id, UserTokenKind kind,
                                         int64_t ttl_seconds) {
  std::string token = RandomAlphanumeric(20);
  std::lock_guard<std::mutex> lock(core_.mu);
  int64_t now = core_.clock();
  std::erase_if(user_tokens_, [now](const auto& e) { return e.second.expires_ms <= now; });
  // Only the newest link of a kind works: a second reset or activation email voids the first.
  DropForUserLocked(user_id, kind);
  user_tokens_[Sha256Hex(token)] = Entry{user_id, kind, now + ttl_seconds * 1000};
  core_.SaveOrLogLocked();
  return token;
}

std::optional<std::string> OneTimeLinks::PeekUserToken(std::string_view token,
                                                       UserTokenKind kind) const {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = user_tokens_.find(Sha256Hex(token));
  if (it == user_tokens_.end() || it->second.kind != kind) return std::nullopt;
  if (it->second.expires_ms <= core_.clock()) return std::nullopt;
  return it->second.user_id;
}

std::optional<std::string> OneTimeLinks::RedeemUserToken(std::string_view token,
                                                         UserTokenKind kind) {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = user_tokens_.find(Sha256Hex(token));
  if (it == user_tokens_.end() || it->second.kind != kind) return std::nullopt;
  Entry entry = it->second;
  user_tokens_.erase(it);
  core_.SaveOrLogLocked();
  if (entry.expires_ms <= core_.clock()) return std::nullopt;
  return entry.user_id;
}

void OneTimeLinks::DropForUserLocked(const std::string& user_id,
                                     std::optional<UserTokenKind> kind) {
  std::erase_if(user_tokens_, [&](const auto& e) {
    return e.second.user_id == user_id && (!kind || e.second.kind == *kind);
  });
}

void OneTimeLinks::ReadLocked(const json::Value& data_file) {
  stored::ForEachIn(data_file, "userTokens", [this](const json::Value& o) {
    UserTokenKind kind = stored::Str(o, "kind") == "activation" ? UserTokenKind::kActivation
                                                                : UserTokenKind::kResetPassword;
    user_tokens_.insert(
        {stored::Str(o, "sha256"),
         Entry{stored::Str(o, "userId"), kind, json::GetInt(o, "expiresAt").value_or(0)}});
  });
}

json::Value OneTimeLinks::WriteLocked(json::Allocator& a) const {
  return stored::ArrayOf(
      user_tokens_,
      [&a](const auto& e) {
        json::Value o(rapidjson::kObjectType);
        stored::AddString(o, "sha256", e.first, a);
        stored::AddString(o, "userId", e.second.user_id, a);
        stored::AddString(o, "kind", KindName(e.second.kind), a);
        o.AddMember("expiresAt", e.second.expires_ms, a);
        return o;
      },
      a);
}

}  // namespace userdesk::mini_okta
