// The OIDC route files' registration functions, called by RegisterOidcRoutes (oidc/oidc.cc) once
// per authorization server. Handlers share the OidcState through the shared_ptr they capture, so it
// lives exactly as long as the httplib::Server that holds them.
#pragma once

#include <memory>

#include "mini_okta/oidc/state.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta::oidc {

using StatePtr = std::shared_ptr<OidcState>;

void RegisterDiscoveryRoutes(httplib::Server& server, const StatePtr& state, AuthServer as);
void RegisterAuthorizeRoutes(httplib::Server& server, const StatePtr& state, AuthServer as);
void RegisterTokenRoutes(httplib::Server& server, const StatePtr& state, AuthServer as);
void RegisterUserinfoRoutes(httplib::Server& server, const StatePtr& state, AuthServer as);
void RegisterLogoutRoutes(httplib::Server& server, const StatePtr& state, AuthServer as);
// The sign-in form's POST target, shared by both servers.
void RegisterSignInRoutes(httplib::Server& server, const StatePtr& state);
// POST /admin/backchannel-logout, mini-okta's extension that sends a logout token to a client
// (oidc/backchannel_logout.cc); an /admin/ path, guarded like the others by request_guard.
void RegisterBackChannelLogoutRoutes(httplib::Server& server, const StatePtr& state);

// Ends the sign-in session behind the request's cookie and clears the cookie (oidc/authorize.cc,
// which owns the cookie).
void EndSignInSession(OidcState& state, const httplib::Request& req, httplib::Response& res);

}  // namespace userdesk::mini_okta::oidc
