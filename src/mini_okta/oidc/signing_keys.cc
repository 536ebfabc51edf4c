#include "mini_okta/oidc/signing_keys.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/file.h"
#include "base/log.h"
#include "crypto/random.h"
#include "jose/jws.h"
#include "json/json.h"

namespace userdesk::mini_okta {
namespace {

constexpr int kKeyBits = 2048;
constexpr const char* kRoles[] = {"previous", "current", "next"};

std::shared_ptr<const jose::RsaPrivateKey> ReadKey(const json::Value& doc, const char* role) {
  const json::Value* entry = json::GetObject(doc, role);
  if (entry == nullptr) return nullptr;
  auto kid = json::GetString(*entry, "kid");
  auto pem = json::GetString(*entry, "pem");
  if (!kid || !pem || kid->empty()) return nullptr;
  auto key = jose::RsaPrivateKey::FromPem(*pem, *kid);
  return key ? std::shared_ptr<const jose::RsaPrivateKey>(std::move(*key)) : nullptr;
}

}  // namespace

SigningKeys::SigningKeys() : SigningKeys(std::string()) {}

SigningKeys::SigningKeys(std::string key_file) : key_file_(std::move(key_file)) {
  if (!key_file_.empty() && Load()) return;
  current_ = Generate();
  next_ = Generate();
  Save();
}

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

bool SigningKeys::Load() {
  std::optional<std::string> text = file::Read(key_file_);
  if (!text) return false;
  auto doc = json::ParseObject(*text);
  KeyPtr current = doc ? ReadKey(*doc, "current") : nullptr;
  KeyPtr next = doc ? ReadKey(*doc, "next") : nullptr;
  if (!current || !next) {
    log::Warn("mini-okta", "ignoring unreadable signing key file " + key_file_);
    return false;
  }
  previous_ = ReadKey(*doc, "previous");
  current_ = std::move(current);
  next_ = std::move(next);
  return true;
}

void SigningKeys::Save() const {
  if (key_file_.empty()) return;
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  const KeyPtr* keys[] = {&previous_, &current_, &next_};
  for (size_t i = 0; i < 3; i++) {
    if (!*keys[i]) continue;
    json::Value entry(rapidjson::kObjectType);
    entry.AddMember("kid", json::Str((*keys[i])->kid(), a), a);
    entry.AddMember("pem", json::Str((*keys[i])->ToPem(), a), a);
    doc.AddMember(json::Str(kRoles[i], a), entry, a);
  }
  if (Status written = file::WriteAtomically(key_file_, json::Write(doc)); !written) {
    log::Error("mini-okta", "cannot write the signing key file: " + written.error().detail);
  }
}

void SigningKeys::RotateNow() {
  // Generate outside the lock: RSA key generation takes tens of milliseconds.
  KeyPtr fresh = Generate();
  std::lock_guard<std::mutex> lock(mu_);
  previous_ = std::move(current_);
  current_ = std::move(next_);
  next_ = std::move(fresh);
  Save();
  log::Info("mini-okta", "signing key rotated; now signing with kid " + current_->kid());
}

Result<std::string> SigningKeys::Sign(std::string_view payload_json, std::string_view typ) const {
  KeyPtr key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    key = current_;
  }
  return jose::SignRs256(*key, payload_json, typ);
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
