// The one client of Okta's Users API (/api/v1/users), shared by every responder that reads or
// writes users. It sits on okta::Send (okta/api_call.h: http::Fetch, Okta's error objects,
// 429s waited out for reads only) and adds what is the Users API's:
//  - the SSWS token is chosen per call, so each caller uses the token meant for its job
//    (USER_PROFILE_TOKEN for profile work, REGISTRATION_TOKEN for registration);
//  - users are parsed into types.
// Tokens never reach a log: only the method, the path, the status and the duration do (Fetch),
// plus Okta's errorCode and errorId on a failure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "json/json.h"
#include "okta/api_call.h"

namespace userdesk::okta {

// An Okta user, as much of it as the app uses.
struct User {
  std::string id;                   // 00u...
  std::string status;               // ACTIVE, RECOVERY, ...
  std::string last_updated;         // as Okta wrote it, "2024-05-20T16:02:44.000Z"
  int64_t last_updated_ms = 0;      // the same instant in unix milliseconds (0 when absent)
  int64_t password_changed_ms = 0;  // Okta's passwordChanged, unix ms (0: never, or not said)
  // profile attributes in key order. Strings as they are; numbers and booleans as their JSON
  // text; arrays of scalars joined with ", "; null (and nested objects) left out.
  std::map<std::string, std::string> profile;
  // the items of each array attribute (of strings, numbers or booleans, as text), which profile
  // holds joined: what a form edits one item at a time
  std::map<std::string, std::vector<std::string>> lists;
  // The other timestamps as Okta wrote them, "" when absent or null (an administrator's view).
  std::string created, activated, status_changed, last_login, password_changed;

  // The attribute's value, "" when absent.
  const std::string& Attribute(const std::string& name) const;
};

// A page of GET /api/v1/users and where the next one is.
struct UsersPage {
  std::vector<User> users;
  // the Link rel="next" target as Okta wrote it ("https://{org}/api/v1/users?after=...&limit=200"),
  // for NextUsers; "" on the last page
  std::string next;
};

// Which users to list: Okta's search expression (any profile attribute, status, timestamps; ""
// for all users but the deactivated ones, which Okta lists only for a search) and the page size.
struct UserListQuery {
  std::string search;
  int limit = 200;  // Okta's default and largest page
};

// The lifecycle operations of docs/okta-api.md §2.7 that an administrator uses. Those that can
// mail the user always do (sendEmail=true), so no activation or reset link ever comes back to
// the caller.
enum class Lifecycle {
  kActivate,       // STAGED, DEPROVISIONED -> ACTIVE, or PROVISIONED with an activation email
  kReactivate,     // PROVISIONED, RECOVERY -> PROVISIONED: a new activation email
  kDeactivate,     // any but DEPROVISIONED -> DEPROVISIONED
  kSuspend,        // ACTIVE -> SUSPENDED
  kUnsuspend,      // SUSPENDED -> ACTIVE
  kResetPassword,  // -> RECOVERY, and Okta emails a reset link
};

// A profile attribute's value as it is sent to Okta, typed as the user schema types it: a JSON
// string, number or boolean, or an array of strings.
struct AttributeValue {
  enum class Kind { kString, kNumber, kBoolean, kStringList };
  Kind kind = Kind::kString;
  std::string text;                // the string; a number's or boolean's JSON text
  std::vector<std::string> items;  // kStringList

  AttributeValue() = default;
  // A string, the common case, so a change can be written {"city", "Paris"}.
  AttributeValue(std::string string) : text(std::move(string)) {}  // NOLINT(runtime/explicit)
  AttributeValue(const char* string) : text(string) {}             // NOLINT(runtime/explicit)
  AttributeValue(Kind k, std::string t, std::vector<std::string> list = {})
      : kind(k), text(std::move(t)), items(std::move(list)) {}
  bool operator==(const AttributeValue&) const = default;
};

// value as JSON, allocated with a.
json::Value ToJson(const AttributeValue& value, json::Allocator& a);

// One attribute change in a partial update: a value, or nullopt to clear the attribute (sent as
// JSON null, which Okta's partial update treats as "remove").
using ProfileChange = std::pair<std::string, std::optional<AttributeValue>>;

// A user to create: profile attributes (login, email, firstName, lastName, ...) and the password
// they chose ("" for none: Okta then mails an activation link). The password is sent once, in
// the body, and never logged.
struct NewUser {
  std::map<std::string, std::string> profile;
  std::string password;
};

class UsersClient {
 public:
  explicit UsersClient(ClientOptions options);

