#include "mini_okta/store/store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "crypto/hmac.h"
#include "crypto/password_hash.h"
#include "crypto/random.h"
#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta {
namespace {

// Okta's authn transaction (and so its session token) lasts five minutes.
constexpr int64_t kSessionTokenTtlMs = 5 * 60 * 1000;
constexpr int kDataFileVersion = 1;

struct TokenEntry {
  std::string user_id;
  UserTokenKind kind = UserTokenKind::kResetPassword;
  int64_t expires_ms = 0;
};

std::string LoginOf(const UserRecord& user) {
  auto profile = json::ParseObject(user.profile_json);
  if (!profile) return "";
  return json::GetString(*profile, "login").value_or("");
}

bool FileExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

void AddString(json::Value& obj, const char* key, std::string_view value, json::Allocator& a) {
  obj.AddMember(json::Value(key, a), json::Str(value, a), a);
}

json::Value StringArray(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& item : items) arr.PushBack(json::Str(item, a), a);
  return arr;
}

std::vector<std::string> ReadStringArray(const json::Value& obj, std::string_view key) {
  std::vector<std::string> out;
  const json::Value* arr = json::GetArray(obj, key);
  if (arr == nullptr) return out;
  for (const auto& v : arr->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::string Str(const json::Value& obj, std::string_view key) {
  return json::GetString(obj, key).value_or("");
}

json::Value UserToStored(const UserRecord& u, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  AddString(o, "id", u.id, a);
  AddString(o, "status", u.status, a);
  AddString(o, "transitioningToStatus", u.transitioning_to_status, a);
  AddString(o, "created", u.created, a);
  AddString(o, "activated", u.activated, a);
  AddString(o, "statusChanged", u.status_changed, a);
  AddString(o, "lastLogin", u.last_login, a);
  AddString(o, "lastUpdated", u.last_updated, a);
  AddString(o, "passwordChanged", u.password_changed, a);
  json::Value profile;
  auto parsed = json::ParseObject(u.profile_json);
  if (parsed)
    profile.CopyFrom(*parsed, a);
  else
    profile.SetObject();
  o.AddMember("profile", profile, a);
  AddString(o, "passwordHash", u.password_hash, a);
  return o;
}

UserRecord UserFromStored(const json::Value& o) {
  UserRecord u;
  u.id = Str(o, "id");
  u.status = Str(o, "status");
  u.transitioning_to_status = Str(o, "transitioningToStatus");
  u.created = Str(o, "created");
  u.activated = Str(o, "activated");
  u.status_changed = Str(o, "statusChanged");
  u.last_login = Str(o, "lastLogin");
  u.last_updated = Str(o, "lastUpdated");
  u.password_changed = Str(o, "passwordChanged");
  const json::Value* profile = json::GetObject(o, "profile");
  u.profile_json = profile ? json::Write(*profile) : "{}";
  u.password_hash = Str(o, "passwordHash");
  return u;
}

json::Value ClientToJson(const OidcClient& c, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  AddString(o, "client_id", c.client_id, a);
  AddString(o, "client_secret", c.client_secret, a);
  AddString(o, "client_name", c.name, a);
  o.AddMember("redirect_uris", StringArray(c.redirect_uris, a), a);
  o.AddMember("post_logout_redirect_uris", StringArray(c.post_logout_redirect_uris, a), a);
  return o;
}

OidcClient ClientFromJson(const json::Value& o) {
  OidcClient c;
  c.client_id = Str(o, "client_id");
  c.client_secret = Str(o, "client_secret");
  c.name = Str(o, "client_name");
  c.redirect_uris = ReadStringArray(o, "redirect_uris");
  c.post_logout_redirect_uris = ReadStringArray(o, "post_logout_redirect_uris");
  return c;
}

json::Value EmailToJson(const OutboxEmail& e, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  AddString(o, "id", e.id, a);
  AddString(o, "to", e.to, a);
  AddString(o, "subject", e.subject, a);
  AddString(o, "body", e.body, a);
  AddString(o, "link", e.link, a);
  AddString(o, "sentAt", e.sent_at, a);
  return o;
}

OutboxEmail EmailFromJson(const json::Value& o) {
  return OutboxEmail{Str(o, "id"),   Str(o, "to"),   Str(o, "subject"),
                     Str(o, "body"), Str(o, "link"), Str(o, "sentAt")};
}

bool IsUserStatus(std::string_view status) {
  for (const char* s : {"STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED",
                        "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED"}) {
    if (status == s) return true;
  }
  return false;
}

const char* KindName(UserTokenKind kind) {
  return kind == UserTokenKind::kActivation ? "activation" : "resetPassword";
}

json::Value SchemaToStored(const SchemaMeta& meta, const json::Value& custom, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  AddString(o, "id", meta.schema_id, a);
  AddString(o, "userTypeId", meta.user_type_id, a);
  AddString(o, "created", meta.created, a);
  AddString(o, "lastUpdated", meta.last_updated, a);
  o.AddMember("customProperties", json::Value(custom, a), a);
  return o;
}

json::Value TokenToStored(const std::string& hash, const TokenEntry& t, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  AddString(o, "sha256", hash, a);
  AddString(o, "userId", t.user_id, a);
  AddString(o, "kind", KindName(t.kind), a);
  o.AddMember("expiresAt", t.expires_ms, a);
  return o;
}

std::pair<std::string, TokenEntry> TokenFromStored(const json::Value& o) {
  UserTokenKind kind =
      Str(o, "kind") == "activation" ? UserTokenKind::kActivation : UserTokenKind::kResetPassword;
  return {Str(o, "sha256"),
          TokenEntry{Str(o, "userId"), kind, json::GetInt(o, "expiresAt").value_or(0)}};
}

template <typename Range, typename ToJson>
json::Value ArrayOf(const Range& items, ToJson to_json, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& item : items) arr.PushBack(to_json(item), a);
  return arr;
}

// Calls fn for each element of the array obj[key], if there is one.
template <typename Fn>
void ForEachIn(const json::Value& obj, std::string_view key, Fn fn) {
  if (const json::Value* arr = json::GetArray(obj, key)) {
    for (const auto& item : arr->GetArray()) fn(item);
  }
}

}  // namespace

