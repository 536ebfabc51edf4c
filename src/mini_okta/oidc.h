// mini-okta's OpenID Connect server: discovery, authorize (sign-in form), token, keys, userinfo,
// logout and revoke, for the org server (/oauth2/v1/...) and the custom "default" server
// (/oauth2/default/v1/...).
#pragma once

namespace httplib {
class Server;
}

namespace userdesk::mini_okta {

struct Context;

void RegisterOidcRoutes(httplib::Server& server, Context& ctx);

}  // namespace userdesk::mini_okta
