// The Authn API. Primary authentication: POST /api/v1/authn {username, password} answers
// Okta's SUCCESS transaction with a one-time sessionToken (redeemed by /v1/authorize), or 401
// E0000004. Only ACTIVE users sign in; every other refusal looks the same, as in Okta, so the
// response never tells a caller which usernames exist. Forgot password: POST
// /api/v1/authn/recovery/password {username, factorType: "EMAIL"} mails a reset link.
#include <httplib.h>

#include "crypto/password_hash.h"
#include "json/json.h"
#include "mini_okta/management/okta_error.h"
#include "mini_okta/management/okta_time.h"
#include "mini_okta/management/user_emails.h"
#include "mini_okta/server/context.h"
#include "mini_okta/server/routes.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {
namespace {

constexpr int64_t kTransactionTtlMs = 5 * 60 * 1000;

json::Value EmbeddedUser(const UserRecord& user, json::Allocator& a) {
  auto profile = json::ParseObject(user.profile_json);
  auto field = [&](std::string_view key, std::string_view fallback) {
    return json::Str(profile ? json::GetString(*profile, key).value_or(std::string(fallback))
                             : std::string(fallback),
                     a);
  };
  json::Value p(rapidjson::kObjectType);
  p.AddMember("login", field("login", ""), a);
  p.AddMember("firstName", field("firstName", ""), a);
  p.AddMember("lastName", field("lastName", ""), a);
  p.AddMember("locale", field("locale", "en_US"), a);
  p.AddMember("timeZone", field("timezone", "America/Los_Angeles"), a);
  json::Value u(rapidjson::kObjectType);
  u.AddMember("id", json::Str(user.id, a), a);
  u.AddMember("passwordChanged",
              user.password_changed.empty() ? json::Value(rapidjson::kNullType)
                                            : json::Str(user.password_changed, a),
              a);
  u.AddMember("profile", p, a);
  return u;
}

// Hashing a password for unknown users too keeps the response time from telling which
// usernames exist.
bool CheckPasswordInConstantWork(const Store& store, const std::optional<UserRecord>& user,
                                 const std::string& password) {
  static const std::string kDummyHash = crypto::HashPassword("mini-okta timing equaliser");
  if (!user || user->password_hash.empty()) {
    crypto::VerifyPassword(password, kDummyHash);
    return false;
  }
  return store.users().CheckPassword(*user, password);
}

std::optional<UserRecord> Authenticate(const Store& store, const json::Value& body) {
  std::optional<std::string> username = json::GetString(body, "username");
  std::optional<std::string> password = json::GetString(body, "password");
  if (!username || !password) return std::nullopt;
  std::optional<UserRecord> user = store.users().Find(*username);
  if (!CheckPasswordInConstantWork(store, user, *password) || user->status != "ACTIVE") {
    return std::nullopt;
  }
  return user;
}

void HandleAuthn(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  auto body = json::ParseObject(req.body);
  if (!body) return SendOktaError(res, BadJson());
  std::optional<UserRecord> user = Authenticate(*ctx.store, *body);
  if (!user) return SendOktaError(res, AuthenticationFailed());
  ctx.store->users().RecordLogin(user->id);
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("expiresAt",
                json::Str(FormatTimestamp(ctx.store->NowMillis() + kTransactionTtlMs), a), a);
  doc.AddMember("status", "SUCCESS", a);
  doc.AddMember("sessionToken", json::Str(ctx.store->links().IssueSessionToken(user->id), a), a);
  json::Value embedded(rapidjson::kObjectType);
  embedded.AddMember("user", EmbeddedUser(*user, a), a);
  doc.AddMember("_embedded", embedded, a);
  SendJson(res, 200, doc);
}

// Self-service "forgot password" by email. The answer is the same whether or not the user
// exists (no account enumeration); only users who could sign in with a new password get a mail.
void HandleRecoverPassword(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  auto body = json::ParseObject(req.body);
  if (!body) return SendOktaError(res, BadJson());
  std::optional<std::string> username = json::GetString(*body, "username");
  std::string factor = json::GetString(*body, "factorType").value_or("");
  if (!username || username->empty()) {
    return SendOktaError(
        res, ValidationFailed("username", {"username: The field cannot be left blank"}));
  }
  if (factor != "EMAIL") {
    return SendOktaError(res, ValidationFailed("factorType", {"factorType: Only EMAIL is supported "
                                                              "by mini-okta"}));
  }
  std::optional<UserRecord> user = ctx.store->users().Find(*username);
  if (user && (user->status == "ACTIVE" || user->status == "PASSWORD_EXPIRED" ||
               user->status == "RECOVERY" || user->status == "LOCKED_OUT")) {
    SendResetPasswordEmail(ctx, *user, NewResetPasswordLink(ctx, *user));
  }
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("status", "RECOVERY_CHALLENGE", a);
  doc.AddMember("factorResult", "WAITING", a);
  doc.AddMember("factorType", "EMAIL", a);
  doc.AddMember("recoveryType", "PASSWORD", a);
  SendJson(res, 200, doc);
}

}  // namespace

void RegisterAuthnRoutes(httplib::Server& server, Context& ctx) {
  server.Post("/api/v1/authn/recovery/password",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandleRecoverPassword(req, res, ctx);
              });
  server.Post("/api/v1/authn", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleAuthn(req, res, ctx);
  });
}

}  // namespace userdesk::mini_okta
