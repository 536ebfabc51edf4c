// Time as mini-okta shows it: Okta's ISO 8601 UTC timestamps with milliseconds
// ("2024-05-01T10:20:30.000Z", parsed and formatted by base/iso_time.h, shared with the app's
// Okta client), and a clock that tests can shift (see Faults).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/iso_time.h"

namespace userdesk::mini_okta {

// Milliseconds since the Unix epoch. Injected so the fault knobs can shift it.
using Clock = std::function<int64_t()>;

inline int64_t SystemNowMillis() { return NowUnixMs(); }

// "2024-05-01T10:20:30.000Z".
inline std::string FormatTimestamp(int64_t epoch_ms) { return FormatIsoTimestampMs(epoch_ms); }

// Accepts "YYYY-MM-DDTHH:MM:SS[.mmm]Z"; nullopt for anything else.
inline std::optional<int64_t> ParseTimestamp(std::string_view text) {
  return ParseIsoTimestampMs(text);
}

}  // namespace userdesk::mini_okta
