// Users of the management API: GET/POST /api/v1/users (list with limit/after/q/filter, create)
// and GET/POST/PUT /api/v1/users/{id or login} (read, partial update, full replace). Every
// profile write is checked against the schema, every password against the default policy.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <variant>

#include "base/strings.h"
#include "crypto/password_hash.h"
#include "http/cgi_parse.h"
#include "mini_okta/management/common.h"
#include "mini_okta/management/password_policy.h"
#include "mini_okta/management/user_emails.h"
#include "mini_okta/management/user_filter.h"
#include "mini_okta/management/user_json.h"
#include "mini_okta/server/request_params.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

constexpr int kMaxPageSize = 200;
constexpr int kDefaultQueryPageSize = 10;  // Okta's default limit for q

std::string ProfileLogin(const json::Value& profile) {
  return json::GetString(profile, "login").value_or("");
}

std::optional<std::string> PasswordValue(const json::Value& body) {
  const json::Value* creds = json::GetObject(body, "credentials");
  const json::Value* password = creds ? json::GetObject(*creds, "password") : nullptr;
  return password ? json::GetString(*password, "value") : std::nullopt;
}

json::Document CustomProperties(const Context& ctx) {
  auto doc = json::ParseObject(ctx.store->schema().CustomPropertiesJson());
  return doc ? std::move(*doc) : json::Document(rapidjson::kObjectType);
}

// Profile and password checks shared by create and update. nullopt when both are fine.
std::optional<OktaError> CheckProfileAndPassword(const json::Value& profile,
                                                 const std::optional<std::string>& password,
                                                 std::string_view object,
                                                 const json::Value& custom) {
  std::vector<FieldProblem> problems = ValidateProfile(profile, custom);
  if (!problems.empty()) return ProfileInvalid(problems, object);
  if (password) {
    if (auto cause = CheckPasswordPolicy(*password, ProfileLogin(profile))) {
      return ValidationFailed("password", {*cause});
    }
  }
  return std::nullopt;
}

void SetPassword(UserRecord& user, const std::string& password, const std::string& now) {
  user.password_hash = crypto::HashPassword(password);
  user.password_changed = now;
}

// --- GET /api/v1/users/{id} ---

void HandleGetUser(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  std::optional<UserRecord> user = ctx.store->users().Find(id);
  if (!user) return SendOktaError(res, UserNotFound(id));
  SendUser(res, *user, ctx);
}

// --- POST /api/v1/users ---

UserRecord NewUser(const json::Value& profile, const std::optional<std::string>& password,
                   bool activate, const std::string& now) {
  UserRecord user;
  user.profile_json = json::Write(profile);
  user.created = user.last_updated = now;
  if (password) SetPassword(user, *password, now);
  if (!activate) {
    user.status = "STAGED";
    return user;
  }
  // With a password the user can sign in at once; without one Okta mails an activation link.
  user.status = password ? "ACTIVE" : "PROVISIONED";
  user.activated = user.status_changed = now;
  return user;
}

void HandleCreateUser(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  const json::Value* profile = json::GetObject(*body, "profile");
  if (profile == nullptr) {
    return SendOktaError(res,
                         ValidationFailed("profile", {"profile: The field cannot be left blank"}));
  }
  std::optional<std::string> password = PasswordValue(*body);
  if (auto error = CheckProfileAndPassword(*profile, password, "newUser", CustomProperties(ctx))) {
    return SendOktaError(res, *error);
  }
  bool activate = QueryFlag(req, "activate", true);
  Result<UserRecord> created =
      ctx.store->users().Create(NewUser(*profile, password, activate, NowTimestamp(ctx)));
  if (!created) return SendOktaError(res, FromStoreError(created.error(), ""));
  if (created->status == "PROVISIONED") {
    SendActivationEmail(ctx, *created, NewActivationLink(ctx, *created));
  }
  SendUser(res, *created, ctx);
}

// --- POST (partial) and PUT (replace) /api/v1/users/{id} ---

