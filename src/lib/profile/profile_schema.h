// What of a user's profile the user may see and change, drawn from Okta's user schema: each
// attribute's type, title, constraints and SELF permission. The profile form and the dashboard
// are built from it, so an attribute added in Okta shows up with no code change, an attribute
// the administrator hid (HIDE) is never shown, and one they made READ_ONLY is shown but never
// written. Two sources, one result: the Schemas API's document (users-API mode) and MyAccount's
// profile schema (its "properties", with "permissions": {"SELF": action}).
//
// The schema is the allow-list: an attribute not in it (or hidden, or sensitive) is neither
// shown nor written, whatever a profile or a posted form holds (OWASP ASVS 5.1.2).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "form/fields.h"
#include "json/json.h"
#include "okta/users_client.h"

namespace userdesk::profile {

// How an attribute's value is typed in Okta, and so in the JSON a save sends.
enum class ValueType { kString, kInteger, kNumber, kBoolean, kStringList };

struct Attribute {
  std::string name;
  std::string label;  // the schema's title, or the name in Start Case
  ValueType type = ValueType::kString;
  form::InputType input = form::InputType::kText;
  std::vector<std::string> option_values, option_labels;  // enum, with oneOf's titles
  size_t min_length = 0, max_length = 0;                  // characters; 0: no limit
  bool required = false;
  bool read_only = false;  // SELF READ_ONLY, an identity attribute, or a type not editable here
  bool self_writable =
      false;  // the schema's SELF permission is READ_WRITE (what a full replace keeps)
  std::string autocomplete;  // the HTML token, for the tutorial's fields
};

// The attributes a user may see, in form order, and the form's fields. Built once per schema
// read and shared (std::shared_ptr<const ProfileSchema>); never copied, since the fields' views
// point into its own attributes.
class ProfileSchema {
 public:
  // attributes in form order; chosen: PROFILE_FIELDS (empty: every attribute); version: a
  // number of this process's that no other schema it builds has (a render cache's key).
  static std::shared_ptr<const ProfileSchema> Make(std::vector<Attribute> attributes,
                                                   const std::vector<std::string>& chosen,
                                                   uint64_t version);
  ProfileSchema(const ProfileSchema&) = delete;
  ProfileSchema& operator=(const ProfileSchema&) = delete;

  // Every attribute the user may see (the dashboard's), in form order.
  const std::vector<Attribute>& attributes() const { return attributes_; }
  // nullptr when the user may not see name.
  const Attribute* Find(std::string_view name) const;
  // The form's fields, in order (PROFILE_FIELDS, or all of them), as form/ checks and draws
  // them; each views the attribute of the same index in form_attributes().
  std::span<const form::FieldSpec> fields() const { return fields_; }
  std::span<const Attribute* const> form_attributes() const { return form_attributes_; }
  uint64_t version() const { return version_; }

 private:
  ProfileSchema() = default;
  std::vector<Attribute> attributes_;
  std::vector<const Attribute*> form_attributes_;
  std::vector<std::vector<form::Option>> options_;  // per form field
  std::vector<form::FieldSpec> fields_;
  uint64_t version_ = 0;
};

// The visible attributes of a Schemas API document (GET /api/v1/meta/schemas/user/default:
// definitions.base.properties, then definitions.custom.properties), in form order: the
// tutorial's eight first, in their order, then the rest in the schema's order.
// kUpstreamUnavailable when document is not a user schema.
Result<std::vector<Attribute>> AttributesFromSchemasApi(const json::Value& document);

// The same from MyAccount's GET /idp/myaccount/profile/schema ({"properties": {name: {...,
// "permissions": {"SELF": action}}}}), which leaves out what the user may not see.
Result<std::vector<Attribute>> AttributesFromMyAccount(const json::Value& document);

// The form's text for an attribute of user's profile: a list one item per line, the rest as
// okta::User holds it ("" when absent).
std::string FormText(const Attribute& attribute, const okta::User& user);

}  // namespace userdesk::profile
