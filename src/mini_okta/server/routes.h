// The route modules of mini-okta's management side. Each registers its handlers on the server;
// MiniOktaServer calls them all (plus RegisterOidcRoutes from oidc/oidc.h). SSWS authentication,
// rate limits, faults and request logging are applied once for all of them by the request pipeline.
#pragma once

namespace httplib {
class Server;
}

namespace userdesk::mini_okta {

struct Context;

// Cross-cutting behaviour: request ids, the request guard (Host, Origin, admin), fault injection,
// rate limits, SSWS check, access log. ctx.options must be resolved (port, base URL).
void InstallRequestPipeline(httplib::Server& server, Context& ctx);

void RegisterAuthnRoutes(httplib::Server& server, Context& ctx);       // /api/v1/authn
void RegisterUserRoutes(httplib::Server& server, Context& ctx);        // /api/v1/users...
void RegisterLifecycleRoutes(httplib::Server& server, Context& ctx);   // .../lifecycle/*, DELETE
void RegisterCredentialRoutes(httplib::Server& server, Context& ctx);  // .../credentials/*
void RegisterSchemaRoutes(httplib::Server& server, Context& ctx);      // /api/v1/meta/schemas/...
void RegisterOutboxRoutes(httplib::Server& server, Context& ctx);      // /dev/outbox, reset pages
void RegisterAdminRoutes(httplib::Server& server, Context& ctx);       // /admin/* (guarded)

}  // namespace userdesk::mini_okta
