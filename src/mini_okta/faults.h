// Fault injection for tests, off by default: settable by flags at start-up and at run time
// through the loopback-only admin endpoint. Thread-safe.
//
// CONTRACT: oidc*.cc relies on ClockOffsetSeconds(); the admin endpoint's "rotate the signing
// key now" calls SigningKeys::RotateNow() (signing_keys.h).
#pragma once

#include <cstdint>

namespace userdesk::mini_okta {

class Faults {
 public:
  // Seconds added to "now" for every token and timestamp mini-okta issues (may be negative).
  int64_t ClockOffsetSeconds() const;
};

}  // namespace userdesk::mini_okta
