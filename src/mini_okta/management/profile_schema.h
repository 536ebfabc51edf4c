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

// GET /api/v1/meta/schemas/user/default.
json::Value SchemaDocument(const SchemaMeta& meta, const json::Value& custom_properties,
                           const std::string& base_url, json::Allocator& a);

// Checks profile (a JSON object) against the base attributes and custom_properties: unknown
// attributes, types, lengths, formats, enums and required attributes. Empty when valid.
std::vector<FieldProblem> ValidateProfile(const json::Value& profile,
                                          const json::Value& custom_properties);

// Applies a schema POST body's definitions.custom.properties to custom_properties: an object
// adds or replaces an attribute, null removes it. Base attribute changes are ignored.
// Returns the problems (name collides with a base attribute, missing title, bad type).
std::vector<FieldProblem> ApplySchemaChange(const json::Value& body,
                                            json::Document& custom_properties);

}  // namespace userdesk::mini_okta
