// Cryptographically secure random bytes and tokens (OpenSSL RAND_bytes). Aborts the process if the
// system's CSPRNG fails: continuing with predictable state or nonces would be worse than stopping.
#pragma once

#include <string>

namespace userdesk::crypto {

std::string RandomBytes(size_t n);
// n random bytes as unpadded base64url text (n=32 gives 43 characters).
std::string RandomToken(size_t n = 32);

}  // namespace userdesk::crypto
