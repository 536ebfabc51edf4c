// The profile form: which Okta attributes a user may edit (kProfileFields, the one list, data
// not code: adding a field is one line), and reading a posted form against it. Only listed
// attributes are ever written; login, email and any other name a browser sends are ignored
// and logged (no mass assignment, OWASP ASVS 5.1.2).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "form/fields.h"
#include "http/request.h"
#include "okta/users_client.h"

namespace userdesk::profile {

using form::FieldSpec;
using form::InputType;

// The tutorial's fields, in form order. Lengths are Okta's base-profile limits (firstName and
// lastName 1-50, streetAddress 1024, city and state 128, zipCode 50); birthdate is a custom
// string holding YYYY-MM-DD, favoriteColor a custom string.
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

// nullptr when name is not an editable attribute.
inline const FieldSpec* FindField(std::string_view name) {
  return form::FindField(kProfileFields, name);
}

// A posted profile form, read against kProfileFields.
struct Submission {
  std::map<std::string, std::string> values;  // every listed attribute: trimmed input, "" if absent
  std::map<std::string, std::string> shown;   // what the form showed, where it said
  std::map<std::string, std::string> errors;  // attribute -> message for the user
  std::vector<std::string> ignored;           // names not on the list (logged, never written)
  bool ok() const { return errors.empty(); }
};

// Trims each listed field and validates it: required fields present, at most max_length
// characters, well-formed UTF-8 without control characters, dates real YYYY-MM-DD days
// between 1900-01-01 and today (now_seconds, UTC). A non-empty value left as the form showed
// it is not checked (Okta holds it already). "csrf" and the shown.* fields are the form's own;
// everything else unlisted goes to ignored.
Submission ReadSubmission(const http::Params& form, int64_t now_seconds);

// What to send to Okta: the listed attributes whose value differs from what the form showed
// (or, where the form did not say, from current), so two tabs editing different fields do not
// overwrite each other. An emptied field clears the attribute (nullopt).
std::vector<okta::ProfileChange> ChangedFields(const Submission& submission,
                                               const okta::User& current);

// Okta's errorCauses for a refused update: beside the profile field they name, or returned for
// the top of the form (form::AssignOktaCauses).
inline std::vector<std::string> AssignOktaCauses(const std::vector<std::string>& causes,
                                                 std::map<std::string, std::string>* field_errors) {
  return form::AssignOktaCauses(kProfileFields, causes, field_errors);
}

}  // namespace userdesk::profile
