#include "profile/profile_schema.h"

#include <algorithm>
#include <optional>

#include "base/log.h"
#include "profile/profile_form.h"
#include "view/start_case.h"

namespace userdesk::profile {
namespace {

// Attributes that say who the user is or where their account's mail goes. Okta changes them
// through its own verified flows (MyAccount's emails endpoints), never through a profile form:
// a form that could set them would let anyone holding a session redirect the account's
// recovery mail. Shown, never written, whatever the schema's SELF permission says.
constexpr std::string_view kIdentityAttributes[] = {"login", "email", "secondEmail"};

bool IsIdentityAttribute(std::string_view name) {
  return std::find(std::begin(kIdentityAttributes), std::end(kIdentityAttributes), name) !=
         std::end(kIdentityAttributes);
}

// A scalar of enum as the form posts it back: a string as it is, a number or boolean as its JSON.
std::optional<std::string> OptionText(const json::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsNumber() || v.IsBool()) return json::Write(v);
  return std::nullopt;
}

size_t Length(const json::Value& definition, const char* key) {
  const json::Value* v = json::Member(definition, key);
  if (v == nullptr || !v->IsInt64() || v->GetInt64() < 0) return 0;
  return static_cast<size_t>(v->GetInt64());
}

// An attribute from its definition and the SELF action that applies; nullopt when the user may
// not see it (HIDE, sensitive, or a secret's format).
std::optional<Attribute> FromDefinition(std::string_view name, const json::Value& definition,
                                        std::string_view action, bool listed_required) {
  if (action == "HIDE" || !definition.IsObject()) return std::nullopt;
  if (json::GetBool(definition, "sensitive").value_or(false)) return std::nullopt;
  std::string format = json::GetString(definition, "format").value_or("");
  if (format == "encrypted" || format == "hashed") return std::nullopt;

  Attribute a;
  a.name = std::string(name);
  std::string title = json::GetString(definition, "title").value_or("");
  a.label = title.empty() ? view::StartCase(name) : title;
  a.required = listed_required || json::GetBool(definition, "required").value_or(false);
  a.min_length = Length(definition, "minLength");
  a.max_length = Length(definition, "maxLength");
  a.self_writable = action == "READ_WRITE";
  // "csrf" is the form's own field: an attribute of that name is shown, never posted
  a.read_only = action != "READ_WRITE" || IsIdentityAttribute(name) || name == "csrf";

  std::string type = json::GetString(definition, "type").value_or("string");
  if (type == "integer") {
    a.type = ValueType::kInteger;
    a.input = form::InputType::kInteger;
  } else if (type == "number") {
    a.type = ValueType::kNumber;
    a.input = form::InputType::kNumber;
  } else if (type == "boolean") {
    a.type = ValueType::kBoolean;
    a.input = form::InputType::kCheckbox;
  } else if (type == "array") {
    const json::Value* items = json::Member(definition, "items");
    bool strings = items != nullptr && items->IsObject() &&
                   json::GetString(*items, "type").value_or("") == "string";
    a.type = ValueType::kStringList;
    a.input = form::InputType::kTextList;
    if (!strings) a.read_only = true;  // arrays of numbers or booleans: shown, not edited here
    if (items != nullptr && items->IsObject()) {
      a.min_length = Length(*items, "minLength");
      a.max_length = Length(*items, "maxLength");
    }
    return a;
  } else if (type != "string") {
    a.read_only = true;  // an object or a type this form does not know: shown as Okta has it
    return a;
  }

  if (format == "email") a.input = form::InputType::kEmail;
  if (format == "uri") a.input = form::InputType::kUrl;
  if (format == "date") a.input = form::InputType::kDate;
  if (const json::Value* values = json::GetArray(definition, "enum")) {
    const json::Value* titles = json::GetArray(definition, "oneOf");
    for (const json::Value& v : values->GetArray()) {
      std::optional<std::string> text = OptionText(v);
      if (!text) continue;
      std::string label = *text;
      if (titles != nullptr) {
        for (const json::Value& one : titles->GetArray()) {
          const json::Value* constant = json::Member(one, "const");
          if (constant != nullptr && *constant == v) {
            label = json::GetString(one, "title").value_or(label);
          }
        }
      }
      a.option_values.push_back(std::move(*text));
      a.option_labels.push_back(std::move(label));
    }
    a.input = form::InputType::kSelect;
  }
  return a;
}

// The tutorial's eight fields first, in their order, with their input hints (birthdate is a date
// though Okta stores a string; the autocomplete tokens; the length when the schema sets none);
// the rest in the schema's order.
std::vector<Attribute> InFormOrder(std::vector<Attribute> found) {
  std::vector<Attribute> ordered;
  ordered.reserve(found.size());
  for (const form::FieldSpec& hint : kProfileFields) {
    auto it = std::find_if(found.begin(), found.end(),
                           [&](const Attribute& a) { return a.name == hint.name; });
    if (it == found.end()) continue;
    if (it->type == ValueType::kString && it->input == form::InputType::kText) {
      it->input = hint.type;
    }
    it->autocomplete = std::string(hint.autocomplete);
    if (it->max_length == 0) it->max_length = hint.max_length;
    ordered.push_back(std::move(*it));
    found.erase(it);
  }
  for (Attribute& a : found) ordered.push_back(std::move(a));
  return ordered;
}

// The SELF action of a Schemas API definition: its permissions list's SELF entry. Without one,
// READ_ONLY: Okta's own default for a new attribute, and the safe reading of a schema that says
// nothing.
std::string SelfActionOf(const json::Value& definition) {
  if (const json::Value* permissions = json::GetArray(definition, "permissions")) {
    for (const json::Value& p : permissions->GetArray()) {
      if (json::GetString(p, "principal").value_or("") == "SELF") {
        return json::GetString(p, "action").value_or("READ_ONLY");
      }
    }
  }
  return "READ_ONLY";
}

bool Listed(const json::Value* list, std::string_view name) {
  if (list == nullptr) return false;
  for (const json::Value& v : list->GetArray()) {
    if (v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == name) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<const ProfileSchema> ProfileSchema::Make(std::vector<Attribute> attributes,
                                                         const std::vector<std::string>& chosen,
                                                         uint64_t version) {
  std::shared_ptr<ProfileSchema> schema(new ProfileSchema());
  schema->attributes_ = std::move(attributes);
  schema->version_ = version;
  if (chosen.empty()) {
    for (const Attribute& a : schema->attributes_) schema->form_attributes_.push_back(&a);
  } else {
    std::vector<std::string> unknown;
    for (const std::string& name : chosen) {
      if (const Attribute* a = schema->Find(name)) {
        schema->form_attributes_.push_back(a);
      } else {
        unknown.push_back(name);
      }
    }
    if (!unknown.empty()) {
      log::Warn("profile",
                "PROFILE_FIELDS names attributes the user schema does not let users "
                "see; they are left off the form: " +
                    log::List(unknown));
    }
  }
  // The views are made once the attributes are where they stay.
  schema->options_.resize(schema->form_attributes_.size());
  for (size_t i = 0; i < schema->form_attributes_.size(); i++) {
    const Attribute& a = *schema->form_attributes_[i];
    for (size_t k = 0; k < a.option_values.size(); k++) {
      schema->options_[i].push_back(form::Option{a.option_values[k], a.option_labels[k]});
    }
    form::FieldSpec spec{a.name, a.label, a.input, a.required, a.max_length, a.autocomplete};
    spec.options = schema->options_[i];
    spec.min_length = a.min_length;
    spec.read_only = a.read_only;
    schema->fields_.push_back(spec);
  }
  return schema;
}

const Attribute* ProfileSchema::Find(std::string_view name) const {
  for (const Attribute& a : attributes_) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Result<std::vector<Attribute>> AttributesFromSchemasApi(const json::Value& document) {
  const json::Value* definitions = json::GetObject(document, "definitions");
  const json::Value* base = definitions ? json::GetObject(*definitions, "base") : nullptr;
  const json::Value* base_properties = base ? json::GetObject(*base, "properties") : nullptr;
  if (base_properties == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable,
                     "user schema: no definitions.base.properties");
  }
  std::vector<Attribute> found;
  for (const char* group : {"base", "custom"}) {
    const json::Value* definition = json::GetObject(*definitions, group);
    const json::Value* properties =
        definition ? json::GetObject(*definition, "properties") : nullptr;
    if (properties == nullptr) continue;
    const json::Value* required = json::GetArray(*definition, "required");
    for (const auto& m : properties->GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      if (!m.value.IsObject()) continue;
      if (auto a = FromDefinition(name, m.value, SelfActionOf(m.value), Listed(required, name))) {
        found.push_back(std::move(*a));
      }
    }
  }
  return InFormOrder(std::move(found));
}

Result<std::vector<Attribute>> AttributesFromMyAccount(const json::Value& document) {
  const json::Value* properties = json::GetObject(document, "properties");
  if (properties == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "MyAccount profile schema: no properties");
  }
  std::vector<Attribute> found;
  for (const auto& m : properties->GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsObject()) continue;
    const json::Value* permissions = json::GetObject(m.value, "permissions");
    std::string action =
        permissions ? json::GetString(*permissions, "SELF").value_or("READ_ONLY") : "READ_ONLY";
    if (auto a = FromDefinition(name, m.value, action, false)) found.push_back(std::move(*a));
  }
  return InFormOrder(std::move(found));
}

std::string FormText(const Attribute& attribute, const okta::User& user) {
  if (attribute.type == ValueType::kStringList) {
    auto it = user.lists.find(attribute.name);
    if (it != user.lists.end()) {
      std::string text;
      for (const std::string& item : it->second) text += (text.empty() ? "" : "\n") + item;
      return text;
    }
  }
  return user.Attribute(attribute.name);
}

}  // namespace userdesk::profile
