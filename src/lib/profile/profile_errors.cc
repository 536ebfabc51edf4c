#include "profile/profile_errors.h"

#include "base/iso_time.h"

namespace userdesk::profile {

app::UserMessage MessageFor(const okta::Failure& failure, bool saving) {
  if (failure.error.code == ErrorCode::kNotFound) {
    return {"Account not found",
            "Your account no longer exists at the identity provider, so you have been signed "
            "out. Contact your administrator if this is unexpected."};
  }
  std::string what = saving ? "Nothing was saved, and what you typed is still in the form. " : "";
  if (failure.error.code == ErrorCode::kUpstreamUnavailable) {
    return {"Identity provider error", "The identity provider did not accept our request. " + what +
                                           "Please try again later; if it keeps happening, tell "
                                           "your administrator."};
  }
  return {"Identity provider unavailable",
          "We could not reach the identity provider. " + what + "Please try again in a minute."};
}

std::string StaleNotice(const CachedProfile& cached) {
  return "We could not reach the identity provider; showing data from " +
         FormatUtc(cached.fetched_at_ms, "%H:%M UTC") + ".";
}

http::Response ProfileUnavailablePage(const app::App& app, const http::Request& request,
                                      const okta::Failure& failure) {
  Error error = failure.error;
  if (error.code == ErrorCode::kRateLimited) error.code = ErrorCode::kUnavailable;
  if (error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kAlreadyExists ||
      error.code == ErrorCode::kUnprocessable) {
    error.code = ErrorCode::kUpstreamUnavailable;  // a read the provider refused: not the user's
  }
  if (error.code == ErrorCode::kNotFound) {
    http::Response response = app::ErrorResponse(app, error, request, MessageFor(failure, false),
                                                 app::PageAction{"/login", "Sign in again"});
    response.Cookie(app.sessions.ClearCookie());
    return response;
  }
  http::Response response = app::ErrorResponse(app, error, request, MessageFor(failure, false),
                                               app::PageAction{request.path, "Try again"});
  okta::AddRetryAfter(failure, &response);
  return response;
}

}  // namespace userdesk::profile
