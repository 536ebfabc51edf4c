// The session cookie is the most exposed parser: any browser can send any bytes as the cookie.
#include <cstdint>
#include <string_view>

#include "session/session_cookie.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const userdesk::session::SessionCodec codec(
      {"fuzzing-secret-0123456789", "previous-secret-0123456789", false, 60});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto session = codec.Decode(input, 1'800'000'000);
  // a forged cookie must never verify
  if (session) __builtin_trap();
  return 0;
}
