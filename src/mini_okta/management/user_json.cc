#include "mini_okta/management/user_json.h"

#include <string_view>
#include <utility>
#include <vector>

namespace userdesk::mini_okta {
namespace {

json::Value NullableString(const std::string& value, json::Allocator& a) {
  return value.empty() ? json::Value(rapidjson::kNullType) : json::Str(value, a);
}

json::Value Link(const std::string& href, bool post, json::Allocator& a) {
  json::Value link(rapidjson::kObjectType);
  link.AddMember("href", json::Str(href, a), a);
  if (post) link.AddMember("method", "POST", a);
  return link;
}

// The lifecycle operations Okta links from a user in each status: {link name, path segment}.
std::vector<std::pair<std::string_view, std::string_view>> LifecycleLinks(std::string_view status) {
  if (status == "ACTIVE") {
    return {{"suspend", "suspend"},
            {"resetPassword", "reset_password"},
            {"expirePassword", "expire_password"},
            {"deactivate", "deactivate"}};
  }
  if (status == "STAGED") return {{"activate", "activate"}, {"deactivate", "deactivate"}};
  if (status == "PROVISIONED") {
    return {{"reactivate", "reactivate"},
            {"resetPassword", "reset_password"},
            {"deactivate", "deactivate"}};
  }
  if (status == "RECOVERY" || status == "PASSWORD_EXPIRED") {
    return {{"resetPassword", "reset_password"}, {"deactivate", "deactivate"}};
  }
  if (status == "SUSPENDED") return {{"unsuspend", "unsuspend"}, {"deactivate", "deactivate"}};
  if (status == "DEPROVISIONED") return {{"activate", "activate"}};
  return {};
}

json::Value Links(const UserRecord& user, const std::string& base_url, const SchemaMeta& schema,
                  json::Allocator& a) {
  std::string self = base_url + "/api/v1/users/" + user.id;
  json::Value links(rapidjson::kObjectType);
  links.AddMember("self", Link(self, false, a), a);
  for (const auto& [name, segment] : LifecycleLinks(user.status)) {
    links.AddMember(json::Str(name, a), Link(self + "/lifecycle/" + std::string(segment), true, a),
                    a);
  }
  if (user.status == "ACTIVE" && !user.password_hash.empty()) {
    links.AddMember("changePassword", Link(self + "/credentials/change_password", true, a), a);
  }
  links.AddMember("schema",
                  Link(base_url + "/api/v1/meta/schemas/user/" + schema.schema_id, false, a), a);
  links.AddMember("type",
                  Link(base_url + "/api/v1/meta/types/user/" + schema.user_type_id, false, a), a);
  return links;
}

json::Value Credentials(const UserRecord& user, json::Allocator& a) {
  json::Value creds(rapidjson::kObjectType);
  // An empty object says "a password exists"; Okta never returns the value or the hash.
  if (!user.password_hash.empty())
    creds.AddMember("password", json::Value(rapidjson::kObjectType), a);
  json::Value provider(rapidjson::kObjectType);
  provider.AddMember("type", "OKTA", a);
  provider.AddMember("name", "OKTA", a);
  creds.AddMember("provider", provider, a);
  return creds;
}

}  // namespace

json::Value UserToJson(const UserRecord& user, const std::string& base_url,
                       const SchemaMeta& schema, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  o.AddMember("id", json::Str(user.id, a), a);
  o.AddMember("status", json::Str(user.status, a), a);
  if (!user.transitioning_to_status.empty()) {
    o.AddMember("transitioningToStatus", json::Str(user.transitioning_to_status, a), a);
  }
  o.AddMember("created", NullableString(user.created, a), a);
  o.AddMember("activated", NullableString(user.activated, a), a);
  o.AddMember("statusChanged", NullableString(user.status_changed, a), a);
  o.AddMember("lastLogin", NullableString(user.last_login, a), a);
  o.AddMember("lastUpdated", NullableString(user.last_updated, a), a);
  o.AddMember("passwordChanged", NullableString(user.password_changed, a), a);
  json::Value type(rapidjson::kObjectType);
  type.AddMember("id", json::Str(schema.user_type_id, a), a);
  o.AddMember("type", type, a);
  json::Value profile(rapidjson::kObjectType);
  if (auto parsed = json::ParseObject(user.profile_json)) profile.CopyFrom(*parsed, a);
  o.AddMember("profile", profile, a);
  o.AddMember("credentials", Credentials(user, a), a);
  o.AddMember("_links", Links(user, base_url, schema, a), a);
  return o;
}

std::string UserJsonText(const UserRecord& user, const std::string& base_url,
                         const SchemaMeta& schema) {
  json::Document doc;
  json::Value v = UserToJson(user, base_url, schema, doc.GetAllocator());
  return json::Write(v);
}

}  // namespace userdesk::mini_okta
