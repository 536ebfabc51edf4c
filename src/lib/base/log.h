// Leveled logging to stderr, one line per event (nginx/systemd collect stderr). Callers log
// identifiers and reasons, never secrets: there is deliberately no helper that formats a token.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Lines below this level are dropped. Default kInfo; LOG_LEVEL=debug|info|warn|error sets it.
void SetLevel(Level level);
bool ParseLevel(std::string_view text, Level* out);
bool Enabled(Level level);

// Writes "<UTC time> <level> <component>: <message>" atomically (one write(2) call).
void Write(Level level, std::string_view component, std::string_view message);

inline void Debug(std::string_view c, std::string_view m) { Write(Level::kDebug, c, m); }
inline void Info(std::string_view c, std::string_view m) { Write(Level::kInfo, c, m); }
inline void Warn(std::string_view c, std::string_view m) { Write(Level::kWarn, c, m); }
inline void Error(std::string_view c, std::string_view m) { Write(Level::kError, c, m); }

// " id=<request id>" (" id=-" without one): how every line about a request ends, so a line can
// be found from the X-Request-Id a user reports.
inline std::string IdTag(std::string_view request_id) {
  return " id=" + (request_id.empty() ? std::string("-") : std::string(request_id));
}

}  // namespace userdesk::log
