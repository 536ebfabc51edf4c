// The JWKS document is fetched from the provider and parsed into RSA keys.
#include <cstdint>
#include <string_view>

#include "jose/jwk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto keys = userdesk::jose::ParseJwks(text);
  if (keys.ok() && keys->size() > size) __builtin_trap();
  return 0;
}
