// The OIDC clients (applications) the authorization servers know, from the seed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/records.h"

namespace userdesk::mini_okta {

class Clients {
 public:
  explicit Clients(StoreCore& core) : core_(core) {}

  std::optional<OidcClient> Find(std::string_view client_id) const;

  // With the core's lock held.
  void SeedLocked(const json::Value& seed);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  StoreCore& core_;
  std::map<std::string, OidcClient> clients_;  // by client id
};

}  // namespace userdesk::mini_okta
