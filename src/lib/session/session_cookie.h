// The one cookie codec: a session all responders share, signed with a key derived from
// APP_SECRET. A cookie is "v1.<payload>.<mac>": payload is base64url JSON, mac is base64url
// HMAC-SHA256 over "userdesk-session|v1|<cookie name>|<payload>" (the name is bound in, so one
// signed cookie cannot be replayed under another name). No server-side state: any host with the
// same APP_SECRET can read it. Not encrypted: it carries no secret a user may not see.
//
// Decode never fails loudly: a tampered, expired or malformed cookie is just "no session".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/hmac.h"
#include "http/response.h"

namespace userdesk::session {

struct Session {
  std::string sub;         // the Okta user id
  std::string name;        // display name for "Signed in as"
  std::string csrf;        // per-session CSRF secret for forms
  std::string id_token;    // for RP-initiated logout (id_token_hint)
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;  // absolute expiry, unix seconds
};

struct CodecOptions {
  std::string secret;           // APP_SECRET
  std::string previous_secret;  // APP_SECRET_PREVIOUS: still verifies during rotation, never signs
  bool https = false;           // Secure + __Host- prefix
  int64_t max_clock_skew = 60;  // an issued_at further in the future than this is refused
};

class SessionCodec {
 public:
  explicit SessionCodec(const CodecOptions& options);

  // "userdesk_session", or "__Host-userdesk_session" over https.
  const std::string& cookie_name() const { return cookie_name_; }

  std::string Encode(const Session& session) const;
  // nullopt for anything but an intact, current cookie signed with the secret or its predecessor.
  std::optional<Session> Decode(std::string_view cookie_value, int64_t now) const;

  // Set-Cookie for a session (Max-Age follows expires_at) and for signing out.
  http::SetCookie IssueCookie(const Session& session, int64_t now) const;
  http::SetCookie ClearCookie() const;

 private:
  std::string MacInput(std::string_view payload) const;

  crypto::HmacSha256Key key_;
  std::optional<crypto::HmacSha256Key> previous_key_;
  bool https_;
  int64_t max_clock_skew_;
  std::string cookie_name_;
};

// Current unix time in seconds.
int64_t NowSeconds();

}  // namespace userdesk::session
