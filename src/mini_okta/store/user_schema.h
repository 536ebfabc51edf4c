// The org's one user schema: its ids, the custom profile attributes (a JSON object of name ->
// attribute definition) and the permissions set on base attributes (name -> Okta's permissions
// array; the base attributes themselves are fixed), changed only atomically. An attribute removed
// takes its values out of every user's profile in the same change, as in Okta.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"
#include "json/json.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/records.h"
#include "mini_okta/store/users.h"

namespace userdesk::mini_okta {

class UserSchema {
 public:
  UserSchema(StoreCore& core, Users& users);

  std::string CustomPropertiesJson() const;
  std::string BasePermissionsJson() const;
  // Applies change to a copy of the custom attributes and keeps it when change succeeds.
  // change runs under the store's lock: it must not call back into the Store.
  using Change = std::function<Status(json::Document& custom_properties)>;
  Status UpdateCustomProperties(const Change& change);
  // The same for a change that may also set base attributes' permissions.
  using FullChange =
      std::function<Status(json::Document& custom_properties, json::Document& base_permissions)>;
  Status Update(const FullChange& change);
  SchemaMeta Meta() const;

  // With the core's lock held.
  void SeedLocked(const json::Value& seed);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  StoreCore& core_;
  Users& users_;
  SchemaMeta meta_;
  json::Document custom_properties_;
  json::Document base_permissions_;
};

}  // namespace userdesk::mini_okta
