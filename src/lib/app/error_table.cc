#include "app/error_table.h"

#include <optional>
#include <string>

#include "base/park.h"

namespace userdesk::app {
namespace {

// A store that is down is usually a restart or a full disk: seconds to minutes. A short wait
// keeps retries from piling onto a store coming back.
constexpr int kSessionsRetryAfterSeconds = 5;

UserMessage ForCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {"Bad request", "The request could not be understood. Please go back and try again."};
    case ErrorCode::kUnauthenticated:
      return {"Please sign in", "You need to sign in to see this page."};
    case ErrorCode::kPermissionDenied:
      return {"Not allowed", "You are not allowed to do that."};
    case ErrorCode::kCsrfMismatch:
      return {"Form expired",
              "This form has expired or was sent from another site. Please reload the page and "
              "try again."};
    case ErrorCode::kNotFound:
      return {"Page not found", "We could not find the page you asked for."};
    case ErrorCode::kAlreadyExists:
      return {"Already exists", "That already exists."};
    case ErrorCode::kPayloadTooLarge:
      return {"Too much data", "What you sent is larger than we accept. Please shorten it."};
    case ErrorCode::kUnprocessable:
      return {"Please check your input", "Some of what you entered needs correcting."};
    case ErrorCode::kRateLimited:
      return {"Too many requests",
              "You are going a little fast. Please wait a minute and try again."};
    case ErrorCode::kUpstreamUnavailable:
      return {"Sign-in service error",
              "The identity provider sent an answer we could not use. Please try again."};
    case ErrorCode::kUnavailable:
      return {"Service unavailable",
              "We could not reach the identity provider. Please try again in a moment."};
    case ErrorCode::kDeadlineExceeded:
      return {"Timed out", "The identity provider took too long to answer. Please try again."};
    case ErrorCode::kNotImplemented:
      return {"Not available", "This site does not offer that."};
    case ErrorCode::kInternal:
      break;
  }
  return {"Something went wrong", "Sorry, something went wrong on our side. Please try again."};
}

// The failures whose reason has words of its own, wherever they happen.
std::optional<UserMessage> ForReason(Reason reason) {
  switch (reason) {
    case Reason::kSignInExpired:
      return UserMessage{"This sign-in has expired",
                         "This sign-in attempt is no longer valid: it took longer than 10 "
                         "minutes, was already completed, or was started in another browser. "
                         "Please sign in again."};
    case Reason::kSignInDenied:
      return UserMessage{"Sign-in was not completed",
                         "The identity provider did not let this sign-in go ahead (it was "
                         "cancelled, or this account may not use userdesk)."};
    case Reason::kSignInFailed:
      return UserMessage{"Sign-in failed",
                         "The identity provider could not complete the sign-in. Please try "
                         "again."};
    case Reason::kCodeRefused:
      return UserMessage{"Sign-in could not be completed",
                         "The identity provider did not accept this sign-in (it may have been "
                         "used already). Please sign in again."};
    case Reason::kIdTokenUntrusted:
      return UserMessage{"Sign-in could not be verified",
                         "The identity provider's answer did not pass our security checks, so "
                         "you were not signed in. Please try again."};
    case Reason::kNonceMismatch:
      return UserMessage{"Sign-in could not be completed",
                         "This answer from the identity provider belongs to another sign-in "
                         "attempt. Please sign in again."};
    case Reason::kSessionEndedBeforePost:
      return UserMessage{"Your session has expired",
                         "You were signed out, so what you sent was not saved. Sign in again, "
                         "then go back and send it once more."};
    case Reason::kProfileAccessNotGranted:
      return UserMessage{"Sign-in could not be completed",
                         "The identity provider did not give this site access to your profile, "
                         "so you were not signed in. Please try again; if it keeps happening, "
                         "tell your administrator."};
    case Reason::kSignInAgain:
    case Reason::kAccessTokenRefused:
      return UserMessage{"Please sign in again",
                         "Your access to your profile has expired. Sign in again to go on; "
                         "nothing was changed."};
    case Reason::kScopeMissing:
      return UserMessage{"Access to your profile was not granted",
                         "This sign-in does not allow reading or changing your profile. Sign in "
                         "again; if it keeps happening, tell your administrator."};
    case Reason::kRecentSignInRequired:
      return UserMessage{"Please confirm it is you",
                         "Changing your profile needs a sign-in from the last 15 minutes. Sign "
                         "in again, then save once more."};
    case Reason::kSessionsUnavailable:  // with a Retry-After: SessionsUnavailableView
    case Reason::kProviderBusy:         // words depend on the task: BusyView
    case Reason::kUnspecified:
      break;
  }
  return std::nullopt;
}

// A failed call to the provider's users API, as the visitor's status: the user gone is 404; a
// timeout 504; a refused token or nonsense 502; down or rate limiting us 503 (our visitor did
// nothing wrong, so not 429).
int ProviderStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kUpstreamUnavailable:
      return 502;
    default:
      return 503;
  }
}

// The words for a profile that could not be read or saved.
UserMessage ProfileMessage(ErrorCode code, bool saving) {
  if (code == ErrorCode::kNotFound) {
    return {"Account not found",
            "Your account no longer exists at the identity provider, so you have been signed "
            "out. Contact your administrator if this is unexpected."};
  }
  std::string kept = saving ? "Nothing was saved, and what you typed is still in the form. " : "";
  if (code == ErrorCode::kUpstreamUnavailable) {
    return {"Identity provider error", "The identity provider did not accept our request. " + kept +
                                           "Please try again later; if it keeps happening, tell "
                                           "your administrator."};
  }
  return {"Identity provider unavailable",
          "We could not reach the identity provider. " + kept + "Please try again in a minute."};
}

