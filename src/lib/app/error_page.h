// The one place an Error becomes an HTTP response. It logs the internal detail once, with the
// request id, and answers with a fixed, user-safe message: never the detail, never a stack trace.
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "base/error.h"

namespace userdesk::app {

struct UserMessage {
  std::string title;
  std::string message;
};

// The message shown for an error code.
UserMessage MessageFor(ErrorCode code);

// A next step offered on a problem page, e.g. "Sign in again" -> /login.
struct PageAction {
  std::string href;
  std::string label;
};

// HTML inside the layout, or JSON ({"error": ..., "message": ...}) when the client asks for JSON.
// message overrides the code's standard wording where the caller knows better (e.g. "this
// sign-in attempt has expired"); action adds a next step beside the link home.
http::Response ErrorResponse(const App& app, const Error& error, const http::Request& request,
                             const std::optional<UserMessage>& message = std::nullopt,
                             const std::optional<PageAction>& action = std::nullopt);

// Layout-free fallback used when even the error template cannot be rendered.
http::Response PlainErrorResponse(int status, const UserMessage& message);

}  // namespace userdesk::app
