#include "app/app.h"

#include <exception>
#include <utility>

#include "app/error_page.h"
#include "app/ops_endpoints.h"
#include "base/log.h"
#include "session/redis_registry.h"
#include "session/sqlite_registry.h"

namespace userdesk::app {

std::optional<session::Session> App::CurrentSession(const http::Request& request,
                                                    bool* registry_unavailable) const {
  auto cookie = request.Cookie(sessions.cookie_name());
  if (!cookie) return std::nullopt;
  int64_t now = session::NowSeconds();
  auto session = sessions.Decode(*cookie, now);
  if (!session) {
    log::Info(name, log::Event("session.cookie_rejected",
                               "session cookie rejected (tampered, expired or malformed)")
                        .Id(request.request_id));
    return std::nullopt;
  }
  if (!session_gate) return session;
  switch (session_gate->Check(*session, now)) {
    case session::SessionGate::Verdict::kActive:
      return session;
    case session::SessionGate::Verdict::kEnded:
      log::Info(name, log::Event("session.ended_refused",
                                 "session cookie refused: that session has ended")
                          .Id(request.request_id)
                          .Add("sub", session->sub));
      return std::nullopt;
    case session::SessionGate::Verdict::kUnavailable:
      log::Warn(name, log::Event("session.registry_unavailable",
                                 "session cookie refused: the session registry cannot be read")
                          .Id(request.request_id));
      if (registry_unavailable != nullptr) *registry_unavailable = true;
      return std::nullopt;
  }
  return std::nullopt;
}

Result<std::shared_ptr<session::Registry>> OpenRegistry(const config::Config& cfg) {
  std::shared_ptr<session::Registry> registry;
  if (cfg.session_store_redis) {
    const config::Config::RedisStore& redis = *cfg.session_store_redis;
    session::RedisOptions options{redis.host, redis.port, redis.db, redis.password};
    // a record outlives every copy of its session's cookie
    options.record_ttl_seconds = int64_t{cfg.session_max_hours} * 3600 + cfg.clock_skew_seconds;
    auto opened = session::RedisRegistry::Open(std::move(options));
    if (!opened) return opened.error();
    registry = std::move(opened).value();
  } else if (!cfg.session_store_path.empty()) {
    auto opened = session::SqliteRegistry::Open(cfg.session_store_path);
    if (!opened) return opened.error();
    registry = std::move(opened).value();
  }
  return registry;
}

std::optional<App> Build(const char* name, const config::Requirements& needs) {
  auto cfg = config::Load(needs);
  if (!cfg) {
    // the log stays one event per line: each problem on its own line
    log::Error(name, "configuration problems:");
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
  std::shared_ptr<session::SessionGate> gate;
  auto registry = OpenRegistry(*cfg);
  if (!registry) {
    log::Error(name, registry.error().detail + " (SESSION_STORE)");
    return std::nullopt;
  }
  if (*registry) {
    gate = std::make_shared<session::SessionGate>(std::move(registry).value(),
                                                  cfg->session_check_seconds);
    // no cookie outlives its absolute lifetime (plus the skew its issued-at may have)
    gate->PurgeAfter(codec.absolute_seconds + codec.max_clock_skew);
  }
  App app{name, std::move(*cfg), std::move(*templates), session::SessionCodec(codec)};
  app.session_gate = std::move(gate);
  return app;
}

LiveApp::LiveApp(const char* name, config::Requirements needs, HandlerFactory make_handler)
    : name_(name), needs_(needs), make_handler_(std::move(make_handler)) {}

bool LiveApp::Reload() {
  std::optional<App> app = Build(name_, needs_);
  if (!app) return false;
  // On the heap first, so the handler's references into the App stay valid.
  auto next = std::make_shared<Served>(Served{std::move(*app), fcgi::Handler()});
  try {
    next->handler = make_handler_(next->app);
  } catch (const std::exception& e) {
    // the reload runs on the signal thread, outside fcgi's per-request catch
    log::Error(name_, std::string("building the handler failed: ") + e.what());
    return false;
  }
  std::shared_ptr<const Served> previous;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    previous = std::exchange(current_, std::move(next));
  }
  // previous is released here, outside the lock; if no request holds it, it is freed now
  return true;
}

std::shared_ptr<const Served> LiveApp::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

int RunResponder(const char* name, const config::Requirements& needs,
                 const HandlerFactory& make_handler) {
  // Before anything slow: a SIGHUP or SIGTERM during start-up waits for Serve instead of
  // killing the process (SIGHUP's default action).
  fcgi::BlockServeSignals();
  if (const char* level = std::getenv("LOG_LEVEL")) {
    log::Level parsed;
    if (log::ParseLevel(level, &parsed)) log::SetLevel(parsed);
  }
  log::SetResponder(name);
  if (const char* format = std::getenv("LOG_FORMAT")) {
    log::Format parsed;
    if (log::ParseFormat(format, &parsed)) log::SetFormat(parsed);
  }
  LiveApp live(name, needs, make_handler);
  if (!live.Reload())
    return 78;  // EX_CONFIG: systemd shows the cause; Restart= will not loop on it

  fcgi::ServerOptions options;
  options.component = name;
  {
    std::shared_ptr<const Served> first = live.Current();
    // LOG_LEVEL from the environment took effect above for start-up; the .env file may set it too.
    log::SetLevel(first->app.config.log_level);
    log::SetFormat(first->app.config.log_format);
    options.threads = first->app.config.threads;
    options.max_parked = first->app.config.okta_max_concurrent_calls;
    options.max_body_bytes = first->app.config.max_body_bytes;
  }
  options.on_reload = [&live, &options, name] {
    log::Info(name, "SIGHUP: reloading configuration and templates");
    if (!live.Reload()) {
      log::Error(name,
                 "reload failed; still serving with the previous configuration and templates");
      return;
    }
    const config::Config& now = live.Current()->app.config;
    log::SetLevel(now.log_level);
    log::SetFormat(now.log_format);
    // Both are fixed when Serve starts; say so rather than pretend they changed.
    if (now.threads != options.threads || now.max_body_bytes != options.max_body_bytes ||
        now.okta_max_concurrent_calls != options.max_parked) {
      log::Warn(name,
                "USERDESK_THREADS, USERDESK_MAX_BODY and OKTA_MAX_CONCURRENT_CALLS take effect on "
                "restart, not reload");
    }
    log::Info(name, "reloaded");
  };
  // /-/health, /-/ready and /-/metrics, the same for every responder, before its own routes
  OpsEndpoints ops(OpsOptionsFor(name, needs));
  fcgi::Handler handler = [&live, &ops](const http::Request& request) {
    std::shared_ptr<const Served> served = live.Current();  // held until the answer is built
    if (OpsEndpoints::Handles(request.path)) return ops.Answer(request, &served->app);
    return served->handler(request);
  };
  return fcgi::Serve(options, handler, [&live](const Error& error, const http::Request& request) {
    std::shared_ptr<const Served> served = live.Current();
    return ErrorResponse(served->app, error, request);
  });
}

}  // namespace userdesk::app
