#include "mini_okta/management/user_emails.h"

#include "json/json.h"

namespace userdesk::mini_okta {
namespace {

std::string ProfileField(const UserRecord& user, std::string_view key) {
  auto profile = json::ParseObject(user.profile_json);
  return profile ? json::GetString(*profile, key).value_or("") : "";
}

void Send(Context& ctx, const UserRecord& user, std::string subject, std::string body,
          const ActionLink& link) {
  OutboxEmail email;
  email.to = ProfileField(user, "email");
  email.subject = std::move(subject);
  email.body = "Hi " + ProfileField(user, "firstName") + ",\n\n" + body + "\n\n" + link.url + "\n";
  email.link = link.url;
  ctx.store->outbox().Send(std::move(email));
}

}  // namespace

ActionLink NewActivationLink(Context& ctx, const UserRecord& user) {
  std::string token =
      ctx.store->links().IssueUserToken(user.id, UserTokenKind::kActivation, kActivationTtlSeconds);
  return {token, ctx.options.base_url + "/welcome/" + token};
}

ActionLink NewResetPasswordLink(Context& ctx, const UserRecord& user) {
  std::string token =
      ctx.store->links().IssueUserToken(user.id, UserTokenKind::kResetPassword, kResetPasswordTtlSeconds);
  return {token, ctx.options.base_url + "/reset_password/" + token};
}

void SendActivationEmail(Context& ctx, const UserRecord& user, const ActionLink& link) {
  Send(ctx, user, "Welcome! Activate your account",
       "An account was created for you. Open this link to choose a password and activate it "
       "(valid for 7 days):",
       link);
}

void SendResetPasswordEmail(Context& ctx, const UserRecord& user, const ActionLink& link) {
  Send(ctx, user, "Reset your password",
       "A password reset was requested for your account. Open this link to choose a new "
       "password (valid for 1 hour):",
       link);
}

}  // namespace userdesk::mini_okta
