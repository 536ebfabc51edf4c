#include "mini_okta/store/api_tokens.h"

#include <algorithm>

#include "crypto/hmac.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {

bool ApiTokens::Contains(std::string_view token) const { return PermissionsOf(token).has_value(); }

std::optional<std::vector<std::string>> ApiTokens::PermissionsOf(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  std::string hash = Sha256Hex(token);
  std::lock_guard<std::mutex> lock(core_.mu);
  bool found = false;
  for (const auto& known : hashes_) {
    found = crypto::ConstantTimeEquals(known, hash) || found;
  }
  if (!found) return std::nullopt;
  auto limited = permissions_.find(hash);
  return limited == permissions_.end() ? std::vector<std::string>{} : limited->second;
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

// apiTokens: each a token, or {"value": token, "permissions": [Okta's permission names]}.
void ApiTokens::SeedLocked(const json::Value& seed) {
  const json::Value* tokens = json::GetArray(seed, "apiTokens");
  if (tokens == nullptr) return;
  for (const json::Value& entry : tokens->GetArray()) {
    std::optional<std::string> token = entry.IsString()
                                           ? std::optional<std::string>(entry.GetString())
                                           : json::GetString(entry, "value");
    if (!token || token->empty()) continue;
    std::string hash = Sha256Hex(*token);
    if (std::find(hashes_.begin(), hashes_.end(), hash) == hashes_.end()) {
      hashes_.push_back(hash);
    }
    if (entry.IsObject() && json::GetArray(entry, "permissions") != nullptr) {
      permissions_[hash] = stored::ReadStringArray(entry, "permissions");
    }
  }
}

void ApiTokens::ReadLocked(const json::Value& data_file) {
  hashes_ = stored::ReadStringArray(data_file, "apiTokenSha256");
  permissions_.clear();
  if (const json::Value* limited = json::GetObject(data_file, "apiTokenPermissions")) {
    for (const auto& m : limited->GetObject()) {
      permissions_[m.name.GetString()] = stored::ReadStringArray(*limited, m.name.GetString());
    }
  }
}

json::Value ApiTokens::WritePermissionsLocked(json::Allocator& a) const {
  json::Value out(rapidjson::kObjectType);
  for (const auto& [hash, permissions] : permissions_) {
    out.AddMember(json::Str(hash, a), stored::StringArray(permissions, a), a);
  }
  return out;
}

json::Value ApiTokens::WriteLocked(json::Allocator& a) const {
  return stored::StringArray(hashes_, a);
}

}  // namespace userdesk::mini_okta
