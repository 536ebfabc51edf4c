// The fault-injection admin endpoint, for tests and local experiments. Who may call it (loopback
// peers only, no foreign Origin, JSON bodies only) is checked before these handlers run, by the
// request pipeline (server/request_guard.cc).
//   GET  /admin/faults       {"latencyMs", "errorRate", "force429", "clockOffsetSeconds",
//                             "minimalIdToken", "accessTokenLifetimeSeconds",
//                             "refreshTokenGraceSeconds", "rateLimits"}
//   POST /admin/faults       the same members, each optional; answers the new state
//   POST /admin/rotate-key   promotes the published next signing key now (SigningKeys::RotateNow)
// POST /admin/backchannel-logout, which sends a logout token to a client, is served beside the
// OIDC state it needs, by oidc/backchannel_logout.cc.
#include <httplib.h>

#include "mini_okta/dev/faults.h"
#include "mini_okta/management/common.h"
#include "mini_okta/oidc/signing_keys.h"
#include "mini_okta/server/rate_limiter.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

constexpr int64_t kMaxAccessTokenLifetime = 24 * 3600;  // the longest an Okta policy allows
constexpr int64_t kMaxRefreshGrace = 60;                // Okta's ceiling for the grace period

void SendState(httplib::Response& res, Context& ctx) {
  FaultSettings f = ctx.faults->Get();
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("latencyMs", f.latency_ms, a);
  doc.AddMember("errorRate", f.error_rate, a);
  doc.AddMember("force429", f.force_429, a);
  doc.AddMember("clockOffsetSeconds", f.clock_offset_seconds, a);
  doc.AddMember("minimalIdToken", f.minimal_id_token, a);
  doc.AddMember("accessTokenLifetimeSeconds", f.access_token_lifetime_seconds, a);
  doc.AddMember("refreshTokenGraceSeconds", f.refresh_token_grace_seconds, a);
  bool developer = ctx.rate_limiter->mode() == RateLimitMode::kDeveloper;
  doc.AddMember("rateLimits", json::Str(developer ? "developer" : "off", a), a);
  SendJson(res, 200, doc);
}

// Copies the members present in body onto f; the first bad member's name, or "" when all fit.
std::string ApplyFaultChanges(const json::Value& body, FaultSettings* f) {
  if (const json::Value* v = json::Member(body, "latencyMs")) {
    if (!v->IsInt64() || v->GetInt64() < 0) return "latencyMs";
    f->latency_ms = v->GetInt64();
  }
  if (const json::Value* v = json::Member(body, "errorRate")) {
    if (!v->IsNumber() || v->GetDouble() < 0.0 || v->GetDouble() > 1.0) return "errorRate";
    f->error_rate = v->GetDouble();
  }
  if (const json::Value* v = json::Member(body, "force429")) {
    if (!v->IsBool()) return "force429";
    f->force_429 = v->GetBool();
  }
  if (const json::Value* v = json::Member(body, "clockOffsetSeconds")) {
    if (!v->IsInt64()) return "clockOffsetSeconds";
    f->clock_offset_seconds = v->GetInt64();
  }
  if (const json::Value* v = json::Member(body, "minimalIdToken")) {
    if (!v->IsBool()) return "minimalIdToken";
    f->minimal_id_token = v->GetBool();
  }
  if (const json::Value* v = json::Member(body, "accessTokenLifetimeSeconds")) {
    if (!v->IsInt64() || v->GetInt64() < 1 || v->GetInt64() > kMaxAccessTokenLifetime) {
      return "accessTokenLifetimeSeconds";
    }
    f->access_token_lifetime_seconds = v->GetInt64();
  }
  if (const json::Value* v = json::Member(body, "refreshTokenGraceSeconds")) {
    if (!v->IsInt64() || v->GetInt64() < 0 || v->GetInt64() > kMaxRefreshGrace) {
      return "refreshTokenGraceSeconds";
    }
    f->refresh_token_grace_seconds = v->GetInt64();
  }
  return "";
}

void HandleSetFaults(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  FaultSettings f = ctx.faults->Get();
  if (std::string bad = ApplyFaultChanges(*body, &f); !bad.empty()) {
    return SendOktaError(res, ValidationFailed(bad, {bad + ": Property value is not valid"}));
  }
  std::optional<RateLimitMode> mode;
  if (const json::Value* v = json::Member(*body, "rateLimits")) {
    mode = v->IsString() ? ParseRateLimitMode(v->GetString()) : std::nullopt;
    if (!mode)
      return SendOktaError(
          res, ValidationFailed("rateLimits", {"rateLimits: must be off or developer"}));
  }
  ctx.faults->Set(f);
  if (mode) ctx.rate_limiter->set_mode(*mode);
  SendState(res, ctx);
}

void HandleRotateKey(httplib::Response& res, Context& ctx) {
  if (ctx.keys == nullptr) return SendOktaError(res, ServerError(503));
  ctx.keys->RotateNow();
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("kid", json::Str(ctx.keys->CurrentKid(), doc.GetAllocator()), doc.GetAllocator());
  SendJson(res, 200, doc);
}

}  // namespace

void RegisterAdminRoutes(httplib::Server& server, Context& ctx) {
  server.Get("/admin/faults",
             [&ctx](const httplib::Request&, httplib::Response& res) { SendState(res, ctx); });
  server.Post("/admin/faults", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleSetFaults(req, res, ctx);
  });
  server.Post("/admin/rotate-key", [&ctx](const httplib::Request&, httplib::Response& res) {
    HandleRotateKey(res, ctx);
  });
}

}  // namespace userdesk::mini_okta
