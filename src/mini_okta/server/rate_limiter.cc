#include "mini_okta/server/rate_limiter.h"

#include <algorithm>

namespace userdesk::mini_okta {
namespace {

constexpr int64_t kWindowMs = 60 * 1000;
// With limits off the headers still show a ceiling, so clients that read them keep working.
constexpr int64_t kOffLimit = 10000;

std::string UsersBucket(std::string_view method, std::string_view path) {
  std::string_view rest = path.substr(std::string_view("/api/v1/users").size());
  if (rest.empty() || rest == "/") return "users-collection";  // list and create
  if (method == "GET" && rest.find('/', 1) == std::string_view::npos) return "users-get";
  return "users-write";
}

std::string OAuthBucket(std::string_view path) {
  if (path.ends_with("/v1/authorize")) return "oauth2-authorize";
  if (path.ends_with("/v1/token")) return "oauth2-token";
  return "oauth2-other";
}

}  // namespace

std::optional<RateLimitMode> ParseRateLimitMode(std::string_view text) {
  if (text == "off") return RateLimitMode::kOff;
  if (text == "developer") return RateLimitMode::kDeveloper;
  return std::nullopt;
}

std::optional<std::string> RateLimiter::BucketFor(std::string_view method, std::string_view path) {
  if (path.starts_with("/api/v1/users")) return UsersBucket(method, path);
  if (path.starts_with("/api/v1/authn")) return "authn";
  if (path.starts_with("/api/v1/")) return "api-other";
  if (path.starts_with("/oauth2/")) {
    if (path.ends_with("/v1/keys") || path.find("/.well-known/") != std::string_view::npos) {
      return std::nullopt;
    }
    return OAuthBucket(path);
  }
  return std::nullopt;
}

int64_t RateLimiter::LimitFor(RateLimitMode mode, std::string_view bucket) {
  if (mode == RateLimitMode::kOff) return kOffLimit;
  // Okta's developer-org table: 100/min for every /api/v1 group, 300/min for /oauth2.
  return bucket.starts_with("oauth2-") ? 300 : 100;
}

RateLimiter::RateLimiter(RateLimitMode mode) : mode_(mode) {}

RateLimitDecision RateLimiter::Take(const std::string& bucket, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t limit = LimitFor(mode_, bucket);
  Window& w = windows_[bucket];
  if (w.used == 0 || now_ms - w.start_ms >= kWindowMs) w = Window{now_ms, 0};
  RateLimitDecision d;
  d.limit = limit;
  d.reset_epoch_seconds = (w.start_ms + kWindowMs + 999) / 1000;
  d.allowed = mode_ == RateLimitMode::kOff || w.used < limit;
  if (d.allowed) ++w.used;
  d.remaining = std::max<int64_t>(0, limit - w.used);
  return d;
}

void RateLimiter::set_mode(RateLimitMode mode) {
  std::lock_guard<std::mutex> lock(mu_);
  mode_ = mode;
  windows_.clear();
}

RateLimitMode RateLimiter::mode() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mode_;
}

}  // namespace userdesk::mini_okta
