// Helpers shared by the management API's route modules: reading request bodies and flags,
// answering with a user, and turning Store errors and validation problems into Okta errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"
#include "mini_okta/management/okta_error.h"
#include "mini_okta/management/profile_schema.h"
#include "mini_okta/server/context.h"
#include "mini_okta/store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta {

// The JSON object body, or nullopt after answering 400 E0000003.
std::optional<json::Document> ReadJsonBody(const httplib::Request& req, httplib::Response& res);

// A boolean query parameter ("true"/"false"); fallback when absent or anything else.
bool QueryFlag(const httplib::Request& req, const std::string& name, bool fallback);

void SendUser(httplib::Response& res, const UserRecord& user, Context& ctx);

// 400 E0000001 for profile problems. The summary names the first problem's field, or object
// when the first problem is an attribute missing from the schema (Okta says "newUser" there).
OktaError ProfileInvalid(const std::vector<FieldProblem>& problems, std::string_view object);
OktaError DuplicateLogin();

// What a Store error means for user id_or_login: 404 E0000007, duplicate login, or 500.
OktaError FromStoreError(const Error& error, std::string_view id_or_login);

// The user schema as GET /api/v1/meta/schemas/user/default shows it now (also what the
// MyAccount API derives its view from).
json::Value CurrentSchemaDocument(const Context& ctx, json::Allocator& a);

// Now, in the store's (possibly shifted) clock, as an Okta timestamp.
std::string NowTimestamp(const Context& ctx);

}  // namespace userdesk::mini_okta