struct Store::State {
  std::string data_file;
  Clock clock = SystemNowMillis;
  std::map<std::string, UserRecord> users;  // by id
  std::map<std::string, OidcClient> clients;
  std::vector<std::string> api_token_hashes;
  json::Document custom_properties;
  SchemaMeta schema;
  std::vector<OutboxEmail> outbox;
  std::map<std::string, TokenEntry> user_tokens;     // by token hash; persisted
  std::map<std::string, TokenEntry> session_tokens;  // by token hash; memory only

  const UserRecord* FindByLogin(std::string_view login) const {
    std::string wanted = AsciiLower(login);
    for (const auto& [id, user] : users) {
      if (AsciiLower(LoginOf(user)) == wanted) return &user;
    }
    return nullptr;
  }

  // Removes user_id's one-time links: those of kind, or all of them when kind is nullopt.
  void DropUserTokens(const std::string& user_id, std::optional<UserTokenKind> kind) {
    std::erase_if(user_tokens, [&](const auto& e) {
      return e.second.user_id == user_id && (!kind || e.second.kind == *kind);
    });
  }

  // True when another user (not except_id) already has this login.
  bool LoginTaken(std::string_view login, const std::string& except_id) const {
    const UserRecord* other = FindByLogin(login);
    return other != nullptr && other->id != except_id;
  }

  // Seed users whose login is new (re-seeding is idempotent); demo passwords are hashed here.
  Status SeedUsers(const json::Value& seed, const std::string& now) {
    const json::Value* list = json::GetArray(seed, "users");
    if (list == nullptr) return OkStatus();
    for (const auto& u : list->GetArray()) {
      const json::Value* profile = json::GetObject(u, "profile");
      std::optional<std::string> login =
          profile ? json::GetString(*profile, "login") : std::nullopt;
      if (!login) return MakeError(ErrorCode::kInvalidArgument, "seed user without profile.login");
      std::string status = json::GetString(u, "status").value_or("ACTIVE");
      if (!IsUserStatus(status))
        return MakeError(ErrorCode::kInvalidArgument, "seed user status " + status);
      if (FindByLogin(*login) != nullptr) continue;
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
      users[rec.id] = rec;
    }
    return OkStatus();
  }