// Partial update: sent attributes replace stored ones, an explicit null removes one.
json::Document MergedProfile(const std::string& stored_json, const json::Value& changes) {
  auto merged = json::ParseObject(stored_json);
  json::Document doc = merged ? std::move(*merged) : json::Document(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  for (const auto& m : changes.GetObject()) {
    doc.RemoveMember(m.name);
    if (!m.value.IsNull()) doc.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
  }
  return doc;
}

void HandleUpdateUser(const httplib::Request& req, httplib::Response& res, Context& ctx,
                      bool replace) {
  std::string id = req.matches[1];
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  const json::Value* changes = json::GetObject(*body, "profile");
  if (replace && changes == nullptr) {
    return SendOktaError(res,
                         ValidationFailed("profile", {"profile: The field cannot be left blank"}));
  }
  std::optional<std::string> password = PasswordValue(*body);
  std::string now = NowTimestamp(ctx);
  json::Document custom = CustomProperties(ctx);  // read before UpdateUser takes the store lock
  std::optional<OktaError> failure;
  Result<UserRecord> updated = ctx.store->users().Update(id, [&](UserRecord& user) -> Status {
    json::Document empty(rapidjson::kObjectType);
    json::Document profile =
        replace ? json::Document() : MergedProfile(user.profile_json, changes ? *changes : empty);
    if (replace) profile.CopyFrom(*changes, profile.GetAllocator());
    failure = CheckProfileAndPassword(profile, password, "profile", custom);
    if (failure) return MakeError(ErrorCode::kInvalidArgument, "invalid profile");
    user.profile_json = json::Write(profile);
    if (password) SetPassword(user, *password, now);
    user.last_updated = now;
    return OkStatus();
  });
  if (failure) return SendOktaError(res, *failure);
  if (!updated) return SendOktaError(res, FromStoreError(updated.error(), id));
  SendUser(res, *updated, ctx);
}

// --- GET /api/v1/users ---

struct ListQuery {
  int limit = kMaxPageSize;
  std::string after;
  std::string q;
  std::optional<UserFilter> filter;
  bool has_filter = false;
};

// The list parameters, or an error (bad filter, q together with filter).
std::variant<ListQuery, OktaError> ReadListQuery(const httplib::Request& req) {
  ListQuery query;
  query.q = Param(req, "q");
  query.after = Param(req, "after");
  bool is_filter = HasParam(req, "filter");
  std::string expression = is_filter ? Param(req, "filter") : Param(req, "search");
  if (!expression.empty()) {
    if (!query.q.empty()) {
      return OktaError{400,
                       "E0000033",
                       "Bad request. Can't specify a search query and filter in the same request.",
                       {}};
    }
    query.filter = UserFilter::Parse(
        expression, is_filter ? UserFilter::Syntax::kFilter : UserFilter::Syntax::kSearch);
    if (!query.filter) return InvalidSearch();
    query.has_filter = true;
  }
  if (!query.q.empty()) query.limit = kDefaultQueryPageSize;
  if (HasParam(req, "limit")) {
    std::string text = Param(req, "limit");
    std::optional<int> limit = ParseInteger<int>(text);
    if (limit && *limit > 0) query.limit = std::min(*limit, kMaxPageSize);
  }
  return query;
}

bool Selected(const UserRecord& user, const ListQuery& query) {
  // Without a filter Okta leaves deactivated users out of the list.
  if (!query.has_filter && user.status == "DEPROVISIONED") return false;
  if (query.filter && !query.filter->Matches(user)) return false;
  return query.q.empty() || MatchesQuery(user, query.q);
}

// A list URL with the request's own parameters and the given cursor (empty = none).
std::string ListUrl(const httplib::Request& req, const Context& ctx, const ListQuery& query,
                    const std::string& after) {
  std::string url = ctx.options.base_url + "/api/v1/users?";
  for (const char* name : {"q", "filter", "search"}) {
    if (HasParam(req, name))
      url += std::string(name) + "=" + http::FormUrlEncode(Param(req, name)) + "&";
  }
  if (!after.empty()) url += "after=" + http::FormUrlEncode(after) + "&";
  return url + "limit=" + std::to_string(query.limit);
}

void HandleListUsers(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  auto parsed = ReadListQuery(req);
  if (auto* error = std::get_if<OktaError>(&parsed)) return SendOktaError(res, *error);
  const ListQuery& query = std::get<ListQuery>(parsed);
  SchemaMeta schema = ctx.store->schema().Meta();
  json::Document page(rapidjson::kArrayType);
  std::string last_id;
  bool more = false;
  for (const UserRecord& user : ctx.store->users().List()) {  // ordered by id: the cursor is an id
    if ((!query.after.empty() && user.id <= query.after) || !Selected(user, query)) continue;
    if (static_cast<int>(page.Size()) == query.limit) {
      more = true;
      break;
    }
    page.PushBack(UserToJson(user, ctx.options.base_url, schema, page.GetAllocator()),
                  page.GetAllocator());
    last_id = user.id;
  }
  res.set_header("Link", "<" + ListUrl(req, ctx, query, query.after) + ">; rel=\"self\"");
  if (more) res.set_header("Link", "<" + ListUrl(req, ctx, query, last_id) + ">; rel=\"next\"");
  SendJson(res, 200, page);
}

}  // namespace

void RegisterUserRoutes(httplib::Server& server, Context& ctx) {
  server.Get("/api/v1/users", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleListUsers(req, res, ctx);
  });
  server.Post("/api/v1/users", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleCreateUser(req, res, ctx);
  });
  server.Get("/api/v1/users/([^/]+)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleGetUser(req, res, ctx);
  });
  server.Post("/api/v1/users/([^/]+)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleUpdateUser(req, res, ctx, /*replace=*/false);
  });
  server.Put("/api/v1/users/([^/]+)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleUpdateUser(req, res, ctx, /*replace=*/true);
  });
}

}  // namespace userdesk::mini_okta
