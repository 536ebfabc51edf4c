#include "app/app.h"

#include "app/error_page.h"
#include "base/log.h"

namespace userdesk::app {

std::optional<session::Session> App::CurrentSession(const http::Request& request) const {
  auto cookie = request.Cookie(sessions.cookie_name());
  if (!cookie) return std::nullopt;
  auto session = sessions.Decode(*cookie, session::NowSeconds());
  if (!session) {
    log::Info(name, "session cookie rejected (tampered, expired or malformed) id=" +
                        (request.request_id.empty() ? std::string("-") : request.request_id));
  }
  return session;
}

std::optional<App> Build(const char* name, const config::Requirements& needs) {
  auto cfg = config::Load(needs);
  if (!cfg) {
    log::Error(name, "configuration problems:\n" + cfg.error().detail);
    // the log stays one event per line; repeat each problem on its own line for people
    size_t start = 0;
    const std::string& d = cfg.error().detail;
    while (start < d.size()) {
      size_t end = d.find('\n', start);
      if (end == std::string::npos) end = d.size();
      log::Error(name, "config: " + d.substr(start, end - start));
      start = end + 1;
    }
    return std::nullopt;
  }
  auto templates = view::Templates::Load(cfg->templates_dir);
  if (!templates) {
    log::Error(name, templates.error().detail);
    return std::nullopt;
  }
  session::CodecOptions codec;
  codec.secret = cfg->app_secret;
  codec.previous_secret = cfg->app_secret_previous;
  codec.https = cfg->https();
  codec.max_clock_skew = cfg->clock_skew_seconds;
  codec.idle_seconds = int64_t{cfg->session_idle_minutes} * 60;
  codec.absolute_seconds = int64_t{cfg->session_max_hours} * 3600;
  return App{name, std::move(*cfg), std::move(*templates), session::SessionCodec(codec)};
}

int RunResponder(const char* name, const config::Requirements& needs,
                 const std::function<fcgi::Handler(const App&)>& make_handler) {
  if (const char* level = std::getenv("LOG_LEVEL")) {
    log::Level parsed;
    if (log::ParseLevel(level, &parsed)) log::SetLevel(parsed);
  }
  std::optional<App> app = Build(name, needs);
  if (!app) return 78;  // EX_CONFIG: systemd shows the cause; Restart= will not loop on it forever
  fcgi::ServerOptions options;
  options.threads = app->config.threads;
  options.max_body_bytes = app->config.max_body_bytes;
  options.component = name;
  fcgi::Handler handler = make_handler(*app);
  const App& a = *app;
  return fcgi::Serve(options, handler, [&a](const Error& error, const http::Request& request) {
    return ErrorResponse(a, error, request);
  });
}

}  // namespace userdesk::app
