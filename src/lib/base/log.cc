#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

#include "base/strings.h"

namespace userdesk::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

const char* Name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Code points that are well-formed but must not reach a log as they are.
bool Unloggable(char32_t cp) {
  return IsControlCodePoint(cp) || IsBidiControl(cp) || cp == 0x2028 || cp == 0x2029;
}

void AppendHexEscaped(std::string* out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out->append("\\x").push_back(kHex[b >> 4]);
    out->push_back(kHex[b & 0xF]);
  }
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\\') {
      out.append("\\\\");
      i++;
    } else if (c >= 0x20 && c < 0x7F) {
      out.push_back(c);
      i++;
    } else {
      size_t start = i;
      auto cp = NextCodePoint(text, &i);  // moves i past the sequence, or one invalid byte
      std::string_view bytes = text.substr(start, i - start);
      if (cp && !Unloggable(*cp)) {
        out.append(bytes);
      } else {
        AppendHexEscaped(&out, bytes);
      }
    }
  }
  return out;
}

std::string List(const std::vector<std::string>& items, size_t max_items, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; i++) {
    if (i > 0) out.append(", ");
    out.append(Utf8Prefix(items[i], max_chars));
  }
  if (items.size() > max_items) {
    out.append(" (+").append(std::to_string(items.size() - max_items)).append(" more)");
  }
  return out;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == Name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view component, std::string_view message) {
  if (!Enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line;
  line.reserve(64 + component.size() + message.size());
  line.append(stamp).append(".");
  std::string m = std::to_string(ms);
  line.append(3 - m.size(), '0').append(m).append("Z ").append(Name(level)).append(" ");
  // one event per line, shown as it was written: nothing a request chose is logged raw
  line.append(Escape(component)).append(": ").append(Escape(message));
  line.push_back('\n');
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;  // nothing sensible to do if stderr is gone
}

}  // namespace userdesk::log
