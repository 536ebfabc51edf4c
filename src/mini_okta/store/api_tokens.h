// The API tokens (SSWS) the management API accepts, kept only as SHA-256 hashes.
#pragma once

#include <cstddef>
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
  Status Add(std::string_view token);
  size_t Count() const;

  // With the core's lock held.
  void SeedLocked(const json::Value& seed);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  StoreCore& core_;
  std::vector<std::string> hashes_;
};

}  // namespace userdesk::mini_okta
