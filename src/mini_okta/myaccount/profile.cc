// The MyAccount profile API: GET /idp/myaccount/profile, PUT /idp/myaccount/profile (a full
// replace of what the user may write) and GET /idp/myaccount/profile/schema, for the user the
// access token names and no one else. Access (token, version, scope) is myaccount/access.cc's;
// what the user sees and may change is myaccount/self_view.cc's.
#include <httplib.h>

#include "mini_okta/management/common.h"
#include "mini_okta/myaccount/access.h"
#include "mini_okta/myaccount/routes.h"
#include "mini_okta/myaccount/self_view.h"
#include "mini_okta/oidc/common.h"

namespace userdesk::mini_okta::myaccount {
namespace {

constexpr char kProfilePath[] = "/idp/myaccount/profile";
constexpr char kSchemaPath[] = "/idp/myaccount/profile/schema";
const std::vector<std::string> kReadScopes = {"okta.myAccount.profile.read",
                                              "okta.myAccount.profile.manage"};
const std::vector<std::string> kManageScopes = {"okta.myAccount.profile.manage"};
// Okta: writes need a sign-in at most 15 minutes old, whatever the token's own expiry.
constexpr int64_t kWriteAssuranceSeconds = 15 * 60;

json::Value Link(const std::string& href, json::Allocator& a) {
  json::Value link(rapidjson::kObjectType);
  link.AddMember("href", json::Str(href, a), a);
  return link;
}

void Send(httplib::Response& res, const json::Value& body) {
  oidc::SetNoStore(res);
  res.status = 200;
  res.set_content(json::Write(body), kContentType);
}

json::Document StoredProfile(const UserRecord& user) {
  auto doc = json::ParseObject(user.profile_json);
  return doc ? std::move(*doc) : json::Document(rapidjson::kObjectType);
}

json::Document CustomProperties(const Context& ctx) {
  auto doc = json::ParseObject(ctx.store->schema().CustomPropertiesJson());
  return doc ? std::move(*doc) : json::Document(rapidjson::kObjectType);
}

void SendProfile(httplib::Response& res, const Context& ctx, const UserRecord& user) {
  json::Document schema;
  schema.CopyFrom(CurrentSchemaDocument(ctx, schema.GetAllocator()), schema.GetAllocator());
  std::vector<SelfAttribute> attributes = VisibleAttributes(schema);
  json::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("createdAt", json::Str(user.created, a), a);
  out.AddMember("modifiedAt", json::Str(user.last_updated, a), a);
  out.AddMember("profile", ProfileView(attributes, StoredProfile(user), a), a);
  json::Value links(rapidjson::kObjectType);
  links.AddMember("self", Link(ctx.options.base_url + kProfilePath, a), a);
  links.AddMember("describedBy", Link(ctx.options.base_url + kSchemaPath, a), a);
  out.AddMember("_links", links, a);
  Send(res, out);
}

void HandleGetProfile(const oidc::OidcState& state, const httplib::Request& req,
                      httplib::Response& res) {
  std::optional<Caller> caller = Authorize(state, req, res, kReadScopes);
  if (caller) SendProfile(res, state.ctx, caller->user);
}

void HandleGetSchema(const oidc::OidcState& state, const httplib::Request& req,
                     httplib::Response& res) {
  if (!Authorize(state, req, res, kReadScopes)) return;
  json::Document schema;
  schema.CopyFrom(CurrentSchemaDocument(state.ctx, schema.GetAllocator()), schema.GetAllocator());
  json::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  json::Value links(rapidjson::kObjectType);
  links.AddMember("self", Link(state.ctx.options.base_url + kSchemaPath, a), a);
  links.AddMember("user", Link(state.ctx.options.base_url + kProfilePath, a), a);
  out.AddMember("_links", links, a);
  out.AddMember("properties", SchemaProperties(VisibleAttributes(schema), a), a);
  Send(res, out);
}

// RFC 6750 §3 with the parameters of Okta's step-up challenge for MyAccount writes.
void RefuseStaleSignIn(httplib::Response& res) {
  res.set_header("WWW-Authenticate",
                 "Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_authentication_context\", "
                 "error_description=\"The access token requires additional assurance to access "
                 "the resource\", max_age=" +
                     std::to_string(kWriteAssuranceSeconds));
  oidc::SetNoStore(res);
  SendOktaError(
      res, {403, "E0000006", "You do not have permission to perform the requested action", {}});
}

bool IsJson(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  return type.rfind("application/json", 0) == 0;
}

void HandlePutProfile(const oidc::OidcState& state, const httplib::Request& req,
                      httplib::Response& res) {
  std::optional<Caller> caller = Authorize(state, req, res, kManageScopes);
  if (!caller) return;
  if (state.NowSeconds() - caller->claims.auth_time > kWriteAssuranceSeconds) {
    return RefuseStaleSignIn(res);
  }
  if (!IsJson(req)) {
    return SendOktaError(res, {415,
                               "E0000021",
                               "Bad request.  Accept and/or Content-Type headers likely do not "
                               "match supported values.",
                               {"Content-Type: must be application/json"}});
  }
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  const json::Value* sent = json::GetObject(*body, "profile");
  if (sent == nullptr) {
    return SendOktaError(res,
                         ValidationFailed("profile", {"profile: The field cannot be left blank"}));
  }
  Context& ctx = state.ctx;
  json::Document schema;
  schema.CopyFrom(CurrentSchemaDocument(ctx, schema.GetAllocator()), schema.GetAllocator());
  std::vector<SelfAttribute> attributes = VisibleAttributes(schema);
  json::Document custom = CustomProperties(ctx);
  std::vector<FieldProblem> problems;
  std::string now = NowTimestamp(ctx);
  // Computed from the stored profile under the store's lock, so a concurrent admin change to a
  // read-only or hidden attribute is never overwritten with a stale value.
  Result<UserRecord> updated = ctx.store->users().Update(caller->user.id, [&](UserRecord& user) {
    json::Document next;
    problems = ReplaceProfile(attributes, StoredProfile(user), *sent, custom, &next);
    if (!problems.empty()) return Status(MakeError(ErrorCode::kInvalidArgument, "profile"));
    user.profile_json = json::Write(next);
    user.last_updated = now;
    return OkStatus();
  });
  if (!problems.empty()) return SendOktaError(res, ProfileInvalid(problems, "profile"));
  if (!updated) return SendOktaError(res, FromStoreError(updated.error(), caller->user.id));
  SendProfile(res, ctx, *updated);
}

}  // namespace

void RegisterProfileRoutes(httplib::Server& server, const std::shared_ptr<oidc::OidcState>& state) {
  server.Get(kProfilePath, [state](const httplib::Request& req, httplib::Response& res) {
    HandleGetProfile(*state, req, res);
  });
  server.Put(kProfilePath, [state](const httplib::Request& req, httplib::Response& res) {
    HandlePutProfile(*state, req, res);
  });
  server.Get(kSchemaPath, [state](const httplib::Request& req, httplib::Response& res) {
    HandleGetSchema(*state, req, res);
  });
}

}  // namespace userdesk::mini_okta::myaccount
