// Leveled logging to stderr, one line per event (nginx/systemd collect stderr). Callers log
// identifiers and reasons, never secrets: there is deliberately no helper that formats a token.
//
// Messages carry text from requests (paths, field names, a provider's error text), so Write
// escapes it (Escape below): a line can neither be split, nor move a terminal's cursor, nor
// reorder what a viewer shows.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace userdesk::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Lines below this level are dropped. Default kInfo; LOG_LEVEL=debug|info|warn|error sets it.
void SetLevel(Level level);
bool ParseLevel(std::string_view text, Level* out);
bool Enabled(Level level);

// Text as it may go into a log line, whatever the format (this text format, or a JSON one,
// whose string escaping then applies on top): every byte that is not part of well-formed UTF-8,
// every control character (C0 with newline and tab, DEL, C1), the bidirectional formatting
// characters (base/strings.h IsBidiControl) and the line and paragraph separators U+2028/U+2029
// become \xHH per byte ("\x1b" for ESC), and the backslash itself becomes "\\", so every
// logged byte string reads back one way. Everything else, non-ASCII letters included, is kept.
std::string Escape(std::string_view text);

// A list of names a request chose (e.g. form fields that were ignored), for a log line: at most
// max_items of them, each cut to max_chars characters, joined by ", ", then " (+N more)" for
// the rest. A request cannot make the line as long as it likes.
std::string List(const std::vector<std::string>& items, size_t max_items = 10,
                 size_t max_chars = 64);

// Writes "<UTC time> <level> <component>: <message>" atomically (one write(2) call), the
// component and message escaped (Escape).
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
