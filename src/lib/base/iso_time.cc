#include "base/iso_time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace userdesk {
namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::string FormatIsoTimestampMs(int64_t epoch_ms) {
  int64_t seconds = epoch_ms / 1000;
  int64_t millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

int64_t NowUnixMs() {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string FormatUtc(int64_t epoch_ms, const char* strftime_format) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[128];
  size_t n = std::strftime(buf, sizeof buf, strftime_format, &tm);
  return std::string(buf, n);
}

std::optional<int64_t> ParseIsoTimestampMs(std::string_view text) {
  int year, month, day, hour, minute, second, millis = 0;
  if (!ReadDigits(text, 0, 4, &year) || !Expect(text, 4, '-') || !ReadDigits(text, 5, 2, &month) ||
      !Expect(text, 7, '-') || !ReadDigits(text, 8, 2, &day) || !Expect(text, 10, 'T') ||
      !ReadDigits(text, 11, 2, &hour) || !Expect(text, 13, ':') ||
      !ReadDigits(text, 14, 2, &minute) || !Expect(text, 16, ':') ||
      !ReadDigits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (Expect(text, pos, '.')) {
    if (!ReadDigits(text, pos + 1, 3, &millis)) return std::nullopt;
    pos += 4;
  }
  if (!Expect(text, pos, 'Z') || pos + 1 != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

}  // namespace userdesk
