#include "session/session_gate.h"

#include <chrono>

#include "base/log.h"

namespace userdesk::session {
namespace {

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
                          int64_t now) {
  SessionRecord record;
  record.id = RecordId(session.sid);
  record.sub = session.sub;
  record.created_at = now;
  record.last_seen_at = now;
  record.device = std::move(device);
  record.address = std::move(address);
  return registry_->Add(record);
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

}  // namespace userdesk::session
