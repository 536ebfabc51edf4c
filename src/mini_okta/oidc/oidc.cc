#include "mini_okta/oidc/oidc.h"

#include <httplib.h>

#include <memory>

#include "mini_okta/dev/faults.h"
#include "mini_okta/myaccount/routes.h"
#include "mini_okta/oidc/refresh_tokens.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta {
namespace oidc {

namespace {

// Keys persist next to the data file, so tokens survive a restart like the data does.
std::string KeyFileFor(const Options& options) {
  return options.data_file.empty() ? "" : options.data_file + ".keys";
}

// The "idp" claim names the org; derived from the base URL so it is stable across restarts.
std::string OrgIdFor(const Options& options) {
  std::string hex = Sha256Hex("mini-okta org " + options.base_url);
  std::string id = "00o";
  for (size_t i = 0; id.size() < 20; i += 2) id += hex[i];
  return id;
}

}  // namespace

OidcState::OidcState(Context& context)
    : ctx(context),
      org_id(OrgIdFor(context.options)),
      refresh_tokens(std::make_shared<RefreshTokens>()) {
  if (ctx.keys == nullptr) {
    owned_keys = std::make_unique<SigningKeys>(KeyFileFor(ctx.options));
    ctx.keys = owned_keys.get();
  }
  keys = ctx.keys;
}

int64_t OidcState::NowSeconds() const {
  int64_t offset = ctx.faults != nullptr ? ctx.faults->ClockOffsetSeconds() : 0;
  return SystemNowMillis() / 1000 + offset;
}

int64_t OidcState::AccessTokenLifetime() const {
  return ctx.faults != nullptr ? ctx.faults->Get().access_token_lifetime_seconds
                               : kDefaultAccessTokenLifetime;
}

void OidcState::RevokeAccessTokens(const std::vector<std::string>& jtis) {
  // the knob may have been longer when they were issued; Okta's ceiling covers every one
  for (const std::string& jti : jtis) revoked_jtis.Put(jti, true, kMaxAccessTokenLifetime);
}

}  // namespace oidc

void RegisterOidcRoutes(httplib::Server& server, Context& ctx) {
  auto state = std::make_shared<oidc::OidcState>(ctx);
  ctx.end_sign_in_sessions = [state](const std::string& user_id) {
    return state->sessions.EraseIf(
        [&](const oidc::SignInSession& s) { return s.user_id == user_id; });
  };
  ctx.end_sign_in_session = [state](const std::string& session_id) {
    return state->sessions.EraseIf(
               [&](const oidc::SignInSession& s) { return s.sid == session_id; }) > 0;
  };
  for (bool org : {true, false}) {
    oidc::AuthServer as{org};
    oidc::RegisterDiscoveryRoutes(server, state, as);
    oidc::RegisterAuthorizeRoutes(server, state, as);
    oidc::RegisterTokenRoutes(server, state, as);
    oidc::RegisterUserinfoRoutes(server, state, as);
    oidc::RegisterLogoutRoutes(server, state, as);
  }
  oidc::RegisterSignInRoutes(server, state);
  myaccount::RegisterProfileRoutes(server, state);
  oidc::RegisterBackChannelLogoutRoutes(server, state);
}

}  // namespace userdesk::mini_okta
