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
  visitor.session = app.CurrentSession(request);
  int64_t now = session::NowSeconds();
  if (visitor.session && app.sessions.NeedsRenewal(*visitor.session, now)) {
    visitor.session = app.sessions.Renewed(std::move(*visitor.session), now);
    visitor.renewal = app.sessions.IssueCookie(*visitor.session, now);
  }
  return visitor;
}

std::string SignInUrl(const http::Request& request) {
  std::string here = request.path;
  if (!request.query.empty()) here += "?" + request.query;
  return SignInPath(here);
}

std::optional<http::Response> SignInRequired(const App& app, const http::Request& request,
                                             const Visitor& visitor) {
  if (visitor.session) return std::nullopt;
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
