// The session all responders share: JSON in a signed cookie (signed_cookie.h, purpose
// "session"). No server-side state: any host with the same APP_SECRET can read it. Not
// encrypted: it carries no secret a user may not see.
//
// Two lifetimes: an absolute one from sign-in (expires_at) and a sliding idle one (refreshed_at
// + idle). The cookie is re-issued once past half its idle window, so an active user stays
// signed in and an idle one is signed out, with at most one Set-Cookie per half window.
//
// Decode never fails loudly: a tampered, expired or malformed cookie is just "no session".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/response.h"
#include "session/signed_cookie.h"

namespace userdesk::session {

struct Session {
  std::string sub;           // the Okta user id
  std::string name;          // display name for "Signed in as" (CleanDisplayName)
  std::string csrf;          // per-session CSRF secret for forms
  std::string sid;           // random session id: its registry record is RecordId(sid) (registry.h)
  std::string id_token;      // for RP-initiated logout (id_token_hint)
  int64_t issued_at = 0;     // unix seconds, at sign-in
  // When the user last proved who they are at the provider (the ID token's auth_time, which a
  // single sign-on may leave older than the sign-in), unix seconds; issued_at when not said.
  // The Security page's actions ask for a fresh sign-in past REAUTH_MINUTES of it.
  int64_t authenticated_at = 0;
  int64_t expires_at = 0;    // absolute expiry, unix seconds
  int64_t refreshed_at = 0;  // last re-issue; the idle window runs from here
  // The user's Okta lastUpdated (unix ms) after their latest profile save, 0 before any. Every
  // responder process keeps its own profile cache; a cached copy older than this is read again,
  // so a user sees their own save at once wherever the next request lands (read-your-writes).
  int64_t profile_updated_ms = 0;
};

struct CodecOptions {
  std::string secret;           // APP_SECRET
  std::string previous_secret;  // APP_SECRET_PREVIOUS: still verifies during rotation, never signs
  bool https = false;           // Secure + __Host- prefix
  int64_t max_clock_skew = 60;  // an issued_at further in the future than this is refused
  int64_t idle_seconds = 30 * 60;          // SESSION_IDLE_MINUTES
  int64_t absolute_seconds = 8 * 60 * 60;  // SESSION_MAX_HOURS
};

class SessionCodec {
 public:
  explicit SessionCodec(const CodecOptions& options);

  // "userdesk_session", or "__Host-userdesk_session" over https.
  const std::string& cookie_name() const { return cookie_name_; }

  // A fresh session at sign-in: a new CSRF secret and session id, both lifetimes starting now.
  Session Start(std::string sub, std::string name, std::string id_token, int64_t now) const;

  std::string Encode(const Session& session) const;
  // nullopt for anything but an intact cookie signed with the secret or its predecessor, within
  // both its absolute and its idle lifetime.
  std::optional<Session> Decode(std::string_view cookie_value, int64_t now) const;

  // True once the session is past half its idle window: the caller re-issues it (Renewed).
  bool NeedsRenewal(const Session& session, int64_t now) const;
  Session Renewed(Session session, int64_t now) const;

  // Set-Cookie for a session (Max-Age = the nearer of both expiries) and for signing out.
  http::SetCookie IssueCookie(const Session& session, int64_t now) const;
  http::SetCookie ClearCookie() const;

 private:
  SignedCookieCodec signer_;
  bool https_;
  int64_t max_clock_skew_;
  int64_t idle_seconds_;
  int64_t absolute_seconds_;
  std::string cookie_name_;
};

// The longest display name a session keeps, in characters: room for Okta's firstName and
// lastName (50 each) with the space between them cut at the last character, and a bound on the
// cookie and so on the response headers that carry it (docs/ARCHITECTURE.md, "Decisions").
inline constexpr size_t kMaxDisplayNameChars = 100;

// A display name as a session keeps it: well-formed UTF-8 without control characters and
// without bidirectional formatting characters (base/strings.h IsBidiControl), which could make
// "Signed in as <name>" read as something else; spaces trimmed; cut at a character boundary to
// kMaxDisplayNameChars. Start, Encode and Decode all apply it, so no session holds anything else.
std::string CleanDisplayName(std::string_view name);

// Current unix time in seconds.
int64_t NowSeconds();

}  // namespace userdesk::session
