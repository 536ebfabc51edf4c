// User lifecycle operations, POST /api/v1/users/{id}/lifecycle/{operation}, and DELETE
// /api/v1/users/{id}, with Okta's allowed status transitions and refusals:
//   activate      STAGED, DEPROVISIONED -> ACTIVE (has a password) or PROVISIONED; else 403
//   E0000016 reactivate    PROVISIONED, RECOVERY -> PROVISIONED (new activation link);    else 403
//   E0000038 deactivate    any but DEPROVISIONED -> DEPROVISIONED;                         else 403
//   E0000038 suspend       ACTIVE -> SUSPENDED;                                            else 400
//   E0000001 unsuspend     SUSPENDED -> ACTIVE;                                            else 400
//   E0000001 reset_password  not STAGED/DEPROVISIONED -> RECOVERY (reset link);            else 403
//   E0000038 expire_password  users with a password -> PASSWORD_EXPIRED (answers the user); else
//   403 E0000038 unlock        mini-okta never locks users out, so always 403 E0000032 DELETE
//   deactivates first (204); deletes a DEPROVISIONED user (204)
#include <httplib.h>

#include <functional>
#include <initializer_list>

#include "mini_okta/management/common.h"
#include "mini_okta/management/user_emails.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

bool OneOf(const std::string& status, std::initializer_list<const char*> allowed) {
  for (const char* s : allowed) {
    if (status == s) return true;
  }
  return false;
}

OktaError WrongStatus() {
  return {403, "E0000038", "This operation is not allowed in the user's current status.", {}};
}

// One transition: refuse (the error to answer) or change the user in place.
struct Transition {
  std::function<std::optional<OktaError>(const UserRecord&)> refuse;
  std::function<void(UserRecord&, const std::string& now)> apply;
};

void SetStatus(UserRecord& user, const std::string& status, const std::string& now) {
  user.status = status;
  user.status_changed = user.last_updated = now;
}

// Runs t on user id atomically. Returns the changed user, or nullopt after answering an error.
std::optional<UserRecord> RunTransition(const std::string& id, const Transition& t,
                                        httplib::Response& res, Context& ctx) {
  std::string now = NowTimestamp(ctx);
  std::optional<OktaError> refusal;
  Result<UserRecord> updated = ctx.store->users().Update(id, [&](UserRecord& user) -> Status {
    refusal = t.refuse(user);
    if (refusal) return MakeError(ErrorCode::kPermissionDenied, "transition refused");
    t.apply(user, now);
    return OkStatus();
  });
  if (refusal) {
    SendOktaError(res, *refusal);
    return std::nullopt;
  }
  if (!updated) {
    SendOktaError(res, FromStoreError(updated.error(), id));
    return std::nullopt;
  }
  return *updated;
}

void SendEmptyObject(httplib::Response& res) {
  res.status = 200;
  res.set_content("{}", "application/json");
}

void SendActivationResult(const httplib::Request& req, httplib::Response& res, Context& ctx,
                          const UserRecord& user, bool send_email_default) {
  ActionLink link = NewActivationLink(ctx, user);
  if (QueryFlag(req, "sendEmail", send_email_default)) {
    SendActivationEmail(ctx, user, link);
    return SendEmptyObject(res);
  }
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("activationUrl", json::Str(link.url, doc.GetAllocator()), doc.GetAllocator());
  doc.AddMember("activationToken", json::Str(link.token, doc.GetAllocator()), doc.GetAllocator());
  SendJson(res, 200, doc);
}

void Activate(const httplib::Request& req, httplib::Response& res, Context& ctx,
              const std::string& id) {
  Transition t{[](const UserRecord& u) -> std::optional<OktaError> {
                 if (OneOf(u.status, {"STAGED", "DEPROVISIONED"})) return std::nullopt;
                 return OktaError{
                     403, "E0000016", "Activation failed because the user is already active", {}};
               },
               [](UserRecord& u, const std::string& now) {
                 SetStatus(u, u.password_hash.empty() ? "PROVISIONED" : "ACTIVE", now);
                 u.activated = now;
               }};
  if (auto user = RunTransition(id, t, res, ctx)) SendActivationResult(req, res, ctx, *user, true);
}

void Reactivate(const httplib::Request& req, httplib::Response& res, Context& ctx,
                const std::string& id) {
  Transition t{[](const UserRecord& u) -> std::optional<OktaError> {
                 if (OneOf(u.status, {"PROVISIONED", "RECOVERY"})) return std::nullopt;
                 return WrongStatus();
               },
               [](UserRecord& u, const std::string& now) { SetStatus(u, "PROVISIONED", now); }};
  if (auto user = RunTransition(id, t, res, ctx)) SendActivationResult(req, res, ctx, *user, false);
}

Transition Deactivation() {
  return {[](const UserRecord& u) -> std::optional<OktaError> {
            if (u.status == "DEPROVISIONED") return WrongStatus();
            return std::nullopt;
          },
          [](UserRecord& u, const std::string& now) {
            SetStatus(u, "DEPROVISIONED", now);
            u.activated.clear();
          }};
}

void Deactivate(const httplib::Request&, httplib::Response& res, Context& ctx,
                const std::string& id) {
  if (RunTransition(id, Deactivation(), res, ctx)) SendEmptyObject(res);
}

void Suspend(const httplib::Request&, httplib::Response& res, Context& ctx, const std::string& id) {
  Transition t{[](const UserRecord& u) -> std::optional<OktaError> {
                 if (u.status == "ACTIVE") return std::nullopt;
                 return ValidationFailed("suspendUser",
                                         {"Cannot suspend a user that is not active"});
               },
               [](UserRecord& u, const std::string& now) { SetStatus(u, "SUSPENDED", now); }};
  if (RunTransition(id, t, res, ctx)) SendEmptyObject(res);
}

