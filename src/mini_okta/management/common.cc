#include "mini_okta/management/common.h"

#include <httplib.h>

#include "mini_okta/management/user_json.h"
#include "mini_okta/server/request_params.h"

namespace userdesk::mini_okta {

std::optional<json::Document> ReadJsonBody(const httplib::Request& req, httplib::Response& res) {
  auto doc = json::ParseObject(req.body);
  if (!doc) SendOktaError(res, BadJson());
  return doc;
}

bool QueryFlag(const httplib::Request& req, const std::string& name, bool fallback) {
  if (!HasParam(req, name)) return fallback;
  std::string value = Param(req, name);
  if (value == "true") return true;
  if (value == "false") return false;
  return fallback;
}

void SendUser(httplib::Response& res, const UserRecord& user, Context& ctx) {
  res.status = 200;
  res.set_content(UserJsonText(user, ctx.options.base_url, ctx.store->schema().Meta()),
                  "application/json");
}

OktaError ProfileInvalid(const std::vector<FieldProblem>& problems, std::string_view object) {
  std::vector<std::string> causes;
  for (const auto& p : problems) causes.push_back(p.message);
  bool undefined_first =
      !problems.empty() && problems.front().message.rfind("Property name", 0) == 0;
  std::string summary =
      problems.empty() || undefined_first ? std::string(object) : problems.front().field;
  return ValidationFailed(summary, std::move(causes));
}

OktaError DuplicateLogin() {
  return ValidationFailed(
      "login", {"login: An object with this field already exists in the current organization"});
}

OktaError FromStoreError(const Error& error, std::string_view id_or_login) {
  if (error.code == ErrorCode::kNotFound) return UserNotFound(id_or_login);
  if (error.code == ErrorCode::kAlreadyExists) return DuplicateLogin();
  return ServerError(500);
}

json::Value CurrentSchemaDocument(const Context& ctx, json::Allocator& a) {
  auto custom = json::ParseObject(ctx.store->schema().CustomPropertiesJson());
  auto base = json::ParseObject(ctx.store->schema().BasePermissionsJson());
  json::Document empty(rapidjson::kObjectType);
  return SchemaDocument(ctx.store->schema().Meta(), custom ? *custom : empty, base ? *base : empty,
                        ctx.options.base_url, a);
}

std::string NowTimestamp(const Context& ctx) { return FormatTimestamp(ctx.store->NowMillis()); }

}  // namespace userdesk::mini_okta
