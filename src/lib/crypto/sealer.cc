#include "crypto/sealer.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <cstdlib>
#include <memory>

#include "crypto/base64url.h"
#include "crypto/random.h"

namespace userdesk::crypto {
namespace {

constexpr size_t kKeyBytes = 32;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The key for one purpose: a fixed salt and an info naming the purpose and the version (RFC 5869
// §3.2: info binds the key to its use). The cookie keys are HMACs of other texts
// (session/signed_cookie.cc), so no purpose here can yield one of them.
std::string DeriveKey(std::string_view purpose, const std::string& secret) {
  return HkdfSha256(secret, "userdesk at-rest encryption",
                    "userdesk " + std::string(purpose) + " AES-256-GCM key v1", kKeyBytes);
}

// nonce || ciphertext || tag. AES-GCM cannot fail on valid input; a failure is treated like the
// CSPRNG's (crypto/random.h), by stopping rather than storing something unprotected.
std::string Encrypt(const std::string& key, std::string_view plaintext, std::string_view aad) {
  std::string nonce = RandomBytes(Sealer::kNonceBytes);
  std::string out = nonce;
  out.resize(Sealer::kNonceBytes + plaintext.size() + Sealer::kTagBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx != nullptr &&
      EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), Bytes(key), Bytes(nonce), nullptr) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), Bytes(out) + Sealer::kNonceBytes, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + Sealer::kNonceBytes + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, Sealer::kTagBytes,
                          Bytes(out) + Sealer::kNonceBytes + plaintext.size()) == 1;
  if (!ok) std::abort();
  return out;
}

std::optional<std::string> Decrypt(const std::string& key, std::string_view raw,
                                   std::string_view aad) {
  if (raw.size() < Sealer::kNonceBytes + Sealer::kTagBytes) return std::nullopt;
  std::string_view nonce = raw.substr(0, Sealer::kNonceBytes);
  std::string_view body =
      raw.substr(Sealer::kNonceBytes, raw.size() - Sealer::kNonceBytes - Sealer::kTagBytes);
  std::string tag(raw.substr(raw.size() - Sealer::kTagBytes));
  std::string out(body.size(), '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr) return std::nullopt;
  int len = 0;
  if (EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), Bytes(key), Bytes(nonce), nullptr) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), Bytes(out), &len, Bytes(body), static_cast<int>(body.size())) !=
          1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, Sealer::kTagBytes, Bytes(tag)) != 1) {
    return std::nullopt;
  }
  // NIST SP 800-38D §7.2: nothing is released unless the tag verifies
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + len, &final_len) != 1) return std::nullopt;
  return out;
}

}  // namespace

std::string HkdfSha256(std::string_view secret, std::string_view salt, std::string_view info,
                       size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  EVP_KDF_CTX* ctx = kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  char digest[] = "SHA256";
  std::string key(secret), salt_copy(salt), info_copy(info);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key.data(), key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_copy.data(), salt_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_copy.data(), info_copy.size()),
      OSSL_PARAM_construct_end()};
  std::string out(length, '\0');
  // the default provider always has HKDF; an empty secret or a length past 255 * 32 is a bug
  if (ctx == nullptr || EVP_KDF_derive(ctx, Bytes(out), out.size(), params) != 1) std::abort();
  EVP_KDF_CTX_free(ctx);
  return out;
}

Sealer::Sealer(std::string_view purpose, const std::string& secret,
               const std::string& previous_secret)
    : purpose_(purpose),
      key_(DeriveKey(purpose, secret)),
      previous_key_(previous_secret.empty()
                        ? std::nullopt
                        : std::optional<std::string>(DeriveKey(purpose, previous_secret))) {}

// The version and purpose are authenticated with the caller's data: a blob of another version
// or purpose never opens, even under the same key.
std::string Sealer::Aad(std::string_view associated_data) const {
  return "userdesk-" + purpose_ + "|" + std::string(kVersion) + "|" + std::string(associated_data);
}

std::string Sealer::Seal(std::string_view plaintext, std::string_view associated_data) const {
  return std::string(kVersion) + Base64UrlEncode(Encrypt(key_, plaintext, Aad(associated_data)));
}

std::optional<std::string> Sealer::Open(std::string_view sealed,
                                        std::string_view associated_data) const {
  if (!sealed.starts_with(kVersion)) return std::nullopt;
  std::optional<std::string> raw = Base64UrlDecode(sealed.substr(kVersion.size()));
  if (!raw) return std::nullopt;
  std::string aad = Aad(associated_data);
  if (auto opened = Decrypt(key_, *raw, aad)) return opened;
  if (previous_key_) return Decrypt(*previous_key_, *raw, aad);
  return std::nullopt;
}

}  // namespace userdesk::crypto
