#include "okta/users_client.h"

#include "base/iso_time.h"
#include "json/json.h"

namespace userdesk::okta {
namespace {

constexpr std::string_view kUsersPath = "/api/v1/users";

// "/api/v1/users/<id>", or nullopt when the id would not name one user: an empty id is the list
// endpoint, and "." or ".." would be resolved away as dot segments.
std::optional<std::string> UserPath(std::string_view user_id) {
  if (user_id.empty() || user_id == "." || user_id == "..") return std::nullopt;
  std::string escaped = http::EscapePathSegment(user_id);
  if (escaped.empty()) return std::nullopt;
  return std::string(kUsersPath) + "/" + escaped;
}

// Send, then the user the answer holds.
OktaResult<User> Perform(const ClientOptions& options, const Call& call,
                         std::string_view api_token) {
  OktaResult<std::string> body = Send(options, call, api_token);
  if (!body.ok()) return body.error();
  Result<User> user = ParseUser(*body);
  if (user.ok()) return std::move(user).value();
  Failure failure = FailureOf(MakeError(
      ErrorCode::kUpstreamUnavailable, call.method + " " + call.path + ": " + user.error().detail));
  LogFailure(options, call, failure, 0);
  return failure;
}

Failure InvalidUserId(const std::string& method) {
  return FailureOf(MakeError(ErrorCode::kInvalidArgument,
                             method + " " + std::string(kUsersPath) + "/: not a user id"));
}

// A scalar's text: strings as they are, numbers and booleans as their JSON text.
std::optional<std::string> ScalarText(const json::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool() || v.IsNumber()) return json::Write(v);
  return std::nullopt;
}

// A profile attribute as User::profile holds it; nullopt for null, an object, or an array with
// an object or array in it.
std::optional<std::string> ProfileText(const json::Value& v) {
  if (auto scalar = ScalarText(v)) return scalar;
  if (!v.IsArray()) return std::nullopt;
  std::string joined;
  bool first = true;
  for (const json::Value& item : v.GetArray()) {
    if (item.IsNull()) continue;
    std::optional<std::string> text = ScalarText(item);
    if (!text) return std::nullopt;
    if (!first) joined += ", ";
    joined += *text;
    first = false;
  }
  return joined;
}

}  // namespace

const std::string& User::Attribute(const std::string& name) const {
  static const std::string kEmpty;
  auto it = profile.find(name);
  return it == profile.end() ? kEmpty : it->second;
}

UsersClient::UsersClient(ClientOptions options) : options_(std::move(options)) {}

OktaResult<User> UsersClient::GetUser(std::string_view api_token, std::string_view user_id) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("GET");
  return Perform(options_, Call{"GET", *path, "", true, ""}, api_token);
}

OktaResult<User> UsersClient::UpdateProfile(std::string_view api_token, std::string_view user_id,
                                            const std::vector<ProfileChange>& changes) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("POST");
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value profile(rapidjson::kObjectType);
  for (const auto& [name, value] : changes) {
    // a name given twice is sent once, with its last value
    profile.RemoveMember(json::Str(name, a));
    json::Value v = value ? json::Str(*value, a) : json::Value(rapidjson::kNullType);
    profile.AddMember(json::Str(name, a), v, a);
  }
  doc.AddMember("profile", profile, a);
  return Perform(options_, Call{"POST", *path, json::Write(doc), false, ""}, api_token);
}

OktaResult<User> UsersClient::CreateUser(std::string_view api_token, const NewUser& user,
                                         bool activate) const {
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value profile(rapidjson::kObjectType);
  for (const auto& [name, value] : user.profile) {
    profile.AddMember(json::Str(name, a), json::Str(value, a), a);
  }
  doc.AddMember("profile", profile, a);
  if (!user.password.empty()) {
    json::Value password(rapidjson::kObjectType);
    password.AddMember("value", json::Str(user.password, a), a);
    json::Value credentials(rapidjson::kObjectType);
    credentials.AddMember("password", password, a);
    doc.AddMember("credentials", credentials, a);
  }
  Call call{"POST", std::string(kUsersPath), json::Write(doc), false,
            activate ? "?activate=true" : "?activate=false"};
  return Perform(options_, call, api_token);
}

OktaResult<bool> UsersClient::ChangePassword(std::string_view api_token, std::string_view user_id,
                                            const std::string& old_password,
                                            const std::string& new_password) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("POST");
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  for (const auto& [name, value] : {std::pair{"oldPassword", &old_password},
                                    std::pair{"newPassword", &new_password}}) {
    json::Value secret(rapidjson::kObjectType);
    secret.AddMember("value", json::Str(*value, a), a);
    doc.AddMember(rapidjson::StringRef(name), secret, a);
  }
  Call call{"POST", *path + "/credentials/change_password", json::Write(doc), false, ""};
  OktaResult<std::string> body = Send(options_, call, api_token);
  if (!body.ok()) return body.error();
  return true;
}

OktaResult<bool> UsersClient::ClearSessions(std::string_view api_token,
                                            std::string_view user_id) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("DELETE");
  OktaResult<std::string> body = Send(options_, Call{"DELETE", *path + "/sessions", "", true, ""},
                                      api_token);
  if (!body.ok()) return body.error();
  return true;
}

Result<User> ParseUser(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kUpstreamUnavailable, "user: not a JSON object");
  std::optional<std::string> id = json::GetString(*doc, "id");
  if (!id || id->empty()) return MakeError(ErrorCode::kUpstreamUnavailable, "user: no id");
  const json::Value* profile = json::GetObject(*doc, "profile");
  if (profile == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "user: no profile object");
  }
  User user;
  user.id = std::move(*id);
  user.status = json::GetString(*doc, "status").value_or("");
  user.last_updated = json::GetString(*doc, "lastUpdated").value_or("");
  user.last_updated_ms = ParseIsoTimestampMs(user.last_updated).value_or(0);
  user.password_changed_ms =
      ParseIsoTimestampMs(json::GetString(*doc, "passwordChanged").value_or("")).value_or(0);
  for (const auto& m : profile->GetObject()) {
    if (std::optional<std::string> value = ProfileText(m.value)) {
      user.profile.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                           std::move(*value));
    }
  }
  return user;
}

}  // namespace userdesk::okta
