// The OIDC server's RS256 signing keys. Holds the previous, current and next key: the next key is
// published in the JWKS before it ever signs (as Okta publishes a key ahead of a rotation), and the
// previous one stays published so tokens it signed keep verifying after a rotation.
// With a key file the keys survive restarts (tokens issued before a restart keep verifying);
// without one they live in memory only. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "jose/jwk.h"

namespace userdesk::mini_okta {

class SigningKeys {
 public:
  // Generates the current and the next RSA-2048 key. Aborts if OpenSSL cannot generate a key:
  // the server is useless without one.
  SigningKeys();
  // Loads the keys from key_file when it holds valid ones; otherwise generates them and writes
  // key_file (mode 0600, temp file then rename). Every rotation rewrites it.
  explicit SigningKeys(std::string key_file);
  ~SigningKeys();
  SigningKeys(const SigningKeys&) = delete;
  SigningKeys& operator=(const SigningKeys&) = delete;

  // Promotes the next key to current (it was already published) and generates a new next key.
  // The old current key stays published as the previous key.
  void RotateNow();

  // Signs payload_json as a compact JWS with the current key: header {"alg":"RS256","kid":...},
  // with "typ" when typ is not empty.
  Result<std::string> Sign(std::string_view payload_json, std::string_view typ = "") const;

  // Every published public key (previous if any, current, next).
  std::vector<jose::RsaPublicJwk> PublicKeys() const;
  // The JWKS document: {"keys":[...]}.
  std::string JwksJson() const;
  std::string CurrentKid() const;

 private:
  using KeyPtr = std::shared_ptr<const jose::RsaPrivateKey>;
  static KeyPtr Generate();
  bool Load();
  void Save() const;  // callers hold mu_ (or are the constructor)

  const std::string key_file_;
  mutable std::mutex mu_;
  KeyPtr previous_;
  KeyPtr current_;
  KeyPtr next_;
};

}  // namespace userdesk::mini_okta
