// Authenticated encryption of small secrets kept at rest (the session registry's token blobs):
// AES-256-GCM (OpenSSL 3 EVP) under a key derived from APP_SECRET with HKDF-SHA256 (RFC 5869)
// for one purpose, so the key never equals the cookie keys or another purpose's. A sealed value
// is "v1." + base64url(nonce || ciphertext || tag): a random 96-bit nonce per seal (NIST SP
// 800-38D §8.2.2), a 128-bit tag, and the caller's associated data (the record id) bound in, so a
// blob copied to another record does not open. APP_SECRET_PREVIOUS opens but never seals.
// It never logs and never returns a plaintext it could not authenticate.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace userdesk::crypto {

// RFC 5869 HKDF-SHA256: length bytes (at most 255 * 32) of output keying material.
std::string HkdfSha256(std::string_view secret, std::string_view salt, std::string_view info,
                       size_t length);

class Sealer {
 public:
  // purpose: a short fixed word ("user-tokens"); secret: APP_SECRET; previous_secret:
  // APP_SECRET_PREVIOUS or "" (none).
  Sealer(std::string_view purpose, const std::string& secret, const std::string& previous_secret);

  // plaintext sealed under associated_data, which Open must be given again.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // The plaintext of a value Seal made for this purpose and associated_data with the current or
  // the previous secret; nullopt when it is malformed, of another version, tampered with, sealed
  // for other associated data or under another key.
  std::optional<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

  static constexpr std::string_view kVersion = "v1.";
  static constexpr size_t kNonceBytes = 12;
  static constexpr size_t kTagBytes = 16;

 private:
  std::string Aad(std::string_view associated_data) const;

  std::string purpose_;
  std::string key_;
  std::optional<std::string> previous_key_;
};

}  // namespace userdesk::crypto