ErrorView ProfileRead(ErrorCode code) {
  // a read the provider refused or rate-limited is not the visitor's doing
  if (code == ErrorCode::kRateLimited) code = ErrorCode::kUnavailable;
  if (code == ErrorCode::kInvalidArgument || code == ErrorCode::kAlreadyExists ||
      code == ErrorCode::kUnprocessable) {
    code = ErrorCode::kUpstreamUnavailable;
  }
  return {code, HttpStatus(code), ProfileMessage(code, false)};
}

ErrorView Registration(ErrorCode code) {
  std::string kept = "What you typed is still in the form; enter your password again. ";
  // no user to be missing: a 404 here means Okta's API is not where ORG_URL says
  int status = code == ErrorCode::kNotFound ? 502 : ProviderStatus(code);
  if (code == ErrorCode::kUpstreamUnavailable) {
    return {code,
            status,
            {"Account not created",
             "The identity provider did not accept our request, so your account was not "
             "created. " +
                 kept + "If it keeps happening, tell the site's administrator."}};
  }
  return {code,
          status,
          {"Account not created",
           "We could not reach the identity provider, so your account was not created. " + kept +
               "Please try again in a minute."}};
}

// Too many requests of this process wait for the provider (base/park.h): whatever the task,
// nothing happened, and the visitor may simply come back in a moment.
ErrorView BusyView(Task task) {
  std::string kept = task == Task::kProfileSave ? "Nothing was saved, and what you typed is still "
                                                  "in the form. "
                     : task == Task::kRegistration
                         ? "Your account was not created; what you typed is still in the form "
                           "(enter your password again). "
                         : "";
  return {ErrorCode::kUnavailable,
          HttpStatus(ErrorCode::kUnavailable),
          {"The identity provider is slow",
           "The identity provider is answering slowly and too many requests are waiting for "
           "it. " +
               kept + "Please try again in a moment."},
          park::kBusyRetryAfterSeconds};
}

// The session registry cannot be read or written (fail closed, docs/ARCHITECTURE.md "Sessions"):
// nobody is signed in or out meanwhile, whatever the task, and a session that was active still
// is once the store answers again.
ErrorView SessionsUnavailableView() {
  return {ErrorCode::kUnavailable,
          HttpStatus(ErrorCode::kUnavailable),
          {"Sessions are unavailable",
           "We cannot check or record sign-ins right now, so nothing was shown or changed. If you "
           "were signed in, you still are: please try again in a moment."},
          kSessionsRetryAfterSeconds};
}

// OpenID Connect Back-Channel Logout 1.0 §2.8: 400 for a request or token that is not valid; a
// valid one that cannot be acted on is 501 when this site keeps no server-side sessions (nothing
// to end: the provider should stop sending), and 503 while the session registry or the
// provider's keys cannot be reached (the provider may send again). Short reasons only: the
// detail of a refusal is in our log, not in the answer.
ErrorView BackChannelLogout(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {code,
              400,
              {"Bad request", "The logout token is missing or not valid."},
              0,
              "invalid_request"};
    case ErrorCode::kNotImplemented:
      return {code,
              501,
              {"Not available", "This site keeps no server-side sessions, so it cannot end them."},
              0,
              "server_error"};
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kUpstreamUnavailable:
      return {ErrorCode::kUnavailable,
              503,
              {"Service unavailable", "Sessions cannot be ended right now. Try again later."},
              0,
              "temporarily_unavailable"};
    default:
      return {
          code, 500, {"Something went wrong", "Sessions could not be ended."}, 0, "server_error"};
  }
}

}  // namespace

ErrorView ViewOf(const Error& error, Task task) {
  if (task == Task::kBackChannelLogout) return BackChannelLogout(error.code);
  if (error.reason == Reason::kProviderBusy) return BusyView(task);
  if (error.reason == Reason::kSessionsUnavailable) return SessionsUnavailableView();
  // The user's own MyAccount tokens failed: whatever the page, only the user can fix it, by
  // signing in (again, or afresh), so the words are the reason's on every page
  switch (error.reason) {
    case Reason::kSignInAgain:
    case Reason::kAccessTokenRefused:
    case Reason::kScopeMissing:
    case Reason::kRecentSignInRequired:
      if (task != Task::kSignIn) {
        return {error.code, HttpStatus(error.code), *ForReason(error.reason)};
      }
      break;
    default:
      break;
  }
  switch (task) {
    case Task::kSignIn:
      // unreachable or too slow is, to the person waiting, the same thing: try again shortly
      if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kDeadlineExceeded) {
        return {ErrorCode::kUnavailable,
                HttpStatus(ErrorCode::kUnavailable),
                {"Sign-in is unavailable",
                 "We could not reach the identity provider. Please try again in a moment."}};
      }
      break;
    case Task::kSignOut:
      return {error.code,
              HttpStatus(error.code),
              {"Sign-out not confirmed",
               "This sign-out request did not come from this site's form, so you are still "
               "signed in."}};
    case Task::kProfileRead:
      return ProfileRead(error.code);
    case Task::kProfileSave:
      return {error.code, ProviderStatus(error.code), ProfileMessage(error.code, true)};
    case Task::kRegistration:
      return Registration(error.code);
    case Task::kBackChannelLogout:  // answered above
    case Task::kPage:
      break;
  }
  std::optional<UserMessage> reasoned = ForReason(error.reason);
  return {error.code, HttpStatus(error.code), reasoned ? *reasoned : ForCode(error.code)};
}

void AddRetryAfter(int seconds, http::Response* response) {
  if (seconds > 0) response->Header("Retry-After", std::to_string(seconds));
}

}  // namespace userdesk::app
