#include "profile/profile_form.h"

#include <charconv>

#include "base/iso_time.h"
#include "base/strings.h"

namespace userdesk::profile {
namespace {

bool IsCheckbox(const form::FieldSpec& field) { return field.type == InputType::kCheckbox; }

// Two texts of a field that mean the same: a checkbox Okta holds no value for shows unticked.
bool Same(const form::FieldSpec& field, const std::string& a, const std::string& b) {
  if (IsCheckbox(field)) return (a == "true") == (b == "true");
  return a == b;
}

// A number's JSON text, from text that form::CheckValue accepted as one.
std::string NumberJson(const Attribute& attribute, const std::string& text) {
  char buffer[64];
  if (attribute.type == ValueType::kInteger) {
    if (auto n = ParseInteger<int64_t>(text)) return std::to_string(*n);
  } else {
    double d = std::strtod(text.c_str(), nullptr);
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
    if (ec == std::errc()) return std::string(buffer, end);
  }
  return text;
}

// text as the JSON value of attribute's type.
okta::AttributeValue Typed(const Attribute& attribute, const std::string& text) {
  using Kind = okta::AttributeValue::Kind;
  switch (attribute.type) {
    case ValueType::kInteger:
    case ValueType::kNumber:
      return {Kind::kNumber, NumberJson(attribute, text), {}};
    case ValueType::kBoolean:
      return {Kind::kBoolean, text == "true" ? "true" : "false", {}};
    case ValueType::kStringList:
      return {Kind::kStringList, "", form::ListItems(text)};
    case ValueType::kString:
      break;
  }
  return okta::AttributeValue(text);
}

}  // namespace

std::shared_ptr<const ProfileSchema> TutorialSchema() {
  static const std::shared_ptr<const ProfileSchema> schema = [] {
    std::vector<Attribute> attributes;
    for (const FieldSpec& field : kProfileFields) {
      Attribute a;
      a.name = std::string(field.name);
      a.label = std::string(field.label);
      a.input = field.type;
      a.required = field.required;
      a.max_length = field.max_length;
      a.autocomplete = std::string(field.autocomplete);
      attributes.push_back(std::move(a));
    }
    return ProfileSchema::Make(std::move(attributes), {}, 0);
  }();
  return schema;
}

Submission ReadSubmission(const ProfileSchema& schema, const http::Params& form,
                          int64_t now_seconds) {
  Submission s;
  auto on_form = [&](std::string_view name) { return form::FindField(schema.fields(), name); };
  for (const auto& [name, value] : form) {
    if (name == "csrf") continue;
    std::string_view field_name = name;
    bool shown = field_name.starts_with(kShownPrefix);
    if (shown) field_name.remove_prefix(kShownPrefix.size());
    const FieldSpec* field = on_form(field_name);
    if (field == nullptr || field->name != field_name) {  // not also_writes: the profile has none
      if (s.ignored.empty() || s.ignored.back() != name) s.ignored.push_back(name);
    } else if (field->read_only) {
      if (!shown) s.read_only.push_back(name);
    } else if (shown) {
      s.shown.emplace(std::string(field_name), std::string(TrimSpace(value)));
    }
  }
  std::string today = FormatUtc(now_seconds * 1000, "%Y-%m-%d");
  for (const FieldSpec& field : schema.fields()) {
    if (field.read_only) continue;
    std::string name(field.name);
    auto it = form.find(field.name);
    std::string& value = s.values[name];
    value = it == form.end() ? "" : std::string(TrimSpace(it->second));
    auto shown = s.shown.find(name);
    if (IsCheckbox(field) && it == form.end() && shown != s.shown.end()) value = "false";
    // A value the user left as the form showed it is not theirs to fix (Okta holds it, e.g. a
    // birthdate another app wrote as "April 1"): only a required field must still be filled.
    bool unchanged = shown != s.shown.end() && Same(field, shown->second, value);
    if (unchanged && !value.empty()) continue;
    std::string problem = form::CheckValue(field, value, today);
    if (!problem.empty()) s.errors[name] = problem;
  }
  return s;
}

std::vector<okta::ProfileChange> ChangedFields(const ProfileSchema& schema,
                                               const Submission& submission,
                                               const okta::User& current) {
  std::vector<okta::ProfileChange> changes;
  for (size_t i = 0; i < schema.fields().size(); i++) {
    const FieldSpec& field = schema.fields()[i];
    const Attribute& attribute = *schema.form_attributes()[i];
    auto posted = submission.values.find(attribute.name);
    // the schema is the allow-list: a read-only attribute is never written, whatever was read
    if (field.read_only || posted == submission.values.end()) continue;
    const std::string& value = posted->second;
    auto shown = submission.shown.find(attribute.name);
    std::string before =
        shown != submission.shown.end() ? shown->second : FormText(attribute, current);
    if (Same(field, value, before)) continue;
    if (value.empty()) {
      changes.emplace_back(attribute.name, std::nullopt);
    } else {
      changes.emplace_back(attribute.name, Typed(attribute, value));
    }
  }
  return changes;
}

}  // namespace userdesk::profile
