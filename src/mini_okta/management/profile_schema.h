// The default user profile schema: Okta's fixed base attributes plus the org's custom ones,
// rendered as Okta's JSON-schema (draft-04 style) document, changed by partial POSTs, and used
// to validate every profile write. Pure functions: the Store keeps the custom attributes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {

// One validation failure, worded as an Okta errorCause. field is the profile property it is
// about; the error's summary ("Api validation failed: <object>") names the first one.
struct FieldProblem {
  std::string field;
  std::string message;  // the full errorSummary of the cause, e.g. "email: Does not match ..."
};

// GET /api/v1/meta/schemas/user/default. base_permissions: name -> permissions array set on base
// attributes (the others keep Okta's defaults: login READ_ONLY, the rest READ_WRITE).
json::Value SchemaDocument(const SchemaMeta& meta, const json::Value& custom_properties,
                           const json::Value& base_permissions, const std::string& base_url,
                           json::Allocator& a);

// The SELF action of an attribute as SchemaDocument renders it: "READ_WRITE", "READ_ONLY" or
// "HIDE" (READ_ONLY when it names none, Okta's default for a new custom attribute).
std::string SelfPermission(const json::Value& attribute);

// Checks profile (a JSON object) against the base attributes and custom_properties: unknown
// attributes, types, lengths, formats, enums and required attributes. Empty when valid.
std::vector<FieldProblem> ValidateProfile(const json::Value& profile,
                                          const json::Value& custom_properties);

// Applies a schema POST body's definitions.custom.properties to custom_properties: an object
// adds or replaces an attribute, null removes it. Of definitions.base.properties only
// permissions are taken (into base_permissions); other base attribute changes are ignored.
// Returns the problems (name collides with a base attribute, missing title, bad type, an unknown
// base attribute, permissions that are not [{"principal":"SELF","action":...}]).
std::vector<FieldProblem> ApplySchemaChange(const json::Value& body,
                                            json::Document& custom_properties,
                                            json::Document& base_permissions);

}  // namespace userdesk::mini_okta
