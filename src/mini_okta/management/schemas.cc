// The user schema API: GET and POST /api/v1/meta/schemas/user/default (also by the schema's
// own id, the href in every user's _links.schema). POST merges custom attributes: an object adds
// or replaces one, null removes it; the answer is the whole schema.
#include <httplib.h>

#include "mini_okta/management/common.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

bool KnownSchema(const std::string& id, const Context& ctx) {
  return id == "default" || id == ctx.store->schema().Meta().schema_id;
}

void SendSchema(httplib::Response& res, Context& ctx) {
  json::Document out;
  SendJson(res, 200, CurrentSchemaDocument(ctx, out.GetAllocator()));
}

void HandleGetSchema(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  if (!KnownSchema(id, ctx)) return SendOktaError(res, ResourceNotFound(id + " (UserSchema)"));
  SendSchema(res, ctx);
}

void HandlePostSchema(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::string id = req.matches[1];
  if (!KnownSchema(id, ctx)) return SendOktaError(res, ResourceNotFound(id + " (UserSchema)"));
  auto body = ReadJsonBody(req, res);
  if (!body) return;
  std::vector<FieldProblem> problems;
  Status saved = ctx.store->schema().Update(
      [&](json::Document& custom, json::Document& base_permissions) -> Status {
        problems = ApplySchemaChange(*body, custom, base_permissions);
        if (!problems.empty()) {
          return MakeError(ErrorCode::kInvalidArgument, "invalid schema change");
        }
        return OkStatus();
      });
  if (!problems.empty()) return SendOktaError(res, ProfileInvalid(problems, "UserSchema"));
  if (!saved) return SendOktaError(res, ServerError(500));
  SendSchema(res, ctx);
}

}  // namespace

void RegisterSchemaRoutes(httplib::Server& server, Context& ctx) {
  server.Get("/api/v1/meta/schemas/user/([^/]+)",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               HandleGetSchema(req, res, ctx);
             });
  server.Post("/api/v1/meta/schemas/user/([^/]+)",
              [&ctx](const httplib::Request& req, httplib::Response& res) {
                HandlePostSchema(req, res, ctx);
              });
}

}  // namespace userdesk::mini_okta
