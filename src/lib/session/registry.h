// The session registry: the server-side record of every signed-in session, so that sessions can
// be listed and ended (ASVS 3.3.3, 3.3.4), which a signed cookie alone cannot do.
//
// The cookie carries the session's random id (sid, 128 bits). The registry never stores the sid
// itself, only RecordId(sid), a hash of it: that is the record's key, and the handle the Security
// page posts to end a session. Whoever reads the store (a backup, a shared Redis) learns no
// cookie value, and a handle shown to its user is useless as a cookie.
//
// Behind this one interface there are two stores: SQLite, one file shared by the responders of
// one host (sqlite_registry.h), and Redis for several hosts. Every implementation passes the same
// contract tests (tests/unit/session/registry_test.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace userdesk::session {

struct SessionRecord {
  std::string id;            // RecordId(sid)
  std::string sub;           // the Okta user id
  int64_t created_at = 0;    // sign-in, unix seconds
  int64_t last_seen_at = 0;  // the caller updates it at most once a minute (Touch)
  std::string device;        // "Firefox on Linux" (DeviceName of the User-Agent)
  std::string address;       // the client's address as nginx saw it
  int64_t ended_at = 0;      // 0 while the session is active
  std::string provider_sid;  // the provider's session: a hash of the ID token's `sid`
                             // (SessionGate::ProviderSessionKey), empty if it had none
  bool active() const { return ended_at == 0; }
};

// The key and public handle of a session's record: SHA-256 of the sid, base64url, 43 characters.
std::string RecordId(std::string_view sid);

class Registry {
 public:
  virtual ~Registry() = default;

  // A new session, at sign-in. An id already present is an error (a sid is never reused).
  virtual Status Add(const SessionRecord& record) = 0;
  // The record with this id, active or ended; nullopt when there is none (never added, purged).
  virtual Result<std::optional<SessionRecord>> Find(std::string_view id) = 0;
  // Sets last_seen_at (no effect on an ended or unknown session).
  virtual Status Touch(std::string_view id, int64_t now) = 0;
  // sub's active sessions, most recently seen first.
  virtual Result<std::vector<SessionRecord>> ActiveOf(std::string_view sub) = 0;
  // Ends the session id if it is sub's and active (so a handle from another user's page ends
  // nothing); returns whether it ended one.
  virtual Result<bool> End(std::string_view sub, std::string_view id, int64_t now) = 0;
  // Ends every active session of sub except keep_id (empty: all of them); returns how many.
  virtual Result<int> EndAllOf(std::string_view sub, std::string_view keep_id, int64_t now) = 0;
  // Ends the active sessions signed in during the provider's session provider_sid (back-channel
  // logout names it), only sub's when sub is not empty; returns how many.
  virtual Result<int> EndByProviderSession(std::string_view sub, std::string_view provider_sid,
                                           int64_t now) = 0;
  // Marks key used until expires_at: true the first time, false while it is still marked (a
  // logout token's jti is accepted once, by every process and host).
  virtual Result<bool> UseOnce(std::string_view key, int64_t expires_at, int64_t now) = 0;
  // Forgets sessions ended, or last seen, before cutoff (past any cookie's lifetime), and used
  // keys past their expiry.
  virtual Status Purge(int64_t cutoff) = 0;

  // An opaque blob kept with an active session and read back as it was given: in MyAccount mode
  // the user's OAuth tokens, sealed by the caller (session/token_vault.h), so the store never
  // holds a token in the clear and nothing of them ever reaches the cookie. It lives and dies
  // with its record: ending the session (End, EndAllOf, EndByProviderSession) removes it, and
  // Purge and Redis's TTL take it with the record.
  // Replaces the session's blob; false (nothing kept) when the session is ended or unknown.
  virtual Result<bool> PutTokens(std::string_view id, std::string_view blob) = 0;
  // The active session's blob; nullopt when it has none, or is ended or unknown.
  virtual Result<std::optional<std::string>> Tokens(std::string_view id) = 0;
  // Removes the session's blob, if any (the provider refused its refresh token).
  virtual Status DropTokens(std::string_view id) = 0;
};

}  // namespace userdesk::session
