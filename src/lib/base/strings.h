// Small string helpers shared by the core library and mini-okta.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace userdesk {

// ASCII lower case; other bytes (UTF-8 included) are left as they are.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// s without leading and trailing spaces, tabs, CRs and LFs (header values, .env lines).
inline std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Characters in UTF-8 text, as Okta counts lengths: the bytes that are not continuation bytes.
inline size_t Utf8CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// True when s is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
inline bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xE  ? 3
                 : (b >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// Text an attacker may control (provider error text, form field names), as it may reach a log:
// printable ASCII only, at most max characters.
inline std::string PrintableAscii(std::string_view text, size_t max = 200) {
  std::string out;
  for (char ch : text.substr(0, max)) out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
  return out;
}

// a == b, ASCII letters compared without case (header names); no allocation.
inline bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// s.starts_with(prefix), ASCII letters compared without case (schemes, media types).
inline bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace userdesk
