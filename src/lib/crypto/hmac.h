// HMAC-SHA256, SHA-256 and constant-time comparison (OpenSSL 3 EVP_MAC / CRYPTO_memcmp).
#pragma once

#include <string>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX, kept out of this header

namespace userdesk::crypto {

// Raw 32-byte HMAC-SHA256 of data under key.
std::string HmacSha256(std::string_view key, std::string_view data);

// A key prepared once for many HMAC-SHA256 computations: skips OpenSSL 3's per-call algorithm
// fetch (most of the cost of a one-shot MAC, and a lock shared by all threads). Sign is
// thread-safe: each call works on its own copy of the keyed context.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(HmacSha256Key&& other) noexcept;
  HmacSha256Key& operator=(HmacSha256Key&& other) noexcept;
  HmacSha256Key(const HmacSha256Key&) = delete;
  HmacSha256Key& operator=(const HmacSha256Key&) = delete;

  std::string Sign(std::string_view data) const;

 private:
  ::evp_mac_ctx_st* ctx_;
};
// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);
// True when a and b are equal; the time taken does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace userdesk::crypto
