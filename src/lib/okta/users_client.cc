#include "okta/users_client.h"

#include "base/iso_time.h"
#include "http/cgi_parse.h"
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

// A list call, then its users and the next page's link.
OktaResult<UsersPage> FetchPage(const ClientOptions& options, const Call& call,
                                std::string_view api_token) {
  OktaResult<Answer> answer = SendForAnswer(options, call, api_token);
  if (!answer.ok()) return answer.error();
  Result<std::vector<User>> users = ParseUsers(answer->body);
  if (!users.ok()) {
    Failure failure =
        FailureOf(MakeError(ErrorCode::kUpstreamUnavailable,
                            call.method + " " + call.path + ": " + users.error().detail));
    LogFailure(options, call, failure, 0);
    return failure;
  }
  UsersPage page;
  page.users = std::move(users).value();
  page.next = NextLink(answer->Header("link"));
  return page;
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

// A user object already parsed; kUpstreamUnavailable when it is not one.
Result<User> UserFrom(const json::Value& doc) {
  if (!doc.IsObject()) return MakeError(ErrorCode::kUpstreamUnavailable, "user: not a JSON object");
  std::optional<std::string> id = json::GetString(doc, "id");
  if (!id || id->empty()) return MakeError(ErrorCode::kUpstreamUnavailable, "user: no id");
  const json::Value* profile = json::GetObject(doc, "profile");
  if (profile == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "user: no profile object");
  }
  User user;
  user.id = std::move(*id);
  user.status = json::GetString(doc, "status").value_or("");
  user.last_updated = json::GetString(doc, "lastUpdated").value_or("");
  user.last_updated_ms = ParseIsoTimestampMs(user.last_updated).value_or(0);
  user.created = json::GetString(doc, "created").value_or("");
  user.activated = json::GetString(doc, "activated").value_or("");
  user.status_changed = json::GetString(doc, "statusChanged").value_or("");
  user.last_login = json::GetString(doc, "lastLogin").value_or("");
  user.password_changed = json::GetString(doc, "passwordChanged").value_or("");
  user.password_changed_ms = ParseIsoTimestampMs(user.password_changed).value_or(0);
  ReadProfileAttributes(*profile, &user);
  return user;
}

}  // namespace

json::Value ToJson(const AttributeValue& value, json::Allocator& a) {
  switch (value.kind) {
    case AttributeValue::Kind::kNumber: {
      json::Document number;
      // the text was made from a parsed number (profile/profile_form.cc); anything else is sent
      // as the string it is, never as broken JSON
      if (number.Parse(value.text.c_str()).HasParseError() || !number.IsNumber()) {
        return json::Str(value.text, a);
      }
      return json::Value(number, a);
    }
    case AttributeValue::Kind::kBoolean:
      return json::Value(value.text == "true");
    case AttributeValue::Kind::kStringList: {
      json::Value list(rapidjson::kArrayType);
      for (const std::string& item : value.items) list.PushBack(json::Str(item, a), a);
      return list;
    }
    case AttributeValue::Kind::kString:
      break;
  }
  return json::Str(value.text, a);
}

void ReadProfileAttributes(const json::Value& profile, User* user) {
  if (!profile.IsObject()) return;
  for (const auto& m : profile.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (std::optional<std::string> value = ProfileText(m.value)) {
      if (m.value.IsArray()) {
        std::vector<std::string>& items = user->lists[name];
        for (const json::Value& item : m.value.GetArray()) {
          if (!item.IsNull()) items.push_back(*ScalarText(item));  // ProfileText checked them
        }
      }
      user->profile.emplace(std::move(name), std::move(*value));
    }
  }
}

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
    json::Value v = value ? ToJson(*value, a) : json::Value(rapidjson::kNullType);
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
  for (const auto& [name, value] :
       {std::pair{"oldPassword", &old_password}, std::pair{"newPassword", &new_password}}) {
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
  OktaResult<std::string> body =
      Send(options_, Call{"DELETE", *path + "/sessions", "", true, ""}, api_token);
  if (!body.ok()) return body.error();
  return true;
}

OktaResult<UsersPage> UsersClient::ListUsers(std::string_view api_token,
                                             const UserListQuery& query) const {
  std::string q = "?";
  if (!query.search.empty()) q += "search=" + http::FormUrlEncode(query.search) + "&";
  q += "limit=" + std::to_string(query.limit);
  return FetchPage(options_, Call{"GET", std::string(kUsersPath), "", true, q}, api_token);
}

OktaResult<UsersPage> UsersClient::NextUsers(std::string_view api_token,
                                             std::string_view next) const {
  // Only the path and query of the link count: the call goes to ORG_URL whatever host it named.
  std::string_view rest = next;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    size_t slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  size_t question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : rest.substr(question);
  Call call{"GET", std::string(path), "", true, std::string(query)};
  if (path != kUsersPath) {
    Failure failure = FailureOf(MakeError(ErrorCode::kUpstreamUnavailable,
                                          "GET /api/v1/users: the next page's link names "
                                          "another path"));
    LogFailure(options_, call, failure, 0);
    return failure;
  }
  return FetchPage(options_, call, api_token);
}

OktaResult<bool> UsersClient::ChangeStatus(std::string_view api_token, std::string_view user_id,
                                           Lifecycle operation) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("POST");
  std::string name, query;
  switch (operation) {
    case Lifecycle::kActivate:
      name = "activate", query = "?sendEmail=true";
      break;
    case Lifecycle::kReactivate:
      name = "reactivate", query = "?sendEmail=true";
      break;
    case Lifecycle::kDeactivate:
      name = "deactivate";
      break;
    case Lifecycle::kSuspend:
      name = "suspend";
      break;
    case Lifecycle::kUnsuspend:
      name = "unsuspend";
      break;
    case Lifecycle::kResetPassword:
      name = "reset_password", query = "?sendEmail=true";
      break;
  }
  Call call{"POST", *path + "/lifecycle/" + name, "", false, query};
  // the answer is {} (or the user, for some operations): nothing the caller needs
  OktaResult<std::string> body = Send(options_, call, api_token);
  if (!body.ok()) return body.error();
  return true;
}

OktaResult<bool> UsersClient::DeleteUser(std::string_view api_token,
                                         std::string_view user_id) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("DELETE");
  OktaResult<std::string> body = Send(options_, Call{"DELETE", *path, "", false, ""}, api_token);
  if (!body.ok()) return body.error();
  return true;
}

Result<User> ParseUser(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kUpstreamUnavailable, "user: not a JSON object");
  return UserFrom(*doc);
}

Result<std::vector<User>> ParseUsers(std::string_view text) {
  std::optional<json::Document> doc = json::Parse(text);
  if (!doc || !doc->IsArray()) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "user list: not a JSON array");
  }
  std::vector<User> users;
  users.reserve(doc->Size());
  for (const json::Value& item : doc->GetArray()) {
    Result<User> user = UserFrom(item);
    if (!user.ok()) return user.error();
    users.push_back(std::move(user).value());
  }
  return users;
}

}  // namespace userdesk::okta
