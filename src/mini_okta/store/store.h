// mini-okta's data: users, OIDC clients, API tokens, the user schema and the email outbox.
// Thread-safe (one mutex); every mutation is written to the data file (temp file + rename)
// before the call returns, so a crash never leaves a half-written file.
//
// CONTRACT shared by the management API (api_*.cc) and the OIDC server (oidc*.cc): the methods
// declared here are what the oidc/ routes may rely on. store.cc may add more for the management
// API.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"
#include "mini_okta/management/okta_time.h"

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

// An email mini-okta "sent": kept in the outbox (GET /dev/outbox) instead of being delivered.
struct OutboxEmail {
  std::string id;
  std::string to;
  std::string subject;
  std::string body;     // plain text
  std::string link;     // the action link in the mail (reset or activation page)
  std::string sent_at;  // Okta timestamp
};

// One-time links for users: the password-reset page and the activation (welcome) page.
enum class UserTokenKind { kResetPassword, kActivation };

// Ids that identify the org's single user type and its default profile schema.
struct SchemaMeta {
  std::string schema_id;     // "osc..."
  std::string user_type_id;  // "oty..."
  std::string created;
  std::string last_updated;
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

  // --- used by the management API (api_*.cc) and mini-okta's own pages ---
  // The clock behind every timestamp and expiry; defaults to the system clock.
  void SetClock(Clock clock);
  int64_t NowMillis() const;
  // Users ordered by id (the order the list API pages in).
  std::vector<UserRecord> ListUsers() const;
  // Assigns id (when empty); kAlreadyExists when profile.login is taken (case-insensitive).
  Result<UserRecord> CreateUser(UserRecord user);
  // Applies mutate to a copy of the user and stores it when mutate succeeds and the login
  // stays unique. When mutate changes the password, every outstanding one-time link of the user
  // (reset and activation) stops working. mutate runs under the store's lock: it must not call
  // back into the Store.
  // kNotFound for an unknown user; kAlreadyExists for a duplicate login.
  using UserMutation = std::function<Status(UserRecord&)>;
  Result<UserRecord> UpdateUser(std::string_view id_or_login, const UserMutation& mutate);
  // Removes the user for good; kNotFound when unknown.
  Status DeleteUser(const std::string& id);

  // The custom profile attributes: a JSON object of name -> attribute definition.
  std::string CustomPropertiesJson() const;
  // Applies change to the custom attributes atomically; stores them when change succeeds.
  // change runs under the store's lock: it must not call back into the Store.
  using SchemaChange = std::function<Status(json::Document& custom_properties)>;
  Status UpdateCustomProperties(const SchemaChange& change);
  SchemaMeta Schema() const;

  void SendEmail(OutboxEmail email);
  std::vector<OutboxEmail> Outbox() const;

  // One-time user tokens (kept hashed). Issue voids the user's earlier tokens of the same kind,
  // so only the newest link works. Peek checks without using the token; Redeem uses it up.
  // Both return the user id, or nullopt when unknown, of another kind, used or expired.
  std::string IssueUserToken(const std::string& user_id, UserTokenKind kind, int64_t ttl_seconds);
  std::optional<std::string> PeekUserToken(std::string_view token, UserTokenKind kind) const;
  std::optional<std::string> RedeemUserToken(std::string_view token, UserTokenKind kind);

  Status AddApiToken(std::string_view token);
  size_t ApiTokenCount() const;

 private:
  struct State;
  Status LoadDataFileLocked(std::string_view text);
  Status SaveLocked() const;
  void SaveOrLogLocked() const;
  std::string NowLocked() const;

  mutable std::mutex mu_;
  std::unique_ptr<State> state_;
};

}  // namespace userdesk::mini_okta
