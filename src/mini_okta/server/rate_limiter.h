// Okta-style per-minute rate limits: one counter per endpoint group ("bucket"), each with a
// 60-second window that starts at the bucket's first request (Okta's windows are not aligned to
// wall-clock minutes). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace userdesk::mini_okta {

enum class RateLimitMode {
  kOff,        // headers are sent, nothing is refused
  kDeveloper,  // Okta's developer-org (Integrator Free Plan) table
};

// "off" / "developer"; nullopt for anything else.
std::optional<RateLimitMode> ParseRateLimitMode(std::string_view text);

struct RateLimitDecision {
  bool allowed = true;
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset_epoch_seconds = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitMode mode);

  // The bucket a request counts against, or nullopt for paths Okta does not rate-limit
  // (/oauth2/.../keys, .well-known documents, mini-okta's own pages).
  static std::optional<std::string> BucketFor(std::string_view method, std::string_view path);
  // The per-minute limit of a bucket in the given mode.
  static int64_t LimitFor(RateLimitMode mode, std::string_view bucket);

  // Counts one request against bucket at now_ms.
  RateLimitDecision Take(const std::string& bucket, int64_t now_ms);

  void set_mode(RateLimitMode mode);
  RateLimitMode mode() const;

 private:
  struct Window {
    int64_t start_ms = 0;
    int64_t used = 0;
  };
  mutable std::mutex mu_;
  RateLimitMode mode_;
  std::map<std::string, Window> windows_;
};

}  // namespace userdesk::mini_okta
