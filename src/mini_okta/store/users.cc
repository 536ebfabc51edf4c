#include "mini_okta/store/users.h"

#include "base/strings.h"
#include "crypto/password_hash.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/stored_json.h"

namespace userdesk::mini_okta {
namespace {

std::string LoginOf(const UserRecord& user) {
  auto profile = json::ParseObject(user.profile_json);
  if (!profile) return "";
  return json::GetString(*profile, "login").value_or("");
}

json::Value UserToStored(const UserRecord& u, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  stored::AddString(o, "id", u.id, a);
  stored::AddString(o, "status", u.status, a);
  stored::AddString(o, "transitioningToStatus", u.transitioning_to_status, a);
  stored::AddString(o, "created", u.created, a);
  stored::AddString(o, "activated", u.activated, a);
  stored::AddString(o, "statusChanged", u.status_changed, a);
  stored::AddString(o, "lastLogin", u.last_login, a);
  stored::AddString(o, "lastUpdated", u.last_updated, a);
  stored::AddString(o, "passwordChanged", u.password_changed, a);
  json::Value profile;
  auto parsed = json::ParseObject(u.profile_json);
  if (parsed)
    profile.CopyFrom(*parsed, a);
  else
    profile.SetObject();
  o.AddMember("profile", profile, a);
  stored::AddString(o, "passwordHash", u.password_hash, a);
  return o;
}

UserRecord UserFromStored(const json::Value& o) {
  UserRecord u;
  u.id = stored::Str(o, "id");
  u.status = stored::Str(o, "status");
  u.transitioning_to_status = stored::Str(o, "transitioningToStatus");
  u.created = stored::Str(o, "created");
  u.activated = stored::Str(o, "activated");
  u.status_changed = stored::Str(o, "statusChanged");
  u.last_login = stored::Str(o, "lastLogin");
  u.last_updated = stored::Str(o, "lastUpdated");
  u.password_changed = stored::Str(o, "passwordChanged");
  const json::Value* profile = json::GetObject(o, "profile");
  u.profile_json = profile ? json::Write(*profile) : "{}";
  u.password_hash = stored::Str(o, "passwordHash");
  return u;
}

bool IsUserStatus(std::string_view status) {
  for (const char* s : {"STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED",
                        "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED"}) {
    if (status == s) return true;
  }
  return false;
}

}  // namespace

std::optional<UserRecord> Users::Find(std::string_view id_or_login) const {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = users_.find(std::string(id_or_login));
  if (it != users_.end()) return it->second;
  const UserRecord* user = FindByLoginLocked(id_or_login);
  if (user == nullptr) return std::nullopt;
  return *user;
}

bool Users::CheckPassword(const UserRecord& user, std::string_view password) const {
  return !user.password_hash.empty() && crypto::VerifyPassword(password, user.password_hash);
}

void Users::RecordLogin(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(core_.mu);
  auto it = users_.find(user_id);
  if (it == users_.end()) return;
  it->second.last_login = core_.NowLocked();
  core_.SaveOrLogLocked();
}

std::vector<UserRecord> Users::List() const {
  std::lock_guard<std::mutex> lock(core_.mu);
  std::vector<UserRecord> out;
  out.reserve(users_.size());
  for (const auto& [id, user] : users_) out.push_back(user);
  return out;
}

Result<UserRecord> Users::Create(UserRecord user) {
  std::lock_guard<std::mutex> lock(core_.mu);
  if (LoginTakenLocked(LoginOf(user), "")) {
    return MakeError(ErrorCode::kAlreadyExists, "login already exists");
  }
  if (user.id.empty()) user.id = NewOktaId("00u");
  users_[user.id] = user;
  core_.SaveOrLogLocked();
  return user;
}

Result<UserRecord> Users::Update(std::string_view id_or_login, const Mutation& mutate) {
  std::lock_guard<std::mutex> lock(core_.mu);
  UserRecord* current = FindLocked(id_or_login);
  if (current == nullptr) return MakeError(ErrorCode::kNotFound, "no such user");
  UserRecord copy = *current;
  Status changed = mutate(copy);
  if (!changed) return changed.error();
  if (LoginTakenLocked(LoginOf(copy), copy.id)) {
    return MakeError(ErrorCode::kAlreadyExists, "login already exists");
  }
  // A new password, by whatever route, voids every link mailed before it: a reset link must not
  // set the password again, and an activation link must not re-activate (as Okta does).
  if (copy.password_hash != current->password_hash) links_.DropForUserLocked(copy.id, std::nullopt);
  *current = copy;
  core_.SaveOrLogLocked();
  return copy;
}

Status Users::Delete(const std::string& id) {
  std::lock_guard<std::mutex> lock(core_.mu);
  if (users_.erase(id) == 0) return MakeError(ErrorCode::kNotFound, "no such user");
  links_.DropForUserLocked(id, std::nullopt);
  return core_.SaveLocked();
}

void Users::DropAttributesLocked(const std::vector<std::string>& names) {
  if (names.empty()) return;
  for (auto& [id, user] : users_) {
    auto profile = json::ParseObject(user.profile_json);
    if (!profile) continue;
    bool dropped = false;
    for (const std::string& name : names) dropped = profile->RemoveMember(name.c_str()) || dropped;
    if (dropped) user.profile_json = json::Write(*profile);
  }
}

Status Users::SeedLocked(const json::Value& seed, const std::string& now) {
  const json::Value* list = json::GetArray(seed, "users");
  if (list == nullptr) return OkStatus();
  for (const auto& u : list->GetArray()) {
    const json::Value* profile = json::GetObject(u, "profile");
    std::optional<std::string> login = profile ? json::GetString(*profile, "login") : std::nullopt;
    if (!login) return MakeError(ErrorCode::kInvalidArgument, "seed user without profile.login");
    std::string status = json::GetString(u, "status").value_or("ACTIVE");
    if (!IsUserStatus(status))
      return MakeError(ErrorCode::kInvalidArgument, "seed user status " + status);
    if (FindByLoginLocked(*login) != nullptr) continue;
    UserRecord rec;
    rec.id = json::GetString(u, "id").value_or(NewOktaId("00u"));
    rec.status = status;
    rec.created = rec.last_updated = rec.status_changed = now;
    if (rec.status != "STAGED") rec.activated = now;
    rec.profile_json = json::Write(*profile);
    if (auto password = json::GetString(u, "password")) {
      rec.password_hash = crypto::HashPassword(*password);
      rec.password_changed = now;
    }
    users_[rec.id] = rec;
  }
  return OkStatus();
}

void Users::ReadLocked(const json::Value& data_file) {
  stored::ForEachIn(data_file, "users", [this](const json::Value& u) {
    UserRecord rec = UserFromStored(u);
    users_[rec.id] = rec;
  });
}

json::Value Users::WriteLocked(json::Allocator& a) const {
  return stored::ArrayOf(
      users_, [&a](const auto& e) { return UserToStored(e.second, a); }, a);
}

const UserRecord* Users::FindByLoginLocked(std::string_view login) const {
  std::string wanted = AsciiLower(login);
  for (const auto& [id, user] : users_) {
    if (AsciiLower(LoginOf(user)) == wanted) return &user;
  }
  return nullptr;
}

UserRecord* Users::FindLocked(std::string_view id_or_login) {
  auto it = users_.find(std::string(id_or_login));
  if (it != users_.end()) return &it->second;
  return const_cast<UserRecord*>(FindByLoginLocked(id_or_login));
}

bool Users::LoginTakenLocked(std::string_view login, const std::string& except_id) const {
  const UserRecord* other = FindByLoginLocked(login);
  return other != nullptr && other->id != except_id;
}

}  // namespace userdesk::mini_okta
