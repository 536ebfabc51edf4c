// The app's one outgoing HTTP client and the only code that includes libcurl. Every call to the
// identity provider (OIDC discovery, JWKS, token, userinfo, the Users and Authn APIs) goes through
// Fetch, so timeouts, the body cap, the allowed protocols and the access log are decided once.
// It never logs headers, bodies or query strings: they carry codes, tokens and secrets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace userdesk::http {

// Responses larger than this are refused: nothing the app asks a provider for comes near it.
inline constexpr size_t kMaxResponseBodyBytes = 1024 * 1024;

struct ClientOptions {
  int connect_timeout_ms = 2000;
  int total_timeout_ms = 5000;
  const char* component = "http";  // log prefix
};

struct OutgoingRequest {
  std::string method = "GET";  // any token (GET, POST, PUT, DELETE, PATCH, HEAD...)
  std::string url;             // http:// or https:// only
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;  // sent as is for any method but GET and HEAD when non-empty
};

struct IncomingResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined with ", "
  std::string body;
  double seconds = 0;
  std::string Header(std::string_view lower_name) const;  // "" when absent
};

// Performs one request on this thread's reused libcurl handle (keep-alive and TLS sessions are
// kept across calls). Any HTTP status is a successful Fetch; redirects are not followed.
// Failures: DNS, refused or failed connection or TLS handshake → kUnavailable; a timeout →
// kDeadlineExceeded; a body over kMaxResponseBodyBytes or a broken answer →
// kUpstreamUnavailable; a malformed request (bad URL, other scheme, CR/LF in a header) →
// kInvalidArgument. Each call is logged once at info: method, URL without userinfo, query or
// fragment, status and duration.
Result<IncomingResponse> Fetch(const OutgoingRequest& request, const ClientOptions& options);

// Closes this thread's idle keep-alive connections (the next Fetch opens new ones). Only needed
// where a server is stopped while a connection to it waits idle, as in tests: httplib's stop()
// otherwise waits out its keep-alive timeout.
void DropIdleConnections();

// The Authorization header value for HTTP Basic client authentication (RFC 6749 §2.3.1): client
// id and secret are each form-urlencoded, joined with ':' and base64-encoded.
std::string BasicAuthorization(std::string_view client_id, std::string_view client_secret);

// One path segment percent-encoded (RFC 3986): everything but ALPHA, DIGIT and "-._~" becomes
// %XX, so '/', '?', '#', '%', '+' and spaces in an id or login cannot change the URL's shape.
std::string EscapePathSegment(std::string_view segment);

// An HTTP Date header value ("Sun, 06 Nov 1994 08:49:37 GMT", and the older forms RFC 7231
// still asks recipients to accept) → unix seconds, by libcurl's curl_getdate; nullopt otherwise.
std::optional<int64_t> ParseHttpDate(std::string_view text);

// The URL as it may be logged: scheme, host, port and path; userinfo, query and fragment dropped.
std::string LoggableUrl(std::string_view url);

}  // namespace userdesk::http
