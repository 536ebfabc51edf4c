// The one place an Error becomes an HTTP response. It logs the internal detail once, with the
// request id, and answers with the status and words of the error table (app/error_table.h):
// never the detail, never a stack trace.
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "app/error_table.h"
#include "base/error.h"

namespace userdesk::app {

// A next step offered on a problem page, e.g. "Sign in again" -> /login.
struct PageAction {
  std::string href;
  std::string label;
};

// HTML inside the layout, or JSON ({"error": ..., "message": ...}) when the client asks for JSON,
// with what the table says of error during task; action adds a next step beside the link home.
// For Task::kBackChannelLogout always JSON, {"error": <OAuth code>, "error_description": ...},
// never stored.
http::Response ErrorResponse(const App& app, const Error& error, const http::Request& request,
                             Task task = Task::kPage,
                             const std::optional<PageAction>& action = std::nullopt);

// The page for a profile that could not be read (and has no copy to show instead). A user the
// provider no longer knows is signed out (the session cookie cleared) and offered "Sign in
// again"; otherwise "Try again", with Retry-After when the provider gave one.
http::Response ProfileUnreadablePage(const App& app, const http::Request& request,
                                     const Error& error, int retry_after_seconds);

// Layout-free fallback used when even the error template cannot be rendered.
http::Response PlainErrorResponse(int status, const UserMessage& message);

}  // namespace userdesk::app
