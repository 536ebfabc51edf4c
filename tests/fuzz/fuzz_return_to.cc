// returnTo comes straight from a URL anyone can craft: whatever goes in, what comes out must be a
// same-origin path that no later decoding turns into another origin.
#include <cstdint>
#include <string>
#include <string_view>

#include "app/return_to.h"
#include "http/cgi_parse.h"

namespace {

bool LeavesTheSite(std::string_view p) {
  return p.empty() || p[0] != '/' || (p.size() > 1 && (p[1] == '/' || p[1] == '\\')) ||
         p.find('\\') != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string cleaned = userdesk::app::CleanReturnTo(input);
  std::string decoded = cleaned;
  for (int i = 0; i < 3; i++) {
    if (LeavesTheSite(decoded)) __builtin_trap();
    for (char ch : decoded) {
      if (static_cast<unsigned char>(ch) < 0x20) __builtin_trap();  // header injection
    }
    decoded = userdesk::http::FormUrlDecode(decoded);
  }
  return 0;
}
