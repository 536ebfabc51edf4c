#include "app/guard.h"

#include "base/log.h"

#include "app/error_page.h"
#include "app/return_to.h"
#include "http/cgi_parse.h"
#include "json/json.h"

namespace userdesk::app {

void Visitor::Finish(http::Response* response) const {
  if (renewal) response->Cookie(*renewal);
}

void EndIfPasswordChanged(const App& app, const http::Request& request, Visitor* visitor,
                          int64_t password_changed_ms) {
  if (!app.session_gate || !visitor->session) return;
  auto ended = app.session_gate->EndIfPasswordChangedSince(*visitor->session, password_changed_ms,
                                                           session::NowSeconds());
  if (!ended.ok()) {
    log::Warn(app.name, ended.error().detail + log::IdTag(request.request_id));
    return;
  }
  if (!*ended) return;
  log::Info(app.name, "session ended: the password changed after it began sub=" +
                          visitor->session->sub + log::IdTag(request.request_id));
  visitor->session.reset();
  visitor->renewal.reset();
}

Visitor Identify(const App& app, const http::Request& request) {
  Visitor visitor;
  visitor.had_cookie = request.Cookie(app.sessions.cookie_name()).has_value();
  visitor.session = app.CurrentSession(request, &visitor.registry_unavailable);
  int64_t now = session::NowSeconds();
  if (visitor.session && app.sessions.NeedsRenewal(*visitor.session, now)) {
    visitor.session = app.sessions.Renewed(std::move(*visitor.session), now);
    visitor.renewal = app.sessions.IssueCookie(*visitor.session, now);
  }
  return visitor;
}

// The registry could not say whether the session is active: refused (fail closed), but not
// signed out. Sending the visitor to sign in would fail the same way (a sign-in cannot be
// recorded either), and clearing the cookie would end a session that may be fine once the
// store answers again: 503, "try again", the cookie kept.
http::Response SessionsUnavailable(const App& app, const http::Request& request) {
  Error error = MakeError(ErrorCode::kUnavailable,
                          "session not checked: the registry cannot be read",
                          Reason::kSessionsUnavailable);
  bool get = request.method == "GET" || request.method == "HEAD";
  std::string here = request.path + (request.query.empty() ? "" : "?" + request.query);
  http::Response response = ErrorResponse(app, error, request, Task::kPage,
                                          PageAction{get ? CleanReturnTo(here) : "/", "Try again"});
  response.Header("Cache-Control", "no-store");
  return response;
}

std::string SignInUrl(const http::Request& request) {
  std::string here = request.path;
  if (!request.query.empty()) here += "?" + request.query;
  return SignInPath(here);
}

std::optional<http::Response> SignInRequired(const App& app, const http::Request& request,
                                             const Visitor& visitor) {
  if (visitor.session) return std::nullopt;
  if (visitor.registry_unavailable) return SessionsUnavailable(app, request);
  std::string sign_in = SignInUrl(request);
  http::Response response;
  if (request.WantsJson()) {
    json::Document d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    d.AddMember("error", "unauthenticated", a);
    d.AddMember("message", "Sign in to continue.", a);
    d.AddMember("signInUrl", json::Str(sign_in, a), a);
    response = http::Response::Json(401, json::Write(d));
  } else if (request.method == "GET" || request.method == "HEAD") {
    response = http::Response::Redirect(sign_in);
  } else {
    response = ErrorResponse(
        app,
        MakeError(ErrorCode::kUnauthenticated, "session missing or expired on " + request.method,
                  Reason::kSessionEndedBeforePost),
        request, Task::kPage, PageAction{sign_in, "Sign in again"});
  }
  if (visitor.had_cookie) response.Cookie(app.sessions.ClearCookie());
  response.Header("Cache-Control", "no-store");
  return response;
}

}  // namespace userdesk::app
