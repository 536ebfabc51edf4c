#include "app/error_page.h"

#include "app/page.h"
#include "base/log.h"
#include "json/json.h"

namespace userdesk::app {

http::Response PlainErrorResponse(int status, const UserMessage& message) {
  // the message is one of our fixed strings: no user data reaches this HTML
  return http::Response::Html(
      status, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                  message.title + " - userdesk</title></head><body><h1>" + message.title +
                  "</h1><p>" + message.message + "</p><p><a href=\"/\">Home</a></p></body></html>");
}

http::Response ErrorResponse(const App& app, const Error& error, const http::Request& request,
                             Task task, const std::optional<PageAction>& action) {
  ErrorView view = ViewOf(error, task);
  int status = view.status;
  std::string line = std::string(ToString(view.code)) + " " + std::to_string(status) + " " +
                     request.method + " " + request.path + ": " + error.detail;
  log::Event event = log::Event("http.error", line)
                         .Id(request.request_id)
                         .Add("error", ToString(view.code))
                         .Add("status", status)
                         .Add("method", request.method)
                         .Add("path", request.path)
                         .Add("detail", error.detail);
  if (status >= 500) {
    log::Error(app.name, event);
  } else {
    log::Info(app.name, event);
  }
  const UserMessage& message = view.message;
  if (task == Task::kBackChannelLogout) {  // for the provider: RFC 6749 §5.2's error object
    json::Document d(rapidjson::kObjectType);
    d.AddMember("error", json::Str(view.oauth_error, d.GetAllocator()), d.GetAllocator());
    d.AddMember("error_description", json::Str(message.message, d.GetAllocator()),
                d.GetAllocator());
    http::Response response = http::Response::Json(status, json::Write(d));
    response.Header("Cache-Control", "no-store");  // Back-Channel Logout 1.0 §2.8
    return response;
  }
  if (request.WantsJson()) {
    json::Document d(rapidjson::kObjectType);
    d.AddMember("error", json::Str(ToString(view.code), d.GetAllocator()), d.GetAllocator());
    d.AddMember("message", json::Str(message.message, d.GetAllocator()), d.GetAllocator());
    http::Response response = http::Response::Json(status, json::Write(d));
    AddRetryAfter(view.retry_after_seconds, &response);
    return response;
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
  auto rendered = RenderInLayout(app, session, page);
  http::Response response = rendered ? std::move(*rendered) : PlainErrorResponse(status, message);
  if (!rendered) {
    log::Error(app.name, log::Event("http.error_page_failed",
                                    "error page failed to render: " + rendered.error().detail)
                             .Id(request.request_id)
                             .Add("detail", rendered.error().detail));
  }
  AddRetryAfter(view.retry_after_seconds, &response);
  return response;
}

http::Response ProfileUnreadablePage(const App& app, const http::Request& request,
                                     const Error& error, int retry_after_seconds) {
  if (error.code == ErrorCode::kNotFound) {
    http::Response response = ErrorResponse(app, error, request, Task::kProfileRead,
                                            PageAction{"/login", "Sign in again"});
    response.Cookie(app.sessions.ClearCookie());
    return response;
  }
  http::Response response =
      ErrorResponse(app, error, request, Task::kProfileRead, PageAction{request.path, "Try again"});
  AddRetryAfter(retry_after_seconds, &response);
  return response;
}

}  // namespace userdesk::app
