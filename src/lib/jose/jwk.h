// JSON Web Keys (RFC 7517) for RSA signing keys: key generation, public-key export, and the
// parsing of a JWKS document. Together with jws.h this is the only code besides src/lib/crypto
// that touches OpenSSL.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"

namespace userdesk::jose {

// The public half of an RSA key as JWK members (RFC 7518 §6.3.1): n and e are unpadded base64url
// big-endian integers. kty is always "RSA"; alg and use may be empty when a JWKS omits them.
struct RsaPublicJwk {
  std::string kid;
  std::string alg = "RS256";
  std::string use = "sig";
  std::string n;
  std::string e;
};

// {"kty":"RSA","alg":...,"kid":...,"use":...,"e":...,"n":...}
json::Value ToJson(const RsaPublicJwk& jwk, json::Allocator& alloc);
// {"keys":[...]}
std::string JwksToJson(const std::vector<RsaPublicJwk>& keys);

// Reads one JWK; kInvalidArgument unless kty is RSA and n, e are valid base64url.
Result<RsaPublicJwk> ParseRsaJwk(const json::Value& value);
// Reads a JWKS document. Keys that are not RSA signing keys (other kty, use "enc") are skipped,
// as RFC 7517 §5 allows; a malformed document or RSA key is an error.
Result<std::vector<RsaPublicJwk>> ParseJwks(std::string_view text);

// True when signature is a valid RSASSA-PKCS1-v1_5 signature of data under jwk, with the digest
// named by digest ("SHA256", "SHA384" or "SHA512": RS256, RS384, RS512). Keys with a modulus
// under 2048 bits never verify (RFC 7518 §3.3).
bool VerifyRsaSignature(const RsaPublicJwk& jwk, const char* digest, std::string_view data,
                        std::string_view signature);
inline bool VerifyRs256Signature(const RsaPublicJwk& jwk, std::string_view data,
                                 std::string_view signature) {
  return VerifyRsaSignature(jwk, "SHA256", data, signature);
}

// An RSA private key (OpenSSL EVP_PKEY) with its kid.
class RsaPrivateKey {
 public:
  // A fresh key of `bits` bits (2048 or more) with public exponent 65537.
  static Result<std::unique_ptr<RsaPrivateKey>> Generate(int bits, std::string kid);
  ~RsaPrivateKey();
  RsaPrivateKey(const RsaPrivateKey&) = delete;
  RsaPrivateKey& operator=(const RsaPrivateKey&) = delete;

  // Reads a PEM private key (PKCS#8 or PKCS#1); kInvalidArgument unless it is RSA of 2048 bits
  // or more.
  static Result<std::unique_ptr<RsaPrivateKey>> FromPem(std::string_view pem, std::string kid);
  // The private key as unencrypted PKCS#8 PEM: keep it out of logs and in a 0600 file.
  std::string ToPem() const;

  const std::string& kid() const { return kid_; }
  RsaPublicJwk PublicJwk() const;
  // RSASSA-PKCS1-v1_5 with SHA-256 over data (RFC 7518 §3.3): the raw signature bytes.
  Result<std::string> SignRs256(std::string_view data) const;
  // The same with another digest ("SHA384", "SHA512"): RS384 and RS512.
  Result<std::string> SignRsa(const char* digest, std::string_view data) const;

 private:
  struct Impl;
  explicit RsaPrivateKey(std::unique_ptr<Impl> impl, std::string kid);
  std::unique_ptr<Impl> impl_;
  std::string kid_;
};

}  // namespace userdesk::jose
