// The profile form read against the user schema (profile/profile_schema.h): only attributes the
// schema lets the user write are ever written; read-only ones posted anyway, login, email and
// any other name a browser sends are ignored and logged (no mass assignment, OWASP ASVS 5.1.2).
// kProfileFields is the tutorial's eight fields: their order and input hints, which the schema's
// attributes take on (profile_schema.cc).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "form/fields.h"
#include "http/request.h"
#include "okta/users_client.h"
#include "profile/profile_schema.h"

namespace userdesk::profile {

using form::FieldSpec;
using form::InputType;

// The tutorial's fields, in form order. Lengths are Okta's base-profile limits (firstName and
// lastName 1-50, streetAddress 1024, city and state 128, zipCode 50), used where the schema sets
// none; birthdate is a custom string holding YYYY-MM-DD, favoriteColor a custom string.
inline constexpr FieldSpec kProfileFields[] = {
    {"firstName", "First Name", InputType::kText, true, 50, "given-name"},
    {"lastName", "Last Name", InputType::kText, true, 50, "family-name"},
    {"streetAddress", "Address", InputType::kText, false, 1024, "street-address"},
    {"city", "City", InputType::kText, false, 128, "address-level2"},
    {"state", "State", InputType::kText, false, 128, "address-level1"},
    {"zipCode", "Zip Code", InputType::kText, false, 50, "postal-code"},
    {"birthdate", "Birthday", InputType::kDate, false, 10, "bday"},
    {"favoriteColor", "Favorite Color", InputType::kText, false, 100, ""},
};

// The hidden field that carries what the form showed for an attribute: "shown.<name>".
inline constexpr std::string_view kShownPrefix = "shown.";

// nullptr when name is not one of the tutorial's fields.
inline const FieldSpec* FindTutorialField(std::string_view name) {
  return form::FindField(kProfileFields, name);
}

// The tutorial's eight fields as a schema of writable strings: the form when no schema can be
// had (it is only ever shown back with what was typed, never saved from), and tests'.
std::shared_ptr<const ProfileSchema> TutorialSchema();

// A posted profile form, read against the schema's form fields.
struct Submission {
  std::map<std::string, std::string> values;  // every writable field: trimmed input, "" if absent
  std::map<std::string, std::string> shown;   // what the form showed, where it said
  std::map<std::string, std::string> errors;  // attribute -> message for the user
  std::vector<std::string> ignored;           // names not on the form (logged, never written)
  std::vector<std::string> read_only;  // read-only attributes posted anyway (logged, never written)
  bool ok() const { return errors.empty(); }
};

// Trims each writable field and validates it (form::CheckValue: required, lengths, UTF-8,
// dates between 1900-01-01 and today (now_seconds, UTC), numbers, options). A non-empty value
// left as the form showed it is not checked (Okta holds it already). An unticked checkbox posts
// nothing: where the form said it showed one, it is "false". "csrf" and the shown.* fields are
// the form's own; read-only fields go to read_only, everything else unlisted to ignored.
Submission ReadSubmission(const ProfileSchema& schema, const http::Params& form,
                          int64_t now_seconds);

// What to send to Okta: the writable attributes whose value differs from what the form showed
// (or, where the form did not say, from current), so two tabs editing different fields do not
// overwrite each other, typed as the schema types them (a number as a JSON number, a checkbox
// as a boolean, a list as an array of strings). An emptied field clears the attribute (nullopt).
std::vector<okta::ProfileChange> ChangedFields(const ProfileSchema& schema,
                                               const Submission& submission,
                                               const okta::User& current);

// Okta's errorCauses for a refused update: beside the profile field they name, or returned for
// the top of the form (form::AssignOktaCauses).
inline std::vector<std::string> AssignOktaCauses(const ProfileSchema& schema,
                                                 const std::vector<std::string>& causes,
                                                 std::map<std::string, std::string>* field_errors) {
  return form::AssignOktaCauses(schema.fields(), causes, field_errors);
}

}  // namespace userdesk::profile
