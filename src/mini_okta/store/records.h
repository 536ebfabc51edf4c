// The records mini-okta keeps, as every part of it reads them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  bool pkce_required = true;  // Okta's settings.oauthClient.pkce_required
  // Where POST /admin/backchannel-logout delivers logout tokens (the client metadata of OpenID
  // Connect Back-Channel Logout 1.0 §2.2); "" when the client registered none.
  std::string backchannel_logout_uri;
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

}  // namespace userdesk::mini_okta
