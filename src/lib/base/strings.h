// Small string helpers shared by the core library and mini-okta.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
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

// The whole of s as a decimal Int: digits only, with a leading '-' for a signed Int, nothing
// before or after, and within Int's range; else nullopt. The one way text becomes a number here.
template <typename Int>
std::optional<Int> ParseInteger(std::string_view s) {
  Int value{};
  const char* last = s.data() + s.size();
  auto [end, ec] = std::from_chars(s.data(), last, value);
  if (s.empty() || ec != std::errc() || end != last) return std::nullopt;
  return value;
}

// Characters in UTF-8 text, as Okta counts lengths: the bytes that are not continuation bytes.
inline size_t Utf8CharCount(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The code point of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, at most U+10FFFF) that starts at s[*i], with *i moved past it. For a byte that
// starts no such sequence: nullopt, with *i moved past that one byte only.
inline std::optional<char32_t> NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return std::nullopt;
  }
  char32_t cp = len == 1 ? b : b & (0x7F >> len);
  for (size_t k = 1; k < len; k++) {
    auto c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return std::nullopt;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return std::nullopt;
  }
  *i += len;
  return cp;
}

// True when s is well-formed UTF-8.
inline bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (!NextCodePoint(s, &i)) return false;
  }
  return true;
}

// Unicode's control characters (general category Cc): C0, DEL and C1.
inline bool IsControlCodePoint(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// The explicit bidirectional formatting characters (Unicode UAX #9 §2): ALM U+061C, LRM and RLM
// U+200E-U+200F, LRE RLE PDF LRO RLO U+202A-U+202E, LRI RLI FSI PDI U+2066-U+2069. In text a
// user controls they can make what surrounds it read in another order ("Trojan Source",
// CVE-2021-42574).
inline bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// The longest prefix of UTF-8 text s with at most max_chars characters (Utf8CharCount): never
// cuts a multi-byte character in two.
inline std::string_view Utf8Prefix(std::string_view s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); i++) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return s.substr(0, i);
    chars++;
  }
  return s;
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
