#include "mini_okta/store/api_tokens.h"

#include <algorithm>

#include "crypto/hmac.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {

bool ApiTokens::Contains(std::string_view token) const {
  if (token.empty()) return false;
  std::string hash = Sha256Hex(token);
  std::lock_guard<std::mutex> lock(core_.mu);
  bool found = false;
  for (const auto& known : hashes_) {
    found = crypto::ConstantTimeEquals(known, hash) || found;
  }
  return found;
}

Status ApiTokens::Add(std::string_view token) {
  std::lock_guard<std::mutex> lock(core_.mu);
  hashes_.push_back(Sha256Hex(token));
  return core_.SaveLocked();
}

size_t ApiTokens::Count() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return hashes_.size();
}

void ApiTokens::SeedLocked(const json::Value& seed) {
  for (const std::string& token : stored::ReadStringArray(seed, "apiTokens")) {
    std::string hash = Sha256Hex(token);
    if (std::find(hashes_.begin(), hashes_.end(), hash) == hashes_.end()) {
      hashes_.push_back(hash);
    }
  }
}

void ApiTokens::ReadLocked(const json::Value& data_file) {
  hashes_ = stored::ReadStringArray(data_file, "apiTokenSha256");
}

json::Value ApiTokens::WriteLocked(json::Allocator& a) const {
  return stored::StringArray(hashes_, a);
}

}  // namespace userdesk::mini_okta