  void SeedClients(const json::Value& seed) {
    const json::Value* list = json::GetArray(seed, "clients");
    if (list == nullptr) return;
    for (const auto& c : list->GetArray()) {
      OidcClient client = ClientFromJson(c);
      if (!client.client_id.empty()) clients[client.client_id] = client;
    }
  }

  void SeedApiTokens(const json::Value& seed) {
    for (const std::string& token : ReadStringArray(seed, "apiTokens")) {
      std::string hash = Sha256Hex(token);
      if (std::find(api_token_hashes.begin(), api_token_hashes.end(), hash) ==
          api_token_hashes.end()) {
        api_token_hashes.push_back(hash);
      }
    }
  }

  void SeedCustomProperties(const json::Value& seed) {
    const json::Value* props = json::GetObject(seed, "customProperties");
    if (props == nullptr) return;
    auto& a = custom_properties.GetAllocator();
    for (const auto& m : props->GetObject()) {
      custom_properties.RemoveMember(m.name);
      custom_properties.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
    }
  }

  UserRecord* Find(std::string_view id_or_login) {
    auto it = users.find(std::string(id_or_login));
    if (it != users.end()) return &it->second;
    return const_cast<UserRecord*>(FindByLogin(id_or_login));
  }
};

Store::Store() : state_(std::make_unique<State>()) {
  state_->custom_properties.SetObject();
  state_->schema.schema_id = NewOktaId("osc");
  state_->schema.user_type_id = NewOktaId("oty");
  state_->schema.created = FormatTimestamp(SystemNowMillis());
  state_->schema.last_updated = state_->schema.created;
}

Store::~Store() = default;

void Store::SetClock(Clock clock) {
  std::lock_guard<std::mutex> lock(mu_);
  state_->clock = std::move(clock);
}

int64_t Store::NowMillis() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->clock();
}

std::string Store::NowLocked() const { return FormatTimestamp(state_->clock()); }

Status Store::Open(const std::string& data_file, const std::string& seed_file) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_->data_file = data_file;
    if (!data_file.empty() && FileExists(data_file)) {
      std::optional<std::string> text = file::Read(data_file);
      if (!text) return MakeError(ErrorCode::kInternal, "cannot read data file " + data_file);
      return LoadDataFileLocked(*text);
    }
  }
  if (!seed_file.empty()) {
    std::optional<std::string> seed = file::Read(seed_file);
    if (!seed) return MakeError(ErrorCode::kInvalidArgument, "cannot read seed file " + seed_file);
    Status loaded = LoadSeed(*seed);
    if (!loaded) return loaded;
  }
  std::lock_guard<std::mutex> lock(mu_);
  return SaveLocked();
}

Status Store::LoadSeed(std::string_view seed_json) {
  auto seed = json::ParseObject(seed_json);
  if (!seed) return MakeError(ErrorCode::kInvalidArgument, "seed is not a JSON object");
  std::lock_guard<std::mutex> lock(mu_);
  Status users = state_->SeedUsers(*seed, NowLocked());
  if (!users) return users;
  state_->SeedClients(*seed);
  state_->SeedApiTokens(*seed);
  state_->SeedCustomProperties(*seed);
  return SaveLocked();
}

Status Store::LoadDataFileLocked(std::string_view text) {
  auto doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kInternal, "data file is not a JSON object");
  if (json::GetInt(*doc, "version").value_or(0) != kDataFileVersion) {
    return MakeError(ErrorCode::kInternal, "data file has an unknown version");
  }
  State& s = *state_;
  if (const json::Value* schema = json::GetObject(*doc, "schema")) {
    s.schema = SchemaMeta{Str(*schema, "id"), Str(*schema, "userTypeId"), Str(*schema, "created"),
                          Str(*schema, "lastUpdated")};
    if (const json::Value* props = json::GetObject(*schema, "customProperties")) {
      s.custom_properties.CopyFrom(*props, s.custom_properties.GetAllocator());
    }
  }
  ForEachIn(*doc, "users", [&s](const json::Value& u) {
    UserRecord rec = UserFromStored(u);
    s.users[rec.id] = rec;
  });
  ForEachIn(*doc, "clients", [&s](const json::Value& c) {
    OidcClient client = ClientFromJson(c);
    s.clients[client.client_id] = client;
  });
  s.api_token_hashes = ReadStringArray(*doc, "apiTokenSha256");
  ForEachIn(*doc, "outbox", [&s](const json::Value& e) { s.outbox.push_back(EmailFromJson(e)); });
  ForEachIn(*doc, "userTokens",
            [&s](const json::Value& t) { s.user_tokens.insert(TokenFromStored(t)); });
  return OkStatus();
}

