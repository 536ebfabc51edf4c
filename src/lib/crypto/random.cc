#include "crypto/random.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "base/log.h"
#include "crypto/base64url.h"

namespace userdesk::crypto {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    log::Error("crypto", "RAND_bytes failed; refusing to continue without randomness");
    std::abort();
  }
  return out;
}

std::string RandomToken(size_t n) { return Base64UrlEncode(RandomBytes(n)); }

}  // namespace userdesk::crypto
