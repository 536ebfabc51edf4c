// The one table from a failure to what the visitor gets: the status and the words. Every page
// and form that reports a failure asks it (ErrorResponse for whole pages; the profile and
// registration forms for the notice above a form sent back). Statuses and words live nowhere
// else; details never reach it, they go to the log.
#pragma once

#include <string>

#include "base/error.h"
#include "http/response.h"

namespace userdesk::app {

struct UserMessage {
  std::string title;
  std::string message;
};

// What the visitor was doing when it failed: the same failure reads differently in each.
enum class Task {
  kPage,          // any page: the code's own status and words
  kSignIn,        // /login and the callback: an unreachable provider is "try again shortly"
  kSignOut,       // a sign-out post that failed its form checks
  kProfileRead,   // reading the signed-in user's profile for the dashboard or the form
  kProfileSave,   // saving the profile form (the form comes back with what was typed)
  kRegistration,  // creating an account (the form comes back with what was typed)
  // the identity provider's back-channel logout request (no visitor: the provider reads the
  // status, and the words go to its logs as an OAuth error object, RFC 6749 §5.2)
  kBackChannelLogout,
};

struct ErrorView {
  ErrorCode code;  // as logged and named in a JSON answer
  int status;
  UserMessage message;
  int retry_after_seconds = 0;  // Retry-After, when the failure itself says when to come back
  const char* oauth_error = "";  // RFC 6749's error code, for a provider (kBackChannelLogout)
};

ErrorView ViewOf(const Error& error, Task task = Task::kPage);

// Retry-After, when the provider's rate limit (or a busy process) said how long to wait.
void AddRetryAfter(int seconds, http::Response* response);

}  // namespace userdesk::app
