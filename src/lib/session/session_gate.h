// The check every request's session passes when the session registry is on (SESSION_STORE):
// is this cookie's session still active? Sessions begin at sign-in and end at sign-out here.
//
// A process trusts a session it found active within the last SESSION_CHECK_SECONDS without
// asking the registry again, so warm pages keep their speed and an ended session is refused by
// every process within that time. Last seen is written at most once a minute per session.
//
// The registry unreachable is answered "unavailable", and the caller refuses the session (fails
// closed): a session that may have been ended is never honoured on a guess. docs/ARCHITECTURE.md
// ("Sessions") explains the choice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "session/registry.h"
#include "session/session_cookie.h"

namespace userdesk::session {

class SessionGate {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds, for the trust window
  static constexpr int64_t kTouchEverySeconds = 60;
  static constexpr size_t kMaxTrusted = 10'000;  // past this the trusted list starts afresh

  SessionGate(std::shared_ptr<Registry> registry, int trust_seconds, Clock now_ms = nullptr);

  enum class Verdict { kActive, kEnded, kUnavailable };
  // now: unix seconds, for last seen. A session without a sid (issued before the registry was
  // on) or whose record is another user's is kEnded.
  Verdict Check(const Session& session, int64_t now);

  // Sign-ins also forget, at most once an hour per process, the records no cookie can use any
  // more: ended or last seen longer ago than this (the absolute session lifetime), and used
  // keys past their expiry. 0 (the default) keeps everything.
  void PurgeAfter(int64_t retention_seconds) { retention_seconds_ = retention_seconds; }
  static constexpr int64_t kPurgeEverySeconds = 3600;

  // Records a session at sign-in; provider_sid is the ID token's sid ("" when it has none),
  // kept as ProviderSessionKey(provider_sid) so back-channel logout can end the session by it.
  Status Begin(const Session& session, std::string device, std::string address, int64_t now,
               std::string_view provider_sid = "");
  // Ends it (sign-out) here at once and in the registry for every other process.
  Status End(const Session& session, int64_t now);

  // A password change made elsewhere than on the Security page (a reset through Okta's emailed
  // link, an administrator) ends every session of the user that began before it. The caller
  // passes Okta's passwordChanged for the user (from a profile read). The first process to see a
  // change ends those sessions and marks the change handled in the registry (UseOnce), so it is
  // done once; a change the Security page made is marked beforehand (AcknowledgePasswordChange)
  // and ends only what the user chose. Returns whether session was among those ended.
  Result<bool> EndIfPasswordChangedSince(const Session& session, int64_t password_changed_ms,
                                         int64_t now);
  Status AcknowledgePasswordChange(const std::string& sub, int64_t password_changed_ms,
                                   int64_t now);
  // Sessions begun this little before a change are not ended by it: Okta's clock and ours differ.
  static constexpr int64_t kPasswordClockSlackMs = 5000;

  // Back-channel logout (oidc/logout_token.h): with a provider_sid, ends the sessions signed in
  // during that provider session (only sub's when sub is not empty); without one, every session
  // of sub. Returns how many it ended. Other processes refuse them within the trust window.
  Result<int> EndForProvider(std::string_view sub, std::string_view provider_sid, int64_t now);
  // What the registry holds for a provider's sid: its RecordId, a hash like our own sids', so
  // the store never holds the provider's value (which a provider may also use as a cookie).
  static std::string ProviderSessionKey(std::string_view provider_sid);

  // The registry itself, for listing and ending other sessions (the Security page): those are
  // refused by every process, this one included, within the trust window.
  Registry& registry() { return *registry_; }
  // The same, shared, for what keeps its own data in the records (session/token_vault.h).
  std::shared_ptr<Registry> shared_registry() const { return registry_; }

 private:
  void PurgeIfDue(int64_t now);

  std::shared_ptr<Registry> registry_;
  int64_t trust_ms_;
  Clock now_ms_;
  int64_t retention_seconds_ = 0;
  std::mutex mutex_;
  int64_t next_purge_at_ = 0;                                  // unix seconds
  std::unordered_map<std::string, int64_t> trusted_until_ms_;  // by sid
  std::unordered_set<std::string> handled_changes_;  // password changes known to be handled
};

}  // namespace userdesk::session