Status Store::SaveLocked() const {
  const State& s = *state_;
  if (s.data_file.empty()) return OkStatus();
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("version", kDataFileVersion, a);
  doc.AddMember("schema", SchemaToStored(s.schema, s.custom_properties, a), a);
  doc.AddMember("users",
                ArrayOf(
                    s.users, [&a](const auto& e) { return UserToStored(e.second, a); }, a),
                a);
  doc.AddMember("clients",
                ArrayOf(
                    s.clients, [&a](const auto& e) { return ClientToJson(e.second, a); }, a),
                a);
  doc.AddMember("apiTokenSha256", StringArray(s.api_token_hashes, a), a);
  doc.AddMember("outbox",
                ArrayOf(
                    s.outbox, [&a](const auto& e) { return EmailToJson(e, a); }, a),
                a);
  doc.AddMember(
      "userTokens",
      ArrayOf(
          s.user_tokens, [&a](const auto& e) { return TokenToStored(e.first, e.second, a); }, a),
      a);
  return file::WriteAtomically(s.data_file, json::Write(doc));
}

void Store::SaveOrLogLocked() const {
  Status saved = SaveLocked();
  if (!saved) log::Error("mini-okta", "saving the data file failed: " + saved.error().detail);
}

std::optional<UserRecord> Store::FindUser(std::string_view id_or_login) const {
  std::lock_guard<std::mutex> lock(mu_);
  const UserRecord* user = state_->Find(id_or_login);
  if (user == nullptr) return std::nullopt;
  return *user;
}

bool Store::CheckPassword(const UserRecord& user, std::string_view password) const {
  return !user.password_hash.empty() && crypto::VerifyPassword(password, user.password_hash);
}

void Store::RecordLogin(const std::string& user_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->users.find(user_id);
  if (it == state_->users.end()) return;
  it->second.last_login = NowLocked();
  SaveOrLogLocked();
}

std::optional<OidcClient> Store::FindClient(std::string_view client_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->clients.find(std::string(client_id));
  if (it == state_->clients.end()) return std::nullopt;
  return it->second;
}

bool Store::IsApiToken(std::string_view token) const {
  if (token.empty()) return false;
  std::string hash = Sha256Hex(token);
  std::lock_guard<std::mutex> lock(mu_);
  bool found = false;
  for (const auto& known : state_->api_token_hashes) {
    found = crypto::ConstantTimeEquals(known, hash) || found;
  }
  return found;
}

Status Store::AddApiToken(std::string_view token) {
  std::lock_guard<std::mutex> lock(mu_);
  state_->api_token_hashes.push_back(Sha256Hex(token));
  return SaveLocked();
}

size_t Store::ApiTokenCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->api_token_hashes.size();
}

std::string Store::IssueSessionToken(const std::string& user_id) {
  std::string token = crypto::RandomToken(24);
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = state_->clock();
  std::erase_if(state_->session_tokens,
                [now](const auto& e) { return e.second.expires_ms <= now; });
  state_->session_tokens[Sha256Hex(token)] =
      TokenEntry{user_id, UserTokenKind::kResetPassword, now + kSessionTokenTtlMs};
  return token;
}

std::optional<std::string> Store::RedeemSessionToken(std::string_view token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->session_tokens.find(Sha256Hex(token));
  if (it == state_->session_tokens.end()) return std::nullopt;
  TokenEntry entry = it->second;
  state_->session_tokens.erase(it);
  if (entry.expires_ms <= state_->clock()) return std::nullopt;
  return entry.user_id;
}

