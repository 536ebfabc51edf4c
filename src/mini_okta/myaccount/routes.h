// The MyAccount API's routes (Okta's /idp/myaccount, profile part only), registered beside the
// OIDC routes because they check access tokens against the same OidcState (keys, revocations).
#pragma once

#include <memory>

#include "mini_okta/oidc/state.h"

namespace httplib {
class Server;
}

namespace userdesk::mini_okta::myaccount {

// GET/PUT /idp/myaccount/profile and GET /idp/myaccount/profile/schema (myaccount/profile.cc).
void RegisterProfileRoutes(httplib::Server& server, const std::shared_ptr<oidc::OidcState>& state);

}  // namespace userdesk::mini_okta::myaccount
