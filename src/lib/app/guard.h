// Who is asking, and the one guard for pages that need a signed-in user.
//
//   Visitor visitor = Identify(app, request);
//   if (auto refusal = SignInRequired(app, request, visitor)) return *refusal;
//   http::Response response = ...;
//   visitor.Finish(&response);  // re-issues a session past half its idle window
#pragma once

#include <optional>

#include "app/app.h"

namespace userdesk::app {

struct Visitor {
  std::optional<session::Session> session;  // nullopt when not (or no longer) signed in
  bool had_cookie = false;                  // a session cookie came, valid or not
  bool registry_unavailable = false;        // its session could not be checked (fail closed)
  std::optional<http::SetCookie> renewal;   // the re-issued cookie (sliding idle window)

  // Adds the renewed session cookie, if any, to a response for this visitor.
  void Finish(http::Response* response) const;
};

// The caller's session, renewed when it is past half its idle window.
Visitor Identify(const App& app, const http::Request& request);

// nullopt when the visitor is signed in. Otherwise the answer that sends them to sign in:
//  - a browser GET/HEAD: 302 to /login?returnTo=<this path and query>;
//  - a request that asks for JSON (Accept, X-Requested-With): 401 {"error", "message",
//    "signInUrl"};
//  - anything else (a form POST): a 401 page saying the session expired and that nothing was
//    saved, with "Sign in again" returning here — never a silent loss.
// A stale or invalid session cookie is cleared on the way.
std::optional<http::Response> SignInRequired(const App& app, const http::Request& request,
                                             const Visitor& visitor);

// Signs the visitor out when the user's password was changed after their session began, other
// than on the Security page (a reset through Okta's link, an administrator): every such session
// of the user ends (session::SessionGate::EndIfPasswordChangedSince), and SignInRequired then
// answers. password_changed_ms: Okta's passwordChanged, from the profile just read. The registry
// unreadable leaves the visitor as they are (logged): the next check of the session decides.
void EndIfPasswordChanged(const App& app, const http::Request& request, Visitor* visitor,
                          int64_t password_changed_ms);

// "/login?returnTo=<path?query>" for this request.
std::string SignInUrl(const http::Request& request);

}  // namespace userdesk::app
