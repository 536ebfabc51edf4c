// What /-/health/<name> and /-/ready/<name> answer (app/ops_endpoints.h serves them): the checks
// and their JSON, pure, so every verdict is unit-tested with made-up times.
//
// Liveness says only that the process serves requests: a load balancer or systemd restarting on a
// failed liveness check must not restart every responder because Okta is down. Readiness says
// whether this responder can do its job now: its configuration is loaded and, for the responders
// that call the identity provider, the provider answers (and, for sign-in, its issuer's
// discovery document was read and names the configured issuer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "health/idp_contact.h"

namespace userdesk::health {

// An answer at most this old, with no failure since, is "answering recently"; past it the ready
// endpoint asks the provider itself (no more often than kMinProbeIntervalMs).
inline constexpr int64_t kFreshContactMs = 10'000;
inline constexpr int64_t kMinProbeIntervalMs = 2'000;

struct Check {
  std::string name;  // config, okta, issuer
  bool ok = false;
  std::string detail;  // why it failed, for the operator; never a secret
};

struct Report {
  std::vector<Check> checks;
  bool ready() const;
};

// ok when the last answer is at most kFreshContactMs old and no call failed after it.
Check OktaAnswering(const Contact& contact, int64_t now_ms);

// {"status":"ok","responder":"home"}
std::string LivenessJson(std::string_view responder);

// {"status":"ready"|"not ready","responder":..,"failed":[names],"checks":[{"name","ok","detail"}]}
std::string ReadinessJson(std::string_view responder, const Report& report);

}  // namespace userdesk::health
