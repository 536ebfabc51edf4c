#include "mini_okta/signing_keys.h"

#include <cstdlib>

#include "base/log.h"
#include "crypto/random.h"
#include "jose/jws.h"

namespace userdesk::mini_okta {
namespace {

constexpr int kKeyBits = 2048;

}  // namespace

SigningKeys::SigningKeys() : current_(Generate()), next_(Generate()) {}

SigningKeys::~SigningKeys() = default;

SigningKeys::KeyPtr SigningKeys::Generate() {
  // Okta's kids are opaque random strings; a random token keeps clients from assuming an order.
  auto key = jose::RsaPrivateKey::Generate(kKeyBits, crypto::RandomToken(32));
  if (!key) {
    log::Error("mini-okta", "cannot generate an RSA signing key: " + key.error().detail);
    std::abort();
  }
  return KeyPtr(std::move(*key));
}

void SigningKeys::RotateNow() {
  // Generate outside the lock: RSA key generation takes tens of milliseconds.
  KeyPtr fresh = Generate();
  std::lock_guard<std::mutex> lock(mu_);
  previous_ = std::move(current_);
  current_ = std::move(next_);
  next_ = std::move(fresh);
  log::Info("mini-okta", "signing key rotated; now signing with kid " + current_->kid());
}

Result<std::string> SigningKeys::Sign(std::string_view payload_json) const {
  KeyPtr key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    key = current_;
  }
  return jose::SignRs256(*key, payload_json);
}

std::vector<jose::RsaPublicJwk> SigningKeys::PublicKeys() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<jose::RsaPublicJwk> keys;
  for (const KeyPtr& key : {previous_, current_, next_}) {
    if (key) keys.push_back(key->PublicJwk());
  }
  return keys;
}

std::string SigningKeys::JwksJson() const { return jose::JwksToJson(PublicKeys()); }

std::string SigningKeys::CurrentKid() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_->kid();
}

}  // namespace userdesk::mini_okta
