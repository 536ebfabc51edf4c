// What happens to every request before and after its route handler: an X-Okta-Request-Id, the
// guard (Host, Origin and admin checks, server/request_guard.h), the fault knobs, the rate-limit
// bucket and its headers, the SSWS check for the management API, and one access-log line. Routes
// never repeat any of this.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "mini_okta/dev/faults.h"
#include "mini_okta/management/okta_error.h"
#include "mini_okta/management/okta_time.h"
#include "mini_okta/server/context.h"
#include "mini_okta/server/rate_limiter.h"
#include "mini_okta/server/request_guard.h"
#include "mini_okta/server/routes.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {
namespace {

// httplib runs a request's pre-routing handler, route and logger on one worker thread.
thread_local std::chrono::steady_clock::time_point request_start;

// The management API wants "SSWS <token>"; the Authn API is public.
bool NeedsApiToken(std::string_view path) {
  return path.starts_with("/api/v1/") && !path.starts_with("/api/v1/authn");
}

// The request's SSWS token's permissions (empty: a super administrator's); nullopt when it has
// no valid token.
std::optional<std::vector<std::string>> ApiTokenPermissions(const httplib::Request& req,
                                                            const Store& store) {
  std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "SSWS ";
  if (!header.starts_with(kScheme)) return std::nullopt;
  return store.api_tokens().PermissionsOf(std::string_view(header).substr(kScheme.size()));
}

// What a token limited to Okta custom-role permissions may call: okta.users.create creates users
// (POST /api/v1/users), okta.users.read reads them (GET /api/v1/users...). A super
// administrator's token (no list) may call everything.
bool Permits(const std::vector<std::string>& permissions, std::string_view method,
             std::string_view path) {
  if (permissions.empty()) return true;
  auto has = [&](std::string_view p) {
    return std::find(permissions.begin(), permissions.end(), p) != permissions.end();
  };
  bool users = path == "/api/v1/users" || path.starts_with("/api/v1/users/");
  if (method == "POST" && path == "/api/v1/users") return has("okta.users.create");
  if (method == "GET" && users) return has("okta.users.read");
  return false;
}

void SetRateLimitHeaders(httplib::Response& res, const RateLimitDecision& d) {
  res.set_header("X-Rate-Limit-Limit", std::to_string(d.limit));
  res.set_header("X-Rate-Limit-Remaining", std::to_string(d.remaining));
  res.set_header("X-Rate-Limit-Reset", std::to_string(d.reset_epoch_seconds));
}

// Latency and injected errors for the paths no rate limit covers but a relying party depends
// on: discovery, the JWKS and the MyAccount API. Clients must survive those failing too.
bool IsUnlimitedProviderPath(std::string_view path) {
  return path.starts_with("/oauth2/") || path.starts_with("/.well-known/") ||
         path.starts_with("/idp/");
}

// Faults, and limits when the request has a bucket. True when the request was answered here.
bool ApplyFaultsAndLimits(const std::optional<std::string>& bucket, httplib::Response& res,
                          Context& ctx) {
  FaultSettings faults = ctx.faults->Get();
  if (faults.latency_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(faults.latency_ms));
  if (!bucket) {
    if (int status = ctx.faults->RollInjectedError(); status != 0) {
      SendOktaError(res, ServerError(status));
      return true;
    }
    return false;
  }
  RateLimitDecision d = ctx.rate_limiter->Take(*bucket, SystemNowMillis());
  if (faults.force_429) d.allowed = false;
  if (!d.allowed) d.remaining = 0;
  SetRateLimitHeaders(res, d);
  if (!d.allowed) {
    SendOktaError(res, RateLimited());
    return true;
  }
  if (int status = ctx.faults->RollInjectedError(); status != 0) {
    SendOktaError(res, ServerError(status));
    return true;
  }
  return false;
}

// RFC 7231 IMF-fixdate. Okta's SDK times its 429 retries from this header and X-Rate-Limit-Reset.
std::string HttpDate() { return FormatUtc(NowUnixMs(), "%a, %d %b %Y %H:%M:%S GMT"); }

httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res,
                                          Context& ctx, const RequestGuard& guard) {
  request_start = std::chrono::steady_clock::now();
  res.set_header("X-Okta-Request-Id", RandomAlphanumeric(27));
  res.set_header("Date", HttpDate());
  // Before anything else, faults and latency included: a refused request changes nothing.
  if (std::optional<Refusal> refusal = guard.Check(req)) {
    guard.Send(req, res, *refusal);
    return httplib::Server::HandlerResponse::Handled;
  }
  std::optional<std::string> bucket = RateLimiter::BucketFor(req.method, req.path);
  if ((bucket || IsUnlimitedProviderPath(req.path)) && ApplyFaultsAndLimits(bucket, res, ctx)) {
    return httplib::Server::HandlerResponse::Handled;
  }
  if (NeedsApiToken(req.path)) {
    std::optional<std::vector<std::string>> permissions = ApiTokenPermissions(req, *ctx.store);
    if (!permissions) {
      SendOktaError(res, InvalidToken());
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!Permits(*permissions, req.method, req.path)) {
      SendOktaError(res, NoPermission());
      return httplib::Server::HandlerResponse::Handled;
    }
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// True for the management API paths mini-okta serves (with some method), so that another
// method there is 405 rather than 404.
bool KnownApiPath(std::string_view path) {
  if (path == "/idp/myaccount/profile" || path == "/idp/myaccount/profile/schema") return true;
  std::vector<std::string_view> s = Segments(path);
  if (s.size() < 3 || s[0] != "api" || s[1] != "v1") return false;
  if (s[2] == "authn") return s.size() == 3;
  if (s[2] == "meta") return s.size() == 6 && s[3] == "schemas" && s[4] == "user";
  if (s[2] != "users") return false;
  if (s.size() == 3 || s.size() == 4) return true;
  if (s.size() == 6 && s[4] == "lifecycle") return true;
  return s.size() == 6 && s[4] == "credentials" && s[5] == "change_password";
}

OktaError MethodNotAllowed() {
  return {405, "E0000022", "The endpoint does not support the provided HTTP method", {}};
}

// Unmatched API paths get Okta's JSON errors rather than httplib's empty bodies.
httplib::Server::HandlerResponse OnError(const httplib::Request& req, httplib::Response& res) {
  if (!res.body.empty() || !(req.path.starts_with("/api/") || req.path.starts_with("/idp/"))) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  int status = res.status;
  if (status == 404 && KnownApiPath(req.path)) {
    SendOktaError(res, MethodNotAllowed());
    return httplib::Server::HandlerResponse::Handled;
  }
  if (status == 404)
    SendOktaError(res, PathNotFound());
  else if (status == 400)
    SendOktaError(res, BadJson());  // httplib could not read the request
  else
    SendOktaError(res, ServerError(500));
  res.status = status;
  return httplib::Server::HandlerResponse::Handled;
}

// The path with one-time tokens (reset and activation links carry them in the path) masked.
std::string LoggablePath(const std::string& path) {
  for (std::string_view prefix : {"/reset_password/", "/reset-password/", "/welcome/"}) {
    if (path.starts_with(prefix)) return std::string(prefix) + "[token]";
  }
  return path;
}

// Method, path (never the query: it can carry codes and session tokens), status, duration.
void LogRequest(const httplib::Request& req, const httplib::Response& res) {
  auto elapsed = std::chrono::steady_clock::now() - request_start;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  log::Info("mini-okta", req.method + " " + LoggablePath(req.path) + " " +
                             std::to_string(res.status) + " " + std::to_string(ms) + "ms");
}

void OnException(const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
  log::Error("mini-okta", "handler threw on " + req.method + " " + req.path);
  SendOktaError(res, ServerError(500));
}

}  // namespace

void InstallRequestPipeline(httplib::Server& server, Context& ctx) {
  auto guard = std::make_shared<const RequestGuard>(ctx.options);
  server.set_pre_routing_handler(
      [&ctx, guard](const httplib::Request& req, httplib::Response& res) {
        return PreRoute(req, res, ctx, *guard);
      });
  server.set_error_handler(httplib::Server::HandlerWithResponse(OnError));
  server.set_exception_handler(OnException);
  server.set_logger(LogRequest);
}

}  // namespace userdesk::mini_okta
