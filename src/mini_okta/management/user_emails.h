// The emails mini-okta "sends" (into the outbox, GET /dev/outbox) and the one-time links in
// them: account activation (/welcome/<token>) and password reset (/reset_password/<token>),
// the paths Okta uses.
#pragma once

#include <string>

#include "mini_okta/server/context.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {

// Okta's defaults: an activation link lasts 7 days, a reset link 1 hour.
inline constexpr int64_t kActivationTtlSeconds = 7 * 24 * 3600;
inline constexpr int64_t kResetPasswordTtlSeconds = 3600;

struct ActionLink {
  std::string token;
  std::string url;
};

ActionLink NewActivationLink(Context& ctx, const UserRecord& user);
ActionLink NewResetPasswordLink(Context& ctx, const UserRecord& user);

void SendActivationEmail(Context& ctx, const UserRecord& user, const ActionLink& link);
void SendResetPasswordEmail(Context& ctx, const UserRecord& user, const ActionLink& link);

}  // namespace userdesk::mini_okta
