#include "app/ops_endpoints.h"

#include <algorithm>
#include <utility>

#include "base/iso_time.h"
#include "http/http_client.h"
#include "metrics/registry.h"
#include "oidc/provider.h"

namespace userdesk::app {
namespace {

// The probe's own limit: a load balancer's check times out in a few seconds.
constexpr int kProbeTimeoutMs = 2000;

Status DiscoverIssuer(const config::Config& cfg) {
  if (cfg.issuer.empty()) return MakeError(ErrorCode::kInternal, "no ISSUER (or ORG_URL) set");
  std::string base = cfg.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  http::OutgoingRequest request;
  request.url = base + "/.well-known/openid-configuration";
  request.headers.emplace_back("Accept", "application/json");
  http::ClientOptions client;
  client.connect_timeout_ms = std::min(cfg.http_connect_timeout_ms, kProbeTimeoutMs);
  client.total_timeout_ms = std::min(cfg.http_timeout_ms, kProbeTimeoutMs);
  client.component = "ready";
  auto answer = http::Fetch(request, client);
  if (!answer) return answer.error();
  if (answer->status != 200) {
    return MakeError(ErrorCode::kUpstreamUnavailable,
                     "discovery answered " + std::to_string(answer->status));
  }
  auto metadata = oidc::ParseProviderMetadata(answer->body, cfg.issuer);
  if (!metadata) return metadata.error();
  return OkStatus();
}

http::Response Json(int status, std::string body) {
  http::Response response = http::Response::Json(status, std::move(body));
  response.Header("Cache-Control", "no-store");
  return response;
}

}  // namespace

OpsEndpoints::Options OpsOptionsFor(const char* name, const config::Requirements& needs) {
  OpsEndpoints::Options options;
  options.name = name;
  options.calls_idp = needs.okta_client || needs.registration || needs.user_profile;
  options.signs_in = needs.okta_client;
  return options;
}

OpsEndpoints::OpsEndpoints(Options options) : options_(std::move(options)) {
  if (!options_.discover) options_.discover = DiscoverIssuer;
  if (!options_.contact) options_.contact = health::LastContact;
  if (!options_.now_ms) options_.now_ms = NowUnixMs;
}

health::Report OpsEndpoints::Readiness(const App* app) {
  health::Report report;
  if (app == nullptr) {
    report.checks.push_back({"config", false, "no configuration loaded"});
    return report;
  }
  report.checks.push_back({"config", true, ""});
  if (!options_.calls_idp) return report;

  int64_t now = options_.now_ms();
  health::Check okta = health::OktaAnswering(options_.contact(), now);
  bool discovered = false;
  {
    std::lock_guard state(state_mutex_);
    discovered = discovered_;
  }
  bool want = !okta.ok || (options_.signs_in && !discovered);
  // At most one probe at a time, and none by a check that finds one under way: it answers from
  // what is known now, without waiting for that probe's result.
  std::unique_lock probing(probe_mutex_, std::try_to_lock);
  if (want && probing.owns_lock() &&
      (last_probe_ms_ == 0 || now - last_probe_ms_ >= health::kMinProbeIntervalMs)) {
    last_probe_ms_ = now;
    Status found = options_.discover(app->config);
    std::lock_guard state(state_mutex_);
    discovered_ = found.ok();
    discovery_problem_ = found.ok() ? "" : found.error().detail;
    okta = health::OktaAnswering(options_.contact(), options_.now_ms());
  }
  if (probing.owns_lock()) probing.unlock();
  report.checks.push_back(okta);
  if (options_.signs_in) {
    std::lock_guard state(state_mutex_);
    report.checks.push_back({"issuer", discovered_, discovery_problem_});
  }
  return report;
}

http::Response OpsEndpoints::Answer(const http::Request& request, const App* app) {
  std::string_view path = request.path;
  path.remove_prefix(kOpsPrefix.size());
  size_t slash = path.find('/');
  std::string_view kind = path.substr(0, slash);
  std::string_view name = slash == std::string_view::npos ? "" : path.substr(slash + 1);
  bool known = kind == "health" || kind == "ready" || kind == "metrics";
  if (!known || name != options_.name) {
    return Json(404, R"({"status":"not found"})");
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return http::Response::MethodNotAllowed("GET, HEAD");
  }
  if (kind == "health") return Json(200, health::LivenessJson(options_.name));
  if (kind == "ready") {
    health::Report report = Readiness(app);
    return Json(report.ready() ? 200 : 503, health::ReadinessJson(options_.name, report));
  }
  http::Response response =
      http::Response::WithBody(200, metrics::kExpositionContentType, metrics::Exposition());
  response.Header("Cache-Control", "no-store");
  return response;
}

}  // namespace userdesk::app
