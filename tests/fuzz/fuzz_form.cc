// Url-encoded bodies and query strings, decoded by cgicc.
#include <cstdint>
#include <string_view>

#include "http/cgi_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = userdesk::http::ParseUrlEncoded(input);
  // every pair needs at least one byte of input
  if (params.size() > size) __builtin_trap();
  return 0;
}
