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

}  // namespace userdesk