std::vector<UserRecord> Store::ListUsers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<UserRecord> out;
  out.reserve(state_->users.size());
  for (const auto& [id, user] : state_->users) out.push_back(user);
  return out;
}

Result<UserRecord> Store::CreateUser(UserRecord user) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_->LoginTaken(LoginOf(user), "")) {
    return MakeError(ErrorCode::kAlreadyExists, "login already exists");
  }
  if (user.id.empty()) user.id = NewOktaId("00u");
  state_->users[user.id] = user;
  SaveOrLogLocked();
  return user;
}

Result<UserRecord> Store::UpdateUser(std::string_view id_or_login, const UserMutation& mutate) {
  std::lock_guard<std::mutex> lock(mu_);
  UserRecord* current = state_->Find(id_or_login);
  if (current == nullptr) return MakeError(ErrorCode::kNotFound, "no such user");
  UserRecord copy = *current;
  Status changed = mutate(copy);
  if (!changed) return changed.error();
  if (state_->LoginTaken(LoginOf(copy), copy.id)) {
    return MakeError(ErrorCode::kAlreadyExists, "login already exists");
  }
  // A new password, by whatever route, voids every link mailed before it: a reset link must not
  // set the password again, and an activation link must not re-activate (as Okta does).
  if (copy.password_hash != current->password_hash) state_->DropUserTokens(copy.id, std::nullopt);
  *current = copy;
  SaveOrLogLocked();
  return copy;
}

Status Store::DeleteUser(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_->users.erase(id) == 0) return MakeError(ErrorCode::kNotFound, "no such user");
  state_->DropUserTokens(id, std::nullopt);
  return SaveLocked();
}

std::string Store::CustomPropertiesJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  return json::Write(state_->custom_properties);
}

Status Store::UpdateCustomProperties(const SchemaChange& change) {
  std::lock_guard<std::mutex> lock(mu_);
  json::Document copy;
  copy.CopyFrom(state_->custom_properties, copy.GetAllocator());
  Status changed = change(copy);
  if (!changed) return changed;
  state_->custom_properties.Swap(copy);
  state_->schema.last_updated = NowLocked();
  return SaveLocked();
}

SchemaMeta Store::Schema() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->schema;
}

void Store::SendEmail(OutboxEmail email) {
  std::lock_guard<std::mutex> lock(mu_);
  if (email.id.empty()) email.id = NewOktaId("eml");
  if (email.sent_at.empty()) email.sent_at = NowLocked();
  state_->outbox.push_back(std::move(email));
  SaveOrLogLocked();
}

std::vector<OutboxEmail> Store::Outbox() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->outbox;
}

std::string Store::IssueUserToken(const std::string& user_id, UserTokenKind kind,
                                  int64_t ttl_seconds) {
  std::string token = RandomAlphanumeric(20);
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = state_->clock();
  std::erase_if(state_->user_tokens, [now](const auto& e) { return e.second.expires_ms <= now; });
  // Only the newest link of a kind works: a second reset or activation email voids the first.
  state_->DropUserTokens(user_id, kind);
  state_->user_tokens[Sha256Hex(token)] = TokenEntry{user_id, kind, now + ttl_seconds * 1000};
  SaveOrLogLocked();
  return token;
}

std::optional<std::string> Store::PeekUserToken(std::string_view token, UserTokenKind kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->user_tokens.find(Sha256Hex(token));
  if (it == state_->user_tokens.end() || it->second.kind != kind) return std::nullopt;
  if (it->second.expires_ms <= state_->clock()) return std::nullopt;
  return it->second.user_id;
}

std::optional<std::string> Store::RedeemUserToken(std::string_view token, UserTokenKind kind) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->user_tokens.find(Sha256Hex(token));
  if (it == state_->user_tokens.end() || it->second.kind != kind) return std::nullopt;
  TokenEntry entry = it->second;
  state_->user_tokens.erase(it);
  SaveOrLogLocked();
  if (entry.expires_ms <= state_->clock()) return std::nullopt;
  return entry.user_id;
}

}  // namespace userdesk::mini_okta
