#include "crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <utility>

namespace userdesk::crypto {

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t out_len = 0;
  // EVP_Q_mac is OpenSSL 3's one-shot MAC; it cannot fail for SHA256 with valid buffers
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out,
                &out_len) == nullptr) {
    std::abort();
  }
  return std::string(reinterpret_cast<char*>(out), out_len);
}

namespace {

EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) std::abort();  // the default provider always has HMAC
  return mac;
}

}  // namespace

HmacSha256Key::HmacSha256Key(std::string_view key) : ctx_(EVP_MAC_CTX_new(HmacAlgorithm())) {
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (ctx_ == nullptr || EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(key.data()),
                                      key.size(), params) != 1) {
    std::abort();
  }
}

HmacSha256Key::~HmacSha256Key() { EVP_MAC_CTX_free(ctx_); }

HmacSha256Key::HmacSha256Key(HmacSha256Key&& other) noexcept : ctx_(other.ctx_) {
  other.ctx_ = nullptr;
}

HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&& other) noexcept {
  std::swap(ctx_, other.ctx_);
  return *this;
}

std::string HmacSha256Key::Sign(std::string_view data) const {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(ctx_);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t out_len = 0;
  bool ok =
      ctx != nullptr &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
      EVP_MAC_final(ctx, out, &out_len, sizeof out) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) std::abort();
  return std::string(reinterpret_cast<char*>(out), out_len);
}

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace userdesk::crypto
