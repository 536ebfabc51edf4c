// Form fields as data. Each form (the profile, registration, password reset) is a table of
// FieldSpec; this module checks a typed value against its spec, turns a field into what the
// shared templates/partials/field.mustache shows (label, input, the error beside it), and puts
// Okta's errorCauses beside the field they name. A new field is one line in a table.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "view/templates.h"

namespace userdesk::form {

enum class InputType {
  kText,
  kDate,
  kEmail,
  kPassword,
  kUrl,
  kInteger,   // a JSON integer (Okta: 32 bits)
  kNumber,    // a JSON number
  kCheckbox,  // a boolean: "true" or "false"
  kSelect,    // one of FieldSpec::options
  kTextList,  // an array of strings: one item per line
};

// One choice of a select: the value stored, and what the list shows.
struct Option {
  std::string_view value;
  std::string_view label;
};

struct FieldSpec {
  std::string_view name;   // the form field's name and id; the Okta attribute it writes
  std::string_view label;  // as the tutorial labels it
  InputType type;
  bool required;
  size_t max_length;              // characters, Okta's limit for the attribute
  std::string_view autocomplete;  // the HTML autocomplete token, "" for none
  // Another Okta attribute this field's value is written to, whose errorCauses belong beside
  // this field (registration's Email is also the login), "" for none.
  std::string_view also_writes = "";
  std::span<const Option> options = {};  // kSelect: the values allowed
  size_t min_length = 0;                 // characters (each item's, for a list)
  bool read_only = false;                // shown, never posted, never written
};

// The spec named name (or whose also_writes is name) in fields, nullptr when none.
const FieldSpec* FindField(std::span<const FieldSpec> fields, std::string_view name);

// The message for the user about value, or "" when it is fine: a required field is filled, at
// least min_length and at most max_length characters of well-formed UTF-8 without control
// characters (a list: each line), a date a real YYYY-MM-DD day from 1900-01-01 to today
// ("YYYY-MM-DD", UTC), an email address shaped like one, a web address http(s)://, an integer
// in 32 bits, a finite number, a boolean "true" or "false", a select one of its options.
// Values are checked as given: callers trim what should be trimmed (never a password).
std::string CheckValue(const FieldSpec& field, const std::string& value, const std::string& today);

// A posted form read against its fields: every value trimmed (a password kept exactly as typed)
// and checked with CheckValue. Fields not in the table are not read.
struct Filled {
  std::map<std::string, std::string> values;  // every field by name, "" when not posted
  std::map<std::string, std::string> errors;  // field name -> message for the user
  bool ok() const { return errors.empty(); }
};
Filled ReadFields(std::span<const FieldSpec> fields, const http::Params& form,
                  const std::string& today);

// What partials/field.mustache shows for a field: name, label, type, required, max_length,
// autocomplete, value and error (from values and errors, by the field's name), has_error; a
// select's options (the one chosen marked), a checkbox's checked, a list's textarea, read_only.
// A password's value is never sent back to the browser, and a date that is not YYYY-MM-DD is
// shown as text (a date input would show it as empty and post nothing back).
view::mustache::data FieldView(const FieldSpec& field,
                               const std::map<std::string, std::string>& values,
                               const std::map<std::string, std::string>& errors);

// m[key], or "" when key is absent.
const std::string& ValueOf(const std::map<std::string, std::string>& m, const std::string& key);

// The messages above a form, as partials/notices.mustache shows them. Each shows only when set.
struct Notices {
  std::string notice;                        // it worked: "Your profile has been saved."
  std::string warning;                       // e.g. data shown from a stale copy
  std::string problem;                       // why the form came back
  std::vector<std::string> problem_details;  // listed under the problem (Okta's causes)

  void AddTo(view::mustache::data* page) const;
};

// Everything a form page shows: its status, what the inputs hold (a password never shows), what
// the form first showed (its shown.<name> fields, for forms that save only what changed), the
// error beside each field and the notices above the form.
struct FormState {
  int status = 200;
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> shown;
  std::map<std::string, std::string> errors;
  Notices notices;
  std::string sign_in_url;  // a sign-in to open in a new tab, when only that can mend the save
};

// Okta's errorCauses for a refused write, sorted out: "<attribute>: <message>" and "Property
// name '<attribute>' is not defined in profile" go beside the field writing that attribute
// (into field_errors, by field name); any other cause is returned for the top of the form.
std::vector<std::string> AssignOktaCauses(std::span<const FieldSpec> fields,
                                          const std::vector<std::string>& causes,
                                          std::map<std::string, std::string>* field_errors);

// The items of a list field's text: one per line, each trimmed, empty lines left out.
std::vector<std::string> ListItems(std::string_view text);

// True when text is a real calendar day written YYYY-MM-DD.
bool IsCalendarDate(std::string_view text);

// True when text has the shape of an email address: one "@" with something before it, and a
// domain of dot-separated labels (letters, digits, hyphens; at least two labels). Only a first
// check, so a typo gets an answer at once: Okta has the last word.
bool LooksLikeEmail(std::string_view text);

}  // namespace userdesk::form
