// The user schema as code: the custom attributes of Okta's default user schema as a stable,
// reviewable JSON file (attributes and their fields sorted by name, one attribute per block),
// what applying such a file would change, and the partial update that does it. Pure functions:
// no I/O, so the schema commands and their tests share them.
//
// The file is a JSON object of attribute name -> Okta's attribute definition (docs/okta-api.md
// §5.3), exactly what `schema export` prints, and it is the truth: a field left out of an
// attribute (or null) is removed from it, except the fields Okta fills in itself when a
// definition leaves them out (kOktaDefaultedFields), which then keep Okta's value. An attribute
// left out of the file is removed from Okta, with its values in every user's profile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "json/json.h"

namespace userdesk::admin {

// The fields of a custom attribute that Okta sets itself when a definition leaves them out
// (docs/okta-api.md §5.2): a hand-written file may leave them out without changing anything.
inline constexpr std::string_view kOktaDefaultedFields[] = {"master", "mutability", "permissions",
                                                            "scope"};

// The file's text for these custom properties (an object of name -> definition): keys sorted at
// every level, two-space indentation, arrays of plain values on one line, a blank line between
// attributes, a final newline. The same properties always give the same text.
std::string FormatSchemaFile(const json::Value& custom_properties);

// Reads a schema file. kInvalidArgument, every problem on its own line, when it is not a JSON
// object of name -> object, when an attribute is null (leave it out to remove it), or when a name
// is one of base_names (ignoring case, Okta's rule: base attributes are not custom).
Result<json::Document> ReadSchemaFile(std::string_view text,
                                      const std::vector<std::string>& base_names);

struct FieldChange {
  std::string field;
  std::string before;  // compact JSON, "" when the field is absent
  std::string after;   // compact JSON, "" when the file removes the field
};

struct AttributeChange {
  enum class Kind { kAdd, kChange, kRemove };
  Kind kind;
  std::string name;
  // kAdd: every field; kChange: the differing ones, in name order; kRemove: none
  std::vector<FieldChange> fields;
};

// What applying wanted (a file read by ReadSchemaFile) to current (Okta's custom properties)
// would change, attributes in name order.
std::vector<AttributeChange> DiffSchema(const json::Value& current, const json::Value& wanted);

// The properties object for okta::SchemaClient::UpdateCustomProperties that makes the changes:
// an added or changed attribute as the file has it (null fields dropped), a changed one keeping
// Okta's value of each kOktaDefaultedFields field the file leaves out; a removed one as null.
json::Document UpdateFor(const json::Value& current, const json::Value& wanted,
                         const std::vector<AttributeChange>& changes);

}  // namespace userdesk::admin
