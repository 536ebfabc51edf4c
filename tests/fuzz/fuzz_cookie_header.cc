// The Cookie request header, decoded by cgicc.
#include <cstdint>
#include <string_view>

#include "http/cgi_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto cookies = userdesk::http::ParseCookieHeader(input);
  if (cookies.size() > size) __builtin_trap();
  return 0;
}
