// The API tokens (SSWS) the management API accepts, kept only as SHA-256 hashes. A token acts
// as a super administrator, as one made by Okta's super admin does, unless the seed gave it a
// list of Okta's custom-role permissions ("okta.users.create", "okta.users.read"): then it may do
// only what they allow (request_pipeline.cc), as a token made by an admin of such a role.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"
#include "mini_okta/store/core.h"

namespace userdesk::mini_okta {

class ApiTokens {
 public:
  explicit ApiTokens(StoreCore& core) : core_(core) {}

  // True when token is one of the seeded or added tokens (compared in constant time).
  bool Contains(std::string_view token) const;
  // The token's permissions: nullopt when it is not a known token, an empty list for a super
  // administrator's.
  std::optional<std::vector<std::string>> PermissionsOf(std::string_view token) const;
  Status Add(std::string_view token);
  size_t Count() const;

  // With the core's lock held.
  void SeedLocked(const json::Value& seed);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;
  // hash -> permissions of the tokens that have a list (the data file's apiTokenPermissions)
  json::Value WritePermissionsLocked(json::Allocator& a) const;

 private:
  StoreCore& core_;
  std::vector<std::string> hashes_;
  std::map<std::string, std::vector<std::string>> permissions_;  // by hash; absent: super admin
};

}  // namespace userdesk::mini_okta
