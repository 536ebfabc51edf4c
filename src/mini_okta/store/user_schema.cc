#include "mini_okta/store/user_schema.h"

#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {

UserSchema::UserSchema(StoreCore& core, Users& users) : core_(core), users_(users) {
  custom_properties_.SetObject();
  base_permissions_.SetObject();
  meta_.schema_id = NewOktaId("osc");
  meta_.user_type_id = NewOktaId("oty");
  meta_.created = FormatTimestamp(SystemNowMillis());
  meta_.last_updated = meta_.created;
}

std::string UserSchema::CustomPropertiesJson() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return json::Write(custom_properties_);
}

std::string UserSchema::BasePermissionsJson() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return json::Write(base_permissions_);
}

Status UserSchema::UpdateCustomProperties(const Change& change) {
  return Update([&](json::Document& custom, json::Document&) { return change(custom); });
}

Status UserSchema::Update(const FullChange& change) {
  std::lock_guard<std::mutex> lock(core_.mu);
  json::Document copy;
  copy.CopyFrom(custom_properties_, copy.GetAllocator());
  json::Document permissions;
  permissions.CopyFrom(base_permissions_, permissions.GetAllocator());
  Status changed = change(copy, permissions);
  if (!changed) return changed;
  std::vector<std::string> removed;
  for (const auto& m : custom_properties_.GetObject()) {
    if (!copy.HasMember(m.name)) removed.emplace_back(m.name.GetString(), m.name.GetStringLength());
  }
  users_.DropAttributesLocked(removed);
  custom_properties_.Swap(copy);
  base_permissions_.Swap(permissions);
  meta_.last_updated = core_.NowLocked();
  return core_.SaveLocked();
}

SchemaMeta UserSchema::Meta() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  return meta_;
}

void UserSchema::SeedLocked(const json::Value& seed) {
  const json::Value* props = json::GetObject(seed, "customProperties");
  if (props == nullptr) return;
  auto& a = custom_properties_.GetAllocator();
  for (const auto& m : props->GetObject()) {
    custom_properties_.RemoveMember(m.name);
    custom_properties_.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
  }
}

void UserSchema::ReadLocked(const json::Value& data_file) {
  const json::Value* schema = json::GetObject(data_file, "schema");
  if (schema == nullptr) return;
  meta_ = SchemaMeta{stored::Str(*schema, "id"), stored::Str(*schema, "userTypeId"),
                     stored::Str(*schema, "created"), stored::Str(*schema, "lastUpdated")};
  if (const json::Value* props = json::GetObject(*schema, "customProperties")) {
    custom_properties_.CopyFrom(*props, custom_properties_.GetAllocator());
  }
  if (const json::Value* perms = json::GetObject(*schema, "basePermissions")) {
    base_permissions_.CopyFrom(*perms, base_permissions_.GetAllocator());
  }
}

json::Value UserSchema::WriteLocked(json::Allocator& a) const {
  json::Value o(rapidjson::kObjectType);
  stored::AddString(o, "id", meta_.schema_id, a);
  stored::AddString(o, "userTypeId", meta_.user_type_id, a);
  stored::AddString(o, "created", meta_.created, a);
  stored::AddString(o, "lastUpdated", meta_.last_updated, a);
  o.AddMember("customProperties", json::Value(custom_properties_, a), a);
  o.AddMember("basePermissions", json::Value(base_permissions_, a), a);
  return o;
}

}  // namespace userdesk::mini_okta
