// Okta's timestamps: ISO 8601 in UTC with milliseconds ("2024-05-20T16:02:44.000Z"), as the
// Users API writes created/lastUpdated and mini-okta writes every time it shows. One parser and
// one formatter, shared by the Okta client and mini-okta.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace userdesk {

// "YYYY-MM-DDTHH:MM:SS[.mmm]Z" → unix milliseconds; nullopt for anything else (offsets other
// than Z, missing parts, out-of-range fields, trailing text).
std::optional<int64_t> ParseIsoTimestampMs(std::string_view text);

// Unix milliseconds → "2024-05-01T10:20:30.000Z" (always with milliseconds).
std::string FormatIsoTimestampMs(int64_t epoch_ms);

// Now, in unix milliseconds (the system clock).
int64_t NowUnixMs();

// The UTC time of epoch_ms written with a strftime format, e.g. "%H:%M UTC", "%Y-%m-%d", or
// "%a, %d %b %Y %H:%M:%S GMT" (an HTTP date).
std::string FormatUtc(int64_t epoch_ms, const char* strftime_format);

}  // namespace userdesk
