// Fault injection for tests, off by default: settable by flags at start-up and at run time
// through the loopback-only admin endpoint. Thread-safe.
//
// CONTRACT: oidc*.cc relies on ClockOffsetSeconds(); the admin endpoint's "rotate the signing
// key now" calls SigningKeys::RotateNow() (oidc/signing_keys.h).
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

namespace userdesk::mini_okta {

struct FaultSettings {
  int64_t latency_ms = 0;            // added before every API/OAuth response
  double error_rate = 0.0;           // 0..1: share of API/OAuth requests answered 500 or 503
  bool force_429 = false;            // every rate-limited request gets 429 E0000047
  int64_t clock_offset_seconds = 0;  // shifts issued tokens and timestamps
  // ID tokens carry no profile or email claims, as from a custom authorization server whose
  // claims are not marked "always include in token": relying parties must ask userinfo.
  bool minimal_id_token = false;
  // Lifetime of the access tokens issued from now on. Okta's access policies allow 5 minutes to
  // 24 hours; mini-okta also allows less, so a test can watch a token expire and be refreshed.
  int64_t access_token_lifetime_seconds = 3600;
  // How long a rotated refresh token may still be presented (Okta's "grace period for token
  // rotation": 0 to 60 seconds, 30 by default). Reuse after it revokes the whole token family.
  int64_t refresh_token_grace_seconds = 30;
};

class Faults {
 public:
  Faults();
  // Seconds added to "now" for every token and timestamp mini-okta issues (may be negative).
  int64_t ClockOffsetSeconds() const;

  FaultSettings Get() const;
  void Set(const FaultSettings& settings);
  // The status to inject for one request under the error rate: 0 (none), 500 or 503.
  int RollInjectedError();

 private:
  mutable std::mutex mu_;
  FaultSettings settings_;
  std::mt19937_64 rng_;
};

}  // namespace userdesk::mini_okta
