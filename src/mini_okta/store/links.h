// One-time tokens: the Authn API's session tokens (memory only, five minutes, redeemed once by
// /v1/authorize) and the users' reset and activation links (kept hashed, persisted).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"
#include "mini_okta/store/core.h"
#include "mini_okta/store/records.h"

namespace userdesk::mini_okta {

class OneTimeLinks {
 public:
  explicit OneTimeLinks(StoreCore& core) : core_(core) {}

  // Returns the user id, or nullopt when unknown, used or expired.
  std::string IssueSessionToken(const std::string& user_id);
  std::optional<std::string> RedeemSessionToken(std::string_view token);

  // Issue voids the user's earlier tokens of the same kind, so only the newest link works. Peek
  // checks without using the token; Redeem uses it up. Both return the user id, or nullopt when
  // unknown, of another kind, used or expired.
  std::string IssueUserToken(const std::string& user_id, UserTokenKind kind, int64_t ttl_seconds);
  std::optional<std::string> PeekUserToken(std::string_view token, UserTokenKind kind) const;
  std::optional<std::string> RedeemUserToken(std::string_view token, UserTokenKind kind);

  // With the core's lock held: removes user_id's links of kind, or all of them when nullopt.
  void DropForUserLocked(const std::string& user_id, std::optional<UserTokenKind> kind);
  void ReadLocked(const json::Value& data_file);
  json::Value WriteLocked(json::Allocator& a) const;

 private:
  struct Entry {
    std::string user_id;
    UserTokenKind kind = UserTokenKind::kResetPassword;
    int64_t expires_ms = 0;
  };

  StoreCore& core_;
  std::map<std::string, Entry> user_tokens_;     // by token hash; persisted
  std::map<std::string, Entry> session_tokens_;  // by token hash; memory only
};

}  // namespace userdesk::mini_okta