void Unsuspend(const httplib::Request&, httplib::Response& res, Context& ctx,
               const std::string& id) {
  Transition t{[](const UserRecord& u) -> std::optional<OktaError> {
                 if (u.status == "SUSPENDED") return std::nullopt;
                 return ValidationFailed("unsuspendUser",
                                         {"Cannot unsuspend a user that is not suspended"});
               },
               [](UserRecord& u, const std::string& now) { SetStatus(u, "ACTIVE", now); }};
  if (RunTransition(id, t, res, ctx)) SendEmptyObject(res);
}

void ResetPassword(const httplib::Request& req, httplib::Response& res, Context& ctx,
                   const std::string& id) {
  Transition t{[](const UserRecord& u) -> std::optional<OktaError> {
                 if (OneOf(u.status, {"STAGED", "DEPROVISIONED"})) return WrongStatus();
                 return std::nullopt;
               },
               [](UserRecord& u, const std::string& now) { SetStatus(u, "RECOVERY", now); }};
  std::optional<UserRecord> user = RunTransition(id, t, res, ctx);
  if (!user) return;
  ActionLink link = NewResetPasswordLink(ctx, *user);
  if (QueryFlag(req, "sendEmail", true)) {
    SendResetPasswordEmail(ctx, *user, link);
    return SendEmptyObject(res);
  }
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("resetPasswordUrl", json::Str(link.url, doc.GetAllocator()), doc.GetAllocator());
  SendJson(res, 200, doc);
}

void ExpirePassword(const httplib::Request&, httplib::Response& res, Context& ctx,
                    const std::string& id) {
  Transition t{
      [](const UserRecord& u) -> std::optional<OktaError> {
        if (u.password_hash.empty() || OneOf(u.status, {"STAGED", "DEPROVISIONED"}))
          return WrongStatus();
        return std::nullopt;
      },
      [](UserRecord& u, const std::string& now) { SetStatus(u, "PASSWORD_EXPIRED", now); }};
  if (auto user = RunTransition(id, t, res, ctx)) SendUser(res, *user, ctx);
}

void Unlock(const httplib::Request&, httplib::Response& res, Context& ctx, const std::string& id) {
  if (!ctx.store->users().Find(id)) return SendOktaError(res, UserNotFound(id));
  SendOktaError(res, {403, "E0000032", "Unlock is not allowed for this user.", {}});
}

void HandleLifecycle(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  using Operation =
      void (*)(const httplib::Request&, httplib::Response&, Context&, const std::string&);
  static const std::pair<const char*, Operation> kOperations[] = {
      {"activate", Activate},
      {"reactivate", Reactivate},
      {"deactivate", Deactivate},
      {"suspend", Suspend},
      {"unsuspend", Unsuspend},
      {"reset_password", ResetPassword},
      {"expire_password", ExpirePassword},
      {"unlock", Unlock},
  };
  std::string id = req.matches[1];
  std::string operation = req.matches[2];
  for (const auto& [name, run] : kOperations) {
    if (operation == name) return run(req, res, ctx, id);
  }
  SendOktaError(res, PathNotFound());
}

void HandleDelete(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  std::optional<UserRecord> user = ctx.store->users().Find(id);
  if (!user) return SendOktaError(res, UserNotFound(id));
  if (user->status != "DEPROVISIONED") {
    if (!RunTransition(user->id, Deactivation(), res, ctx)) return;
  } else if (Status deleted = ctx.store->users().Delete(user->id); !deleted) {
    return SendOktaError(res, FromStoreError(deleted.error(), id));
  }
  res.status = 204;
  res.body.clear();
}

// DELETE /api/v1/users/{id}/sessions (Okta's "Revoke all user sessions"): the user's sign-in
// sessions end, so the next /authorize asks for the password again; 204. Okta's oauthTokens=true
// (revoke the tokens issued to the user as well) is not implemented: tokens run to expiry.
void HandleClearSessions(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  std::optional<UserRecord> user = ctx.store->users().Find(id);
  if (!user) return SendOktaError(res, UserNotFound(id));
  if (ctx.end_sign_in_sessions) (void)ctx.end_sign_in_sessions(user->id);
  res.status = 204;
  res.body.clear();
}

// DELETE /api/v1/sessions/{sessionId} (Okta's Sessions API, "Revoke a session"): that one sign-in
// session ends (the browser holding it is asked for the password at its next /authorize); 204,
// or 404 E0000007 when there is no such session.
void HandleEndSession(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  if (!ctx.end_sign_in_session || !ctx.end_sign_in_session(id)) {
    return SendOktaError(res, ResourceNotFound(id + " (Session)"));
  }
  res.status = 204;
  res.body.clear();
}

}  // namespace

void RegisterLifecycleRoutes(httplib::Server& server, Context& ctx) {
  server.Delete("/api/v1/sessions/([^/]+)",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                  HandleEndSession(req, res, ctx);
                });
  server.Delete("/api/v1/users/([^/]+)/sessions",
                [&ctx](const httplib::Request& req, httplib::Response& res) {
                  HandleClearSessions(req, res, ctx);
                });
  server.Post("/api/v1/users/([^/]+)/lifecycle/([^/]+)",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandleLifecycle(req, res, ctx);
              });
  server.Delete(
      "/api/v1/users/([^/]+)",
      [&ctx](const httplib::Request& req, httplib::Response& res) { HandleDelete(req, res, ctx); });
}

}  // namespace userdesk::mini_okta