  // GET /api/v1/users/{id or login}. Retried after a 429 (see ClientOptions).
  OktaResult<User> GetUser(std::string_view api_token, std::string_view user_id) const;

  // POST /api/v1/users/{id} {"profile": {...changes}}: Okta's partial update, so attributes not
  // named keep their value. Never retried. Returns the updated user.
  OktaResult<User> UpdateProfile(std::string_view api_token, std::string_view user_id,
                                 const std::vector<ProfileChange>& changes) const;

  // POST /api/v1/users?activate=<activate>: creates the user; with a password and activate,
  // ACTIVE at once. Never retried. A taken login or a password the org's policy refuses is
  // kUnprocessable with Okta's causes ("login: An object with this field already exists ...",
  // "password: Password requirements were not met. ...").
  OktaResult<User> CreateUser(std::string_view api_token, const NewUser& user, bool activate) const;

  // POST /api/v1/users/{id}/credentials/change_password {oldPassword, newPassword}: the user's
  // own change, which needs the current password. Never retried. A wrong current password or a
  // refused new one fails with Okta's error object (403 E0000014 / E0000080, with causes).
  OktaResult<bool> ChangePassword(std::string_view api_token, std::string_view user_id,
                                  const std::string& old_password,
                                  const std::string& new_password) const;

  // DELETE /api/v1/users/{id}/sessions: ends the user's Okta sessions, so the next sign-in asks
  // for the password again. Idempotent.
  OktaResult<bool> ClearSessions(std::string_view api_token, std::string_view user_id) const;

  // GET /api/v1/users?search=...&limit=...: the first page. Retried after a 429.
  OktaResult<UsersPage> ListUsers(std::string_view api_token, const UserListQuery& query) const;

  // The page a UsersPage::next names. Only its path and query are used, sent to ORG_URL like every
  // call (the token never goes to a host a header named); a link to another path than
  // /api/v1/users is kUpstreamUnavailable.
  OktaResult<UsersPage> NextUsers(std::string_view api_token, std::string_view next) const;

  // POST /api/v1/users/{id}/lifecycle/<operation>. Never retried. A status the operation does not
  // apply to is Okta's refusal (400 E0000001 for suspend and unsuspend, 403 E0000016 for
  // activate, 403 E0000038 for the others).
  OktaResult<bool> ChangeStatus(std::string_view api_token, std::string_view user_id,
                                Lifecycle operation) const;

  // DELETE /api/v1/users/{id}: deletes a DEPROVISIONED user for good, and only deactivates any
  // other (docs/okta-api.md §2.8), so callers check the status first. Never retried.
  OktaResult<bool> DeleteUser(std::string_view api_token, std::string_view user_id) const;

 private:
  ClientOptions options_;
};

// Parsing, public for unit tests and fuzzing. (Okta's timestamps: base/iso_time.h; Okta's error
// objects: okta/api_call.h.)
// A user object; kUpstreamUnavailable when it is not one (no id, no profile object).
Result<User> ParseUser(std::string_view json);
// A profile object's attributes into user->profile and user->lists (the one place that decides
// how they are held: the Users API and the MyAccount API share it); none when profile is not an
// object.
void ReadProfileAttributes(const json::Value& profile, User* user);
// A list of users (a JSON array of user objects); kUpstreamUnavailable when it is not one.
Result<std::vector<User>> ParseUsers(std::string_view json);

}  // namespace userdesk::okta
