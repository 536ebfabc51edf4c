// The user object exactly as Okta's management API returns it: id, status, timestamps (null
// when unset), type, profile, credentials (never the password) and status-dependent _links.
#pragma once

#include <string>

#include "json/json.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {

json::Value UserToJson(const UserRecord& user, const std::string& base_url,
                       const SchemaMeta& schema, json::Allocator& a);

// The same, serialized.
std::string UserJsonText(const UserRecord& user, const std::string& base_url,
                         const SchemaMeta& schema);

}  // namespace userdesk::mini_okta
