// Okta's Schemas API for the default user type (/api/v1/meta/schemas/user/default): read the
// user profile schema, and add, change or remove custom attributes with Okta's partial update.
// It sits on okta::Send (okta/api_call.h) like the users client: the SSWS token chosen per call,
// Okta's error objects parsed, a 429 waited out for reads only. What the answers look like:
// docs/okta-api.md §5.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"
#include "okta/api_call.h"

namespace userdesk::okta {

// The default user schema as Okta sent it, with the two property tables found.
struct UserSchema {
  json::Document document;  // the whole schema object
  // definitions.base.properties and definitions.custom.properties: objects of attribute name ->
  // definition, pointing into document (they stay valid when the schema is moved). base is never
  // nullptr in a parsed schema; custom is nullptr when Okta sent no custom attributes at all.
  const json::Value* base = nullptr;
  const json::Value* custom = nullptr;

  // The definition of a base or custom attribute, nullptr when the schema has no such name.
  const json::Value* Attribute(std::string_view name) const;
};

class SchemaClient {
 public:
  explicit SchemaClient(ClientOptions options);

  // GET /api/v1/meta/schemas/user/default. Retried after a 429. An answer without
  // definitions.base.properties is kUpstreamUnavailable.
  OktaResult<UserSchema> GetUserSchema(std::string_view api_token) const;

  // POST /api/v1/meta/schemas/user/default with {"definitions": {"custom": {"id": "#custom",
  // "type": "object", "properties": properties}}}: each named attribute is added or replaced by
  // its definition, a null removes it (and Okta deletes its values from every user); attributes
  // not named stay as they are. Never retried. Returns the whole schema as it is now. A
  // definition Okta refuses is kUnprocessable with its causes ("<name>: ...").
  OktaResult<UserSchema> UpdateCustomProperties(std::string_view api_token,
                                                const json::Value& properties) const;

 private:
  ClientOptions options_;
};

// Parsing, public for tests. kUpstreamUnavailable when text is not a user schema.
Result<UserSchema> ParseUserSchema(std::string_view text);

}  // namespace userdesk::okta
