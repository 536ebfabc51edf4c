// mini-okta's OpenID Connect server: discovery, authorize (sign-in form), token, keys, userinfo,
// logout and revoke, for the org server (/oauth2/v1/...) and the custom "default" server
// (/oauth2/default/v1/...).
#pragma once

namespace httplib {
class Server;
}

namespace userdesk::mini_okta {

struct Context;

// Registers every OIDC route. When ctx.keys is null, generates the signing keys and points
// ctx.keys at them (so the admin endpoint can rotate them); they, and the routes' memory of
// sessions, codes and revocations, live as long as the server's handlers.
void RegisterOidcRoutes(httplib::Server& server, Context& ctx);

}  // namespace userdesk::mini_okta
