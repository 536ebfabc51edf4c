#include "session/session_gate.h"

#include <chrono>

#include "base/log.h"

namespace userdesk::session {
namespace {

// How long a handled password change is remembered: longer than any session lasts
// (SESSION_MAX_HOURS is at most 30 days), so no session that began before it is left to end.
constexpr int64_t kPasswordChangeMemorySeconds = 31 * 24 * 3600;

std::string PasswordChangeKey(const std::string& sub, int64_t password_changed_ms) {
  return "password-changed:" + sub + ":" + std::to_string(password_changed_ms);
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SessionGate::SessionGate(std::shared_ptr<Registry> registry, int trust_seconds, Clock now_ms)
    : registry_(std::move(registry)),
      trust_ms_(int64_t{trust_seconds} * 1000),
      now_ms_(now_ms ? std::move(now_ms) : Clock(SteadyMs)) {}

SessionGate::Verdict SessionGate::Check(const Session& session, int64_t now) {
  if (session.sid.empty()) return Verdict::kEnded;
  int64_t now_ms = now_ms_();
  {
    std::lock_guard lock(mutex_);
    auto it = trusted_until_ms_.find(session.sid);
    if (it != trusted_until_ms_.end() && now_ms < it->second) return Verdict::kActive;
  }
  auto found = registry_->Find(RecordId(session.sid));
  if (!found.ok()) {
    log::Warn("session", found.error().detail);
    return Verdict::kUnavailable;
  }
  const std::optional<SessionRecord>& record = *found;
  if (!record || !record->active() || record->sub != session.sub) return Verdict::kEnded;
  if (record->last_seen_at <= now - kTouchEverySeconds) {
    if (Status touched = registry_->Touch(record->id, now); !touched.ok()) {
      log::Warn("session", touched.error().detail);  // last seen is for people, not a decision
    }
  }
  if (trust_ms_ > 0) {
    std::lock_guard lock(mutex_);
    if (trusted_until_ms_.size() >= kMaxTrusted) trusted_until_ms_.clear();
    trusted_until_ms_[session.sid] = now_ms + trust_ms_;
  }
  return Verdict::kActive;
}

Status SessionGate::Begin(const Session& session, std::string device, std::string address,
                          int64_t now, std::string_view provider_sid) {
  SessionRecord record;
  record.id = RecordId(session.sid);
  record.sub = session.sub;
  record.created_at = now;
  record.last_seen_at = now;
  record.device = std::move(device);
  record.address = std::move(address);
  record.provider_sid = ProviderSessionKey(provider_sid);
  Status added = registry_->Add(record);
  if (added.ok() && retention_seconds_ > 0) PurgeIfDue(now);
  return added;
}

void SessionGate::PurgeIfDue(int64_t now) {
  {
    std::lock_guard lock(mutex_);
    if (now < next_purge_at_) return;
    next_purge_at_ = now + kPurgeEverySeconds;
  }
  // a failure is for the log only: the records stay until the next try
  if (Status purged = registry_->Purge(now - retention_seconds_); !purged.ok()) {
    log::Warn("session", purged.error().detail);
  }
}

std::string SessionGate::ProviderSessionKey(std::string_view provider_sid) {
  return provider_sid.empty() ? std::string() : RecordId(provider_sid);
}

Result<int> SessionGate::EndForProvider(std::string_view sub, std::string_view provider_sid,
                                        int64_t now) {
  if (!provider_sid.empty()) {
    return registry_->EndByProviderSession(sub, ProviderSessionKey(provider_sid), now);
  }
  if (sub.empty()) return 0;  // names no one: ends nothing
  return registry_->EndAllOf(sub, "", now);
}

Status SessionGate::End(const Session& session, int64_t now) {
  {
    std::lock_guard lock(mutex_);
    trusted_until_ms_.erase(session.sid);
  }
  if (session.sid.empty()) return OkStatus();
  auto ended = registry_->End(session.sub, RecordId(session.sid), now);
  if (!ended.ok()) return ended.error();
  return OkStatus();
}

Status SessionGate::AcknowledgePasswordChange(const std::string& sub, int64_t password_changed_ms,
                                              int64_t now) {
  std::string key = PasswordChangeKey(sub, password_changed_ms);
  auto marked = registry_->UseOnce(key, now + kPasswordChangeMemorySeconds, now);
  if (!marked.ok()) return marked.error();
  std::lock_guard lock(mutex_);
  if (handled_changes_.size() >= kMaxTrusted) handled_changes_.clear();
  handled_changes_.insert(std::move(key));
  return OkStatus();
}

Result<bool> SessionGate::EndIfPasswordChangedSince(const Session& session,
                                                    int64_t password_changed_ms, int64_t now) {
  int64_t changed_before_ms = password_changed_ms - kPasswordClockSlackMs;
  if (password_changed_ms <= 0 || session.issued_at * 1000 >= changed_before_ms) return false;
  std::string key = PasswordChangeKey(session.sub, password_changed_ms);
  {
    std::lock_guard lock(mutex_);
    if (handled_changes_.count(key)) return false;
  }
  auto first = registry_->UseOnce(key, now + kPasswordChangeMemorySeconds, now);
  if (!first.ok()) return first.error();
  if (*first) {
    auto active = registry_->ActiveOf(session.sub);
    if (!active.ok()) return active.error();
    int ended = 0;
    for (const SessionRecord& r : *active) {
      if (r.created_at * 1000 >= changed_before_ms) continue;
      auto one = registry_->End(session.sub, r.id, now);
      if (!one.ok()) return one.error();
      ended += *one ? 1 : 0;
    }
    log::Info("session", "password changed outside the Security page: ended " +
                             std::to_string(ended) + " session(s) begun before it sub=" +
                             session.sub);
  }
  std::lock_guard lock(mutex_);
  if (handled_changes_.size() >= kMaxTrusted) handled_changes_.clear();
  handled_changes_.insert(key);
  if (!*first) return false;  // handled before, by this process or another
  trusted_until_ms_.erase(session.sid);
  return true;
}

}  // namespace userdesk::session
