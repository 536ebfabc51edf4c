// The user's own OAuth tokens in MyAccount mode (PROFILE_API=myaccount), kept with their session's
// record in the registry, never in the cookie: a cookie travels with every request and may be
// copied, while the registry's record ends with the session. They are sealed (crypto/sealer.h:
// AES-256-GCM under a key derived from APP_SECRET for this purpose alone, the record id as
// associated data), so a copy of the store, a backup or a shared Redis holds no usable token.
// Never logs a token or a blob.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "crypto/sealer.h"
#include "session/registry.h"

namespace userdesk::session {

// What a sign-in's code exchange (or a refresh) gave: for the MyAccount API, and the ID token.
struct StoredTokens {
  std::string access_token;       // "" outside MyAccount mode
  int64_t access_expires_at = 0;  // unix seconds, from the token response's expires_in
  std::string refresh_token;      // "" when the provider gave none (no offline_access)
  std::string scope;              // the granted scopes, space-separated, as the provider said
  // The sign-in's ID token, for sign-out's id_token_hint: kept here, not in the cookie, whenever
  // there is a registry (it would make every request's cookie five times larger).
  std::string id_token;
};

// Serialization, public for tests: JSON inside the seal.
std::string EncodeTokens(const StoredTokens& tokens);
std::optional<StoredTokens> DecodeTokens(std::string_view json);

class TokenVault {  // thread-safe as its registry is
 public:
  // secret / previous_secret: APP_SECRET and APP_SECRET_PREVIOUS ("" for none).
  TokenVault(std::shared_ptr<Registry> registry, const std::string& secret,
             const std::string& previous_secret);

  static constexpr std::string_view kPurpose = "user-tokens";

  // Seals tokens for the record and stores them, replacing what it had. false when the session
  // is ended or unknown (nothing stored); the registry's errors as they are (kUnavailable).
  Result<bool> Put(std::string_view record_id, const StoredTokens& tokens);
  // The record's tokens; nullopt when it has none, or its blob does not open (another APP_SECRET,
  // tampered, another record's): that is logged, without the blob, and the blob dropped, so the
  // user simply signs in again.
  Result<std::optional<StoredTokens>> Get(std::string_view record_id);
  // Forgets the record's tokens.
  Status Drop(std::string_view record_id);

  Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<Registry> registry_;
  crypto::Sealer sealer_;
};

}  // namespace userdesk::session
