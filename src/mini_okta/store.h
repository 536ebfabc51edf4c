// mini-okta's data: users, OIDC clients, API tokens, the user schema and the email outbox.
// Thread-safe (one mutex); every mutation is written to the data file (temp file + rename)
// before the call returns, so a crash never leaves a half-written file.
//
// CONTRACT shared by the management API (api_*.cc) and the OIDC server (oidc*.cc): the methods
// declared here are what oidc*.cc may rely on. store.cc may add more for the management API.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"

namespace userdesk::mini_okta {

// A user as Okta stores it. Timestamps are Okta's ISO 8601 UTC with milliseconds
// ("2024-05-01T10:20:30.000Z"); an empty string means JSON null.
struct UserRecord {
  std::string id;      // "00u" + 17 random alphanumerics, like Okta
  std::string status;  // STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT,
                       // SUSPENDED, DEPROVISIONED
  std::string transitioning_to_status;
  std::string created, activated, status_changed, last_login, last_updated, password_changed;
  std::string profile_json;   // the profile object, compact JSON
  std::string password_hash;  // salted hash (never the password); empty when none is set
};

struct OidcClient {
  std::string client_id;
  std::string client_secret;
  std::string name;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
};

class Store {
 public:
  // An empty, in-memory store (tests build one and call LoadSeed).
  Store();
  ~Store();
  // Uses data_file when it exists; otherwise applies seed_file (if any) and writes data_file.
  // Either path may be empty (in memory / no seed).
  Status Open(const std::string& data_file, const std::string& seed_file);
  // Adds the users, clients, API tokens and custom schema properties of a seed document:
  //   {"users":   [{"id"?: "...", "status"?: "ACTIVE", "profile": {...}, "password"?: "..."}],
  //    "clients": [{"client_id", "client_secret", "client_name", "redirect_uris": [...],
  //                 "post_logout_redirect_uris": [...]}],
  //    "apiTokens": ["..."],
  //    "customProperties": {"birthdate": {"title": "Birthdate", "type": "string", ...}, ...}}
  Status LoadSeed(std::string_view seed_json);

  // --- used by the OIDC server ---
  // By id or by profile.login (case-insensitive, as Okta matches logins).
  std::optional<UserRecord> FindUser(std::string_view id_or_login) const;
  // True when the user has a password and it matches.
  bool CheckPassword(const UserRecord& user, std::string_view password) const;
  // Sets lastLogin to now.
  void RecordLogin(const std::string& user_id);
  std::optional<OidcClient> FindClient(std::string_view client_id) const;
  // True when token is one of the seeded or created API tokens (used after "SSWS ").
  bool IsApiToken(std::string_view token) const;
  // Authn API session tokens: issued by POST /api/v1/authn, redeemed once by /v1/authorize
  // (?sessionToken=...). Returns the user id, or nullopt when unknown, used or expired.
  std::string IssueSessionToken(const std::string& user_id);
  std::optional<std::string> RedeemSessionToken(std::string_view token);

 private:
  mutable std::mutex mu_;
  // the implementation's state goes here (store.cc owns it)
};

}  // namespace userdesk::mini_okta
