// The auth responder: OpenID Connect sign-in (authorization-code flow with PKCE, state and
// nonce) and sign-out, at the tutorial's paths:
//   GET  /login?returnTo=/path          -> the provider's authorize endpoint
//   GET  /authorization-code/callback   -> code exchange, ID-token checks, the session cookie
//   GET  /logout                        -> a small confirmation form
//   POST /logout                        -> clears the session, then the provider's sign-out
//   POST /backchannel-logout            -> the provider's logout token (OpenID Connect
//                                          Back-Channel Logout 1.0) ends the sessions it names
#pragma once

#include <memory>

#include "app/app.h"
#include "oidc/provider.h"

namespace userdesk::responders::auth {

// provider: app::MakeProvider's (nothing is fetched until a request needs it), or a test's.
fcgi::Handler MakeHandler(const app::App& app, std::shared_ptr<oidc::Provider> provider);
fcgi::Handler MakeHandler(const app::App& app);

}  // namespace userdesk::responders::auth
