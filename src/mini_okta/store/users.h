// The users: found by id or by login (case-insensitive, as Okta matches logins), listed in id
// order (the order the list API pages in), created, changed and deleted. A login stays unique.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/links.h"
#include "mini_okta/store/records.h"

namespace userdesk::mini_okta {

class Users {
 public:
  Users(StoreCore& core, OneTimeLinks& links) : core_(core), links_(links) {}

  std::optional<UserRecord> Find(std::string_view id_or_login) const;
  // True when the user has a password and it matches.
  bool CheckPassword(const UserRecord& user, std::string_view password) const;
  // Sets lastLogin to now.
  void RecordLogin(const std::string& user_id);
  std::vector<UserRecord> List() const;
  // Assigns id (when empty); kAlreadyExists when profile.login is taken (case-insensitive).
  Result<UserRecord> Create(UserRecord user);
  // Applies mutate to a copy of the user and stores it when mutate succeeds and the login
  // stays unique. When mutate changes the password, every outstanding one-time link of the user
  // (reset and activation) stops working. mutate runs under the store's lock: it must not call
  // back into the Store. kNotFound for an unknown user; kAlreadyExists for a duplicate login.
  using Mutation = std::function<Status(UserRecord&)>;
  Result<UserRecord> Update(std::string_view id_or_login, const Mutation& mutate);
  // Removes the user (and their links) for good; kNotFound when unknown.
  Status Delete(const std::string& id);

  // With the core's lock held: removes the named attributes from every user's profile, as Okta
  // deletes an attribute's values when the schema loses it (the user schema calls it).
  void DropAttributesLocked(const std::vector<std::string>& names);

  // With the core's lock held: seed users whose login is new (re-seeding is idempotent; demo
  // passwords are hashed here), and this kind's part of the data file.
  Status SeedLocked(const json::Value& seed, const std::string& now);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  const UserRecord* FindByLoginLocked(std::string_view login) const;
  UserRecord* FindLocked(std::string_view id_or_login);
  // True when another user (not except_id) already has this login.
  bool LoginTakenLocked(std::string_view login, const std::string& except_id) const;

  StoreCore& core_;
  OneTimeLinks& links_;
  std::map<std::string, UserRecord> users_;  // by id
};

}  // namespace userdesk::mini_okta
