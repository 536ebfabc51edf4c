// What every responder shares, built once at start-up: configuration, templates, the session
// codec. RunResponder does the start-up checks (configuration, templates) and then serves.
#pragma once

#include <functional>
#include <optional>

#include "config/config.h"
#include "fcgi/fcgi_server.h"
#include "http/request.h"
#include "http/response.h"
#include "session/session_cookie.h"
#include "view/templates.h"

namespace userdesk::app {

struct App {
  const char* name;  // the responder's name: home, auth, dashboard, profile, account
  config::Config config;
  view::Templates templates;
  session::SessionCodec sessions;

  // The caller's session, or nullopt. A cookie that is present but invalid (tampered, expired,
  // signed with an unknown key) is logged at info and treated as no session.
  std::optional<session::Session> CurrentSession(const http::Request& request) const;
};

// Builds an App from the environment: on a configuration or template problem, prints every
// problem to stderr and returns nullopt (the responder then exits non-zero).
std::optional<App> Build(const char* name, const config::Requirements& needs);

// Start-up + serve: Build, then fcgi::Serve with make_handler(app) and the app's error page.
int RunResponder(const char* name, const config::Requirements& needs,
                 const std::function<fcgi::Handler(const App&)>& make_handler);

}  // namespace userdesk::app
