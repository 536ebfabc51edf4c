#include "app/error_page.h"

#include "app/page.h"
#include "base/log.h"
#include "json/json.h"

namespace userdesk::app {

UserMessage MessageFor(ErrorCode code) {
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
    case ErrorCode::kInternal:
      break;
  }
  return {"Something went wrong", "Sorry, something went wrong on our side. Please try again."};
}

http::Response PlainErrorResponse(int status, const UserMessage& message) {
  // the message is one of our fixed strings: no user data reaches this HTML
  return http::Response::Html(
      status, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                  message.title + " - userdesk</title></head><body><h1>" + message.title +
                  "</h1><p>" + message.message + "</p><p><a href=\"/\">Home</a></p></body></html>");
}

http::Response ErrorResponse(const App& app, const Error& error, const http::Request& request,
                             const std::optional<UserMessage>& custom,
                             const std::optional<PageAction>& action) {
  int status = HttpStatus(error.code);
  std::string line = std::string(ToString(error.code)) + " " + std::to_string(status) + " " +
                     request.method + " " + request.path + ": " + error.detail +
                     log::IdTag(request.request_id);
  if (status >= 500) {
    log::Error(app.name, line);
  } else {
    log::Info(app.name, line);
  }
  UserMessage message = custom ? *custom : MessageFor(error.code);
  if (request.WantsJson()) {
    json::Document d(rapidjson::kObjectType);
    d.AddMember("error", json::Str(ToString(error.code), d.GetAllocator()), d.GetAllocator());
    d.AddMember("message", json::Str(message.message, d.GetAllocator()), d.GetAllocator());
    return http::Response::Json(status, json::Write(d));
  }
  Page page;
  page.status = status;
  page.title = message.title;
  page.template_name = "errors/error";
  page.data.set("heading", message.title);
  page.data.set("message", message.message);
  page.data.set("status", std::to_string(status));
  if (action) {
    page.data.set("action_href", action->href);
    page.data.set("action_label", action->label);
  }
  auto session = app.CurrentSession(request);
  auto response = RenderInLayout(app, session, page);
  if (!response) {
    log::Error(app.name, "error page failed to render: " + response.error().detail);
    return PlainErrorResponse(status, message);
  }
  return std::move(*response);
}

}  // namespace userdesk::app
