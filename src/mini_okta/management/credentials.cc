// POST /api/v1/users/{id}/credentials/change_password {oldPassword:{value}, newPassword:{value}}:
// the user-driven password change. A wrong old password is 403 E0000014; a new password that
// breaks the default policy is 403 E0000080 (Okta's codes for the credentials endpoints). Answers
// the user's credentials object, as Okta does.
#include <httplib.h>

#include "crypto/password_hash.h"
#include "mini_okta/management/common.h"
#include "mini_okta/management/password_policy.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

std::optional<std::string> NestedValue(const json::Value& body, std::string_view key) {
  const json::Value* obj = json::GetObject(body, key);
  return obj ? json::GetString(*obj, "value") : std::nullopt;
}

OktaError WrongOldPassword() {
  return {403,
          "E0000014",
          "Update of credentials failed",
          {"oldPassword: The credentials provided were incorrect."}};
}

OktaError WeakNewPassword(const std::string& cause) {
  return {403,
          "E0000080",
          "The password does not meet the complexity requirements of the current password policy.",
          {cause}};
}

std::string ProfileLogin(const UserRecord& user) {
  auto profile = json::ParseObject(user.profile_json);
  return profile ? json::GetString(*profile, "login").value_or("") : "";
}

void SendCredentials(httplib::Response& res) {
  res.status = 200;
  res.set_content(R"({"password":{},"provider":{"type":"OKTA","name":"OKTA"}})",
                  "application/json");
}

void HandleChangePassword(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  std::optional<std::string> old_password = NestedValue(*body, "oldPassword");
  std::optional<std::string> new_password = NestedValue(*body, "newPassword");
  if (!old_password || !new_password) {
    return SendOktaError(
        res, ValidationFailed("password", {"password: The field cannot be left blank"}));
  }
  std::optional<UserRecord> user = ctx.store->users().Find(id);
  if (!user) return SendOktaError(res, UserNotFound(id));
  if (user->status != "ACTIVE" && user->status != "PASSWORD_EXPIRED") {
    return SendOktaError(res,
                         {403, "E0000035", "Change password not allowed on specified user.", {}});
  }
  if (!ctx.store->users().CheckPassword(*user, *old_password))
    return SendOktaError(res, WrongOldPassword());
  if (auto cause = CheckPasswordPolicy(*new_password, ProfileLogin(*user))) {
    return SendOktaError(res, WeakNewPassword(*cause));
  }
  std::string hash = crypto::HashPassword(*new_password);
  std::string now = NowTimestamp(ctx);
  Result<UserRecord> updated = ctx.store->users().Update(user->id, [&](UserRecord& u) {
    u.password_hash = hash;
    u.password_changed = u.last_updated = now;
    if (u.status == "PASSWORD_EXPIRED") {
      u.status = "ACTIVE";
      u.status_changed = now;
    }
    return OkStatus();
  });
  if (!updated) return SendOktaError(res, FromStoreError(updated.error(), id));
  SendCredentials(res);
}

}  // namespace

void RegisterCredentialRoutes(httplib::Server& server, Context& ctx) {
  server.Post("/api/v1/users/([^/]+)/credentials/change_password",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandleChangePassword(req, res, ctx);
              });
}

}  // namespace userdesk::mini_okta
