// userdesk's one vocabulary of errors. Library code never throws: fallible functions return
// Result<T>, which holds either a value or an Error (a code plus an internal detail that is
// logged, never shown to a browser) and, where one code covers failures a visitor should hear about
// apart, a reason. app/error_table.h is the one place an Error becomes a status and words.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace userdesk {

enum class ErrorCode {
  kInvalidArgument,      // 400: the request itself is wrong
  kUnauthenticated,      // 401: no valid session or credentials
  kPermissionDenied,     // 403
  kCsrfMismatch,         // 403: form token or origin check failed
  kNotFound,             // 404
  kAlreadyExists,        // 409
  kPayloadTooLarge,      // 413
  kUnprocessable,        // 422: a form that failed validation
  kRateLimited,          // 429
  kInternal,             // 500
  kNotImplemented,       // 501: this deployment does not offer what was asked (a setting is off)
  kUpstreamUnavailable,  // 502: the identity provider answered with something unusable
  kUnavailable,          // 503: the identity provider cannot be reached yet (retry later)
  kDeadlineExceeded,     // 504
};

// The HTTP status an error maps to.
int HttpStatus(ErrorCode code);
const char* ToString(ErrorCode code);

// What went wrong, set where it is known, for the failures whose code alone does not say it.
enum class Reason {
  kUnspecified,
  kSignInExpired,           // the callback's state is unknown, expired or already used
  kSignInDenied,            // the provider answered the callback with error=access_denied
  kSignInFailed,            // the provider answered the callback with another error
  kCodeRefused,             // the token endpoint did not accept the authorization code
  kIdTokenUntrusted,        // the ID token failed a check, or its keys could not be had
  kNonceMismatch,           // the ID token belongs to another sign-in attempt
  kSessionEndedBeforePost,  // a form post arrived after its session had ended
  kProviderBusy,         // too many of this process's requests wait for the provider (base/park.h)
  kSessionsUnavailable,  // the session registry cannot be read or written (fail closed)
  // MyAccount mode (PROFILE_API=myaccount): the user's own tokens
  kProfileAccessNotGranted,  // sign-in: no access/refresh token, or not the MyAccount scopes
  kSignInAgain,         // no stored tokens, or the refresh token refused: only a new sign-in helps
  kAccessTokenRefused,  // the API answered 401 to the access token (expired, revoked)
  kScopeMissing,        // the API answered 403 insufficient_scope
  kRecentSignInRequired,  // 403 insufficient_authentication_context: a write needs a sign-in
                          // at most 15 minutes old (the page asks for the password again)
};

struct Error {
  ErrorCode code;
  std::string detail;  // for logs only
  Reason reason = Reason::kUnspecified;
};

inline Error MakeError(ErrorCode code, std::string detail, Reason reason = Reason::kUnspecified) {
  return Error{code, std::move(detail), reason};
}

// E is Error everywhere except where a caller needs more than a code and a detail (the Okta
// users client also returns Okta's own error object).
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like expected<T>
  Result(E error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace userdesk
