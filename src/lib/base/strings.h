// Small string helpers shared by the core library and mini-okta.
#pragma once

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

// s.starts_with(prefix), ASCII letters compared without case (schemes, media types).
inline bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == AsciiLower(prefix);
}

}  // namespace userdesk
