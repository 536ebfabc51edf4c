// One call of an Okta API (/api/v1/...) on http::Fetch: the plumbing every Okta client shares
// (UsersClient for the Users API, AuthnClient for the public Authentication API). It sits on
// http::Fetch (the app's one libcurl user: a reused handle per thread, timeouts, the access log)
// and adds what is Okta-specific:
//  - the SSWS token is chosen per call, or left out for the public Authentication API;
//  - Okta error objects (errorCode, errorSummary, errorCauses) are parsed into types, and an
//    HTTP status into the app's ErrorCode;
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
#include <vector>

#include "base/error.h"
#include "config/config.h"
#include "http/http_client.h"

namespace userdesk::okta {

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
//   401/403 (the API token is refused or lacks rights), other 4xx, a 2xx that is not the
//   expected answer                      kUpstreamUnavailable (a configuration or app bug)
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

struct ClientOptions {
  std::string org_url;  // ORG_URL, e.g. https://dev-123456.okta.com (no trailing slash needed)
  http::ClientOptions http{2000, 5000, "okta"};
  // A 429 on an idempotent call is retried when X-Rate-Limit-Reset (measured against Okta's Date
  // header, plus one second of slack) is at most this far away; otherwise it fails at once.
  int max_rate_limit_wait_ms = 2000;
  int max_retries = 1;  // retries of one idempotent call after 429s
};

// ORG_URL, the HTTP timeouts and OKTA_RATE_LIMIT_WAIT_MS from the configuration.
ClientOptions OptionsFrom(const config::Config& config);

// One call, as the log and the error detail name it.
struct Call {
  std::string method;
  std::string path;  // /api/v1/..., escaped; what the log names (never a query or a body)
  std::string body;  // JSON; empty for GET
  bool idempotent = false;
  // "?activate=true": flags, or values escaped for a query (http::FormUrlEncode); never a
  // secret, though the log leaves queries out
  std::string query;
  // The token is the user's own OAuth access token (the MyAccount API): "Authorization: Bearer"
  // instead of SSWS, and 401/403 mean the user's token, not ours (see BearerFailure).
  bool bearer = false;
  std::string accept = "application/json";  // MyAccount: "application/json; okta-version=1.0.0"
};

// Sends the call to ORG_URL with "Authorization: SSWS <api_token>" ("Bearer <api_token>" for a
// call marked bearer), or with no Authorization at all when api_token is nullopt (the
// Authentication API's public calls, whose meaning changes when a token comes with them).
// A bearer call's refusals say what the user's token lacks (RFC 6750 §3.1, the answer's
// WWW-Authenticate error):
//   401 (invalid_token: expired, revoked)            kUnauthenticated, Reason::kAccessTokenRefused
//   403 error="insufficient_scope"                   kPermissionDenied, Reason::kScopeMissing
//   403 error="insufficient_authentication_context"  kPermissionDenied,
//                                                    Reason::kRecentSignInRequired
// and every other answer as for an SSWS call. Waits out a 429 and retries an idempotent call as
// options allow. Returns the body of a 2xx answer, or a Failure (logged once).
OktaResult<std::string> Send(const ClientOptions& options, const Call& call,
                             std::optional<std::string_view> api_token);

// A 2xx answer with its headers (names lower-cased, repeated ones joined with ", "), for the
// calls that need more than the body: Link for paging through a list, X-Rate-Limit-*.
struct Answer {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  std::string Header(std::string_view lower_name) const;  // "" when absent
};

// Send, keeping the answer's status and headers.
OktaResult<Answer> SendForAnswer(const ClientOptions& options, const Call& call,
                                 std::optional<std::string_view> api_token);

// The target of a Link header's rel="next" (RFC 8288), "" when there is none: how Okta says a
// list has another page (docs/okta-api.md §2.9). Accepts the links as separate header lines
// joined with ", " (http::Fetch's way) or as one comma-separated value.
std::string NextLink(std::string_view link_header);

// A Failure with no Okta error object, for errors found on our side of a call.
Failure FailureOf(Error error);

// The one log line of a failed call: method, path, the app's code, the HTTP status (0: none),
// Okta's errorCode and errorId. Info for kNotFound (an answer, not a fault), warn otherwise.
void LogFailure(const ClientOptions& options, const Call& call, const Failure& failure,
                long status);

// The error="..." parameter of a WWW-Authenticate Bearer challenge (RFC 6750 §3), "" when none.
std::string BearerError(std::string_view www_authenticate);

// Parsing, public for unit tests and fuzzing. (Okta's timestamps: base/iso_time.h.)
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
