// The one client of Okta's Users API (/api/v1/users), shared by every responder and later by a
// command-line tool. It sits on http::Fetch (the app's one libcurl user: a reused handle per
// thread, timeouts, the access log) and adds what is Okta-specific:
//  - the SSWS token is chosen per call, so each caller uses the token meant for its job
//    (USER_PROFILE_TOKEN for profile work, REGISTRATION_TOKEN for registration);
//  - users and Okta error objects (errorCode, errorSummary, errorCauses) are parsed into types;
//  - a 429 is waited out as X-Rate-Limit-Reset says, when that is within a bound, and only
//    idempotent calls (GET) are retried; a write is never sent twice.
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
#include "config/config.h"
#include "http/http_client.h"

namespace userdesk::okta {

// An Okta user, as much of it as the app uses.
struct User {
  std::string id;               // 00u...
  std::string status;           // ACTIVE, RECOVERY, ...
  std::string last_updated;     // as Okta wrote it, "2024-05-20T16:02:44.000Z"
  int64_t last_updated_ms = 0;  // the same instant in unix milliseconds (0 when absent)
  // profile attributes in key order. Strings as they are; numbers and booleans as their JSON
  // text; arrays of scalars joined with ", "; null (and nested objects) left out.
  std::map<std::string, std::string> profile;

  // The attribute's value, "" when absent.
  const std::string& Attribute(const std::string& name) const;
};

// Okta's error object: {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}.
struct OktaError {
  long http_status = 0;
  std::string error_code;           // "E0000001"
  std::string error_summary;        // "Api validation failed: login"
  std::string error_id;             // Okta's per-request id, for support
  std::vector<std::string> causes;  // each errorCauses[].errorSummary, in order
};

// A failed call. error.code says what it means for the app (and so the page status):
//   400 E0000001 (validation)            kUnprocessable   (okta->causes name the fields)
//   404                                  kNotFound
//   409                                  kAlreadyExists
//   429 (not retried, or still 429)      kRateLimited     (retry_after_seconds when known)
//   401/403 (the API token is refused or lacks rights), other 4xx, a 2xx that is not a user
//                                        kUpstreamUnavailable (a configuration or app bug)
//   5xx                                  kUnavailable
//   transport failures as http::Fetch reports them: kUnavailable, kDeadlineExceeded,
//   kUpstreamUnavailable, kInvalidArgument (also, with no request sent, for a user id that
//   names no single user: "", "." or "..").
// error.detail is for the log: method, path, status, errorCode, errorSummary, errorId.
struct Failure {
  Error error;
  std::optional<OktaError> okta;  // when Okta answered with its error object
  int retry_after_seconds = 0;    // for kRateLimited, when X-Rate-Limit-Reset was usable
};

template <typename T>
using OktaResult = Result<T, Failure>;

// One attribute change in a partial update: a value, or nullopt to clear the attribute (sent as
// JSON null, which Okta's partial update treats as "remove").
using ProfileChange = std::pair<std::string, std::optional<std::string>>;

struct ClientOptions {
  std::string org_url;  // ORG_URL, e.g. https://dev-123456.okta.com (no trailing slash needed)
  http::ClientOptions http{2000, 5000, "okta"};
  // A 429 on an idempotent call is retried when X-Rate-Limit-Reset (measured against Okta's Date
  // header, plus one second of slack) is at most this far away; otherwise it fails at once.
  int max_rate_limit_wait_ms = 2000;
  int max_retries = 1;  // retries of one idempotent call after 429s
};

// A user to create: profile attributes (login, email, firstName, lastName, ...) and the password
// they chose ("" for none: Okta then mails an activation link). The password is sent once, in
// the body, and never logged.
struct NewUser {
  std::map<std::string, std::string> profile;
  std::string password;
};

// ORG_URL, the HTTP timeouts and OKTA_RATE_LIMIT_WAIT_MS from the configuration.
ClientOptions OptionsFrom(const config::Config& config);

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

  // POST /api/v1/users/{id}/lifecycle/reset_password?sendEmail=true: Okta mails the user a
  // reset link and the user goes to RECOVERY. Never retried.
  OktaResult<Ok> ResetPassword(std::string_view api_token, std::string_view user_id) const;

 private:
  ClientOptions options_;
};

// Parsing, public for unit tests and fuzzing. (Okta's timestamps: base/iso_time.h.)
// A user object; kUpstreamUnavailable when it is not one (no id, no profile object).
Result<User> ParseUser(std::string_view json);
// Okta's error object; nullopt when the body is not one (no errorCode).
std::optional<OktaError> ParseOktaError(std::string_view json, long http_status);

// How long to wait before retrying after a 429, in milliseconds, as Okta's SDKs compute it:
// X-Rate-Limit-Reset (unix seconds) minus the response's Date header (Okta's clock; now_ms, the
// local clock in unix milliseconds, when Date is missing or not an HTTP date), plus one second of
// slack; never negative. nullopt when the reset header is missing, not a number, or holds several
// values (comma-joined duplicates, which Okta has been seen to send): then nobody knows when to
// retry, so the call is not retried.
std::optional<int64_t> RateLimitWaitMs(std::string_view reset_header, std::string_view date_header,
                                       int64_t now_ms);

}  // namespace userdesk::okta
