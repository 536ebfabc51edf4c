// What every responder shares, built at start-up and again on each reload (SIGHUP):
// configuration, templates, the session codec. RunResponder does the start-up checks
// (configuration, templates) and then serves.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "config/config.h"
#include "fcgi/fcgi_server.h"
#include "http/request.h"
#include "http/response.h"
#include "session/session_cookie.h"
#include "session/session_gate.h"
#include "view/templates.h"

namespace userdesk::app {

struct App {
  const char* name;  // the responder's name: home, auth, dashboard, profile, account
  config::Config config;
  view::Templates templates;
  session::SessionCodec sessions;
  // The session registry's check (SESSION_STORE); null when sessions live in the cookie alone.
  std::shared_ptr<session::SessionGate> session_gate = nullptr;

  // The caller's session, or nullopt. A cookie that is present but invalid (tampered, expired,
  // signed with an unknown key), or whose session the registry says has ended, is logged at
  // info and treated as no session; so is any session while the registry cannot be read (logged
  // at warn), and then *registry_unavailable, when given, is set: the session may well be
  // active, so callers say "try again" instead of "sign in", and keep the cookie.
  std::optional<session::Session> CurrentSession(const http::Request& request,
                                                 bool* registry_unavailable = nullptr) const;
};

// The session registry SESSION_STORE names: Redis, or the SQLite file; null when sessions live
// in the cookie alone. The error names the store and why it cannot be opened.
Result<std::shared_ptr<session::Registry>> OpenRegistry(const config::Config& cfg);

// Builds an App from the environment: on a configuration or template problem, prints every
// problem to stderr and returns nullopt (the responder then exits non-zero).
std::optional<App> Build(const char* name, const config::Requirements& needs);

using HandlerFactory = std::function<fcgi::Handler(const App&)>;

// One generation of what a responder serves with: the App and the handler made from it. The
// handler may keep references into app, so the two live and die together.
struct Served {
  App app;
  fcgi::Handler handler;
};

// The responder's current generation. Reload builds a whole new one and swaps it in; a request
// takes Current() once and keeps that shared_ptr until it is answered, so requests in flight
// finish on the generation they started with and the old one is freed after the last of them.
class LiveApp {
 public:
  LiveApp(const char* name, config::Requirements needs, HandlerFactory make_handler);

  // Builds a new generation from the configuration and templates on disk now. On a problem it
  // logs every one of them, keeps the current generation and returns false.
  bool Reload();

  // Never null after the first successful Reload.
  std::shared_ptr<const Served> Current() const;

 private:
  const char* name_;
  config::Requirements needs_;
  HandlerFactory make_handler_;
  mutable std::mutex mutex_;  // guards current_ (the pointer, not what it points to)
  std::shared_ptr<const Served> current_;
};

// Start-up + serve: the first LiveApp generation, then fcgi::Serve with a handler and error page
// that use the current generation per request; SIGHUP reloads (LiveApp::Reload).
int RunResponder(const char* name, const config::Requirements& needs,
                 const HandlerFactory& make_handler);

}  // namespace userdesk::app
