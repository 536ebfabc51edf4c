#include "mini_okta/management/profile_schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "base/strings.h"

namespace userdesk::mini_okta {
namespace {

// One attribute of Okta's base profile (docs/okta-api.md §2.3). max 0 = no limit.
struct BaseAttribute {
  const char* name;
  const char* title;
  bool required;
  int min_length;
  int max_length;
  const char* format;  // "" = none
};

constexpr BaseAttribute kBaseAttributes[] = {
    {"login", "Username", true, 5, 100, ""},
    {"firstName", "First name", true, 1, 50, ""},
    {"lastName", "Last name", true, 1, 50, ""},
    {"middleName", "Middle name", false, 0, 0, ""},
    {"honorificPrefix", "Honorific prefix", false, 0, 0, ""},
    {"honorificSuffix", "Honorific suffix", false, 0, 0, ""},
    {"email", "Primary email", true, 5, 100, "email"},
    {"title", "Title", false, 0, 0, ""},
    {"displayName", "Display name", false, 0, 0, ""},
    {"nickName", "Nickname", false, 0, 0, ""},
    {"profileUrl", "Profile Url", false, 0, 0, "uri"},
    {"secondEmail", "Secondary email", false, 0, 100, "email"},
    {"mobilePhone", "Mobile phone", false, 0, 100, ""},
    {"primaryPhone", "Primary phone", false, 0, 100, ""},
    {"streetAddress", "Street address", false, 0, 1024, ""},
    {"city", "City", false, 0, 128, ""},
    {"state", "State", false, 0, 128, ""},
    {"zipCode", "Zip code", false, 0, 50, ""},
    {"countryCode", "Country code", false, 0, 2, "country-code"},
    {"postalAddress", "Postal Address", false, 0, 4096, ""},
    {"preferredLanguage", "Preferred language", false, 0, 0, "language-code"},
    {"locale", "Locale", false, 0, 0, "locale"},
    {"timezone", "Time zone", false, 0, 0, "timezone"},
    {"userType", "User type", false, 0, 0, ""},
    {"employeeNumber", "Employee number", false, 0, 0, ""},
    {"costCenter", "Cost center", false, 0, 0, ""},
    {"organization", "Organization", false, 0, 0, ""},
    {"division", "Division", false, 0, 0, ""},
    {"department", "Department", false, 0, 0, ""},
    {"managerId", "ManagerId", false, 0, 0, ""},
    {"manager", "Manager", false, 0, 0, ""},
};

const BaseAttribute* FindBase(std::string_view name) {
  for (const auto& attr : kBaseAttributes) {
    if (name == attr.name) return &attr;
  }
  return nullptr;
}

// Names differing only by case collide with a base attribute (Okta's rule for custom names).
bool CollidesWithBase(std::string_view name) {
  for (const auto& attr : kBaseAttributes) {
    if (AsciiLower(name) == AsciiLower(attr.name)) return true;
  }
  return false;
}

// local@domain.tld: one @, no whitespace, a dot inside the domain with text on both sides.
bool LooksLikeEmail(std::string_view s) {
  size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos)
    return false;
  if (std::any_of(s.begin(), s.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    return false;
  }
  std::string_view domain = s.substr(at + 1);
  size_t dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

FieldProblem Problem(std::string_view field, std::string_view what) {
  return {std::string(field), std::string(field) + ": " + std::string(what)};
}

bool IsBlank(const json::Value* v) {
  return v == nullptr || v->IsNull() || (v->IsString() && v->GetStringLength() == 0);
}

json::Value Permissions(const char* action, json::Allocator& a) {
  json::Value perm(rapidjson::kObjectType);
  perm.AddMember("principal", "SELF", a);
  perm.AddMember("action", json::Str(action, a), a);
  json::Value list(rapidjson::kArrayType);
  list.PushBack(perm, a);
  return list;
}

json::Value Master(json::Allocator& a) {
  json::Value master(rapidjson::kObjectType);
  master.AddMember("type", "PROFILE_MASTER", a);
  return master;
}

json::Value BaseAttributeJson(const BaseAttribute& attr, const json::Value& base_permissions,
                              json::Allocator& a) {
  json::Value p(rapidjson::kObjectType);
  p.AddMember("title", json::Str(attr.title, a), a);
  p.AddMember("type", "string", a);
  if (attr.required) p.AddMember("required", true, a);
  if (attr.format[0] != '\0') p.AddMember("format", json::Str(attr.format, a), a);
  if (attr.min_length > 0) p.AddMember("minLength", attr.min_length, a);
  if (attr.max_length > 0) p.AddMember("maxLength", attr.max_length, a);
  if (std::string_view(attr.name) == "login") p.AddMember("pattern", json::Value(), a);
  p.AddMember("mutability", "READ_WRITE", a);
  p.AddMember("scope", "NONE", a);
  if (const json::Value* set = json::GetArray(base_permissions, attr.name)) {
    p.AddMember("permissions", json::Value(*set, a), a);
  } else {
    bool read_only = std::string_view(attr.name) == "login";
    p.AddMember("permissions", Permissions(read_only ? "READ_ONLY" : "READ_WRITE", a), a);
  }
  p.AddMember("master", Master(a), a);
  return p;
}

// A custom attribute as Okta shows it: the stored definition plus Okta's defaults.
json::Value CustomAttributeJson(const json::Value& stored, json::Allocator& a) {
  json::Value p(stored, a);
  if (!p.HasMember("mutability")) p.AddMember("mutability", "READ_WRITE", a);
  if (!p.HasMember("scope")) p.AddMember("scope", "NONE", a);
  if (!p.HasMember("permissions")) p.AddMember("permissions", Permissions("READ_ONLY", a), a);
  if (!p.HasMember("master")) p.AddMember("master", Master(a), a);
  return p;
}

json::Value Definition(const char* id, json::Value properties, json::Value required,
                       json::Allocator& a) {
  json::Value d(rapidjson::kObjectType);
  d.AddMember("id", json::Str(id, a), a);
  d.AddMember("type", "object", a);
  d.AddMember("properties", properties, a);
  d.AddMember("required", required, a);
  return d;
}

json::Value BaseDefinition(const json::Value& base_permissions, json::Allocator& a) {
  json::Value props(rapidjson::kObjectType);
  json::Value required(rapidjson::kArrayType);
  for (const auto& attr : kBaseAttributes) {
    props.AddMember(json::Str(attr.name, a), BaseAttributeJson(attr, base_permissions, a), a);
    if (attr.required) required.PushBack(json::Str(attr.name, a), a);
  }
  return Definition("#base", std::move(props), std::move(required), a);
}

json::Value CustomDefinition(const json::Value& custom, json::Allocator& a) {
  json::Value props(rapidjson::kObjectType);
  json::Value required(rapidjson::kArrayType);
  for (const auto& m : custom.GetObject()) {
    props.AddMember(json::Value(m.name, a), CustomAttributeJson(m.value, a), a);
    if (json::GetBool(m.value, "required").value_or(false))
      required.PushBack(json::Value(m.name, a), a);
  }
  return Definition("#custom", std::move(props), std::move(required), a);
}

json::Value ProfileAllOf(json::Allocator& a) {
  json::Value all_of(rapidjson::kArrayType);
  for (const char* ref : {"#/definitions/custom", "#/definitions/base"}) {
    json::Value r(rapidjson::kObjectType);
    r.AddMember("$ref", json::Str(ref, a), a);
    all_of.PushBack(r, a);
  }
  json::Value profile(rapidjson::kObjectType);
  profile.AddMember("allOf", all_of, a);
  json::Value properties(rapidjson::kObjectType);
  properties.AddMember("profile", profile, a);
  return properties;
}

std::optional<FieldProblem> CheckBaseValue(const BaseAttribute& attr, const json::Value& v) {
  if (v.IsNull()) return std::nullopt;  // blank required values are reported separately
  if (!v.IsString()) return Problem(attr.name, "Property value is not of the expected type");
  std::string_view s(v.GetString(), v.GetStringLength());
  std::string_view name = attr.name;
  if (name == "login" && !s.empty() && !LooksLikeEmail(s)) {
    return Problem(name, "Username must be in the form of an email address");
  }
  if (std::string_view(attr.format) == "email" && !s.empty() && !LooksLikeEmail(s)) {
    return Problem(name, "Does not match required pattern");
  }
  if (attr.max_length > 0 && Utf8CharCount(s) > static_cast<size_t>(attr.max_length)) {
    return Problem(name, "The field is too long");
  }
  if (!s.empty() && Utf8CharCount(s) < static_cast<size_t>(attr.min_length)) {
    return Problem(name, "The field is too short");
  }
  return std::nullopt;
}

bool MatchesType(std::string_view type, const json::Value& v) {
  if (type == "string") return v.IsString();
  if (type == "boolean") return v.IsBool();
  if (type == "number") return v.IsNumber();
  if (type == "integer") {
    return v.IsInt() || (v.IsDouble() && std::floor(v.GetDouble()) == v.GetDouble() &&
                         std::fabs(v.GetDouble()) <= std::numeric_limits<int32_t>::max());
  }
  return false;
}

bool InEnum(const json::Value& def, const json::Value& v) {
  const json::Value* values = json::GetArray(def, "enum");
  if (values == nullptr) return true;
  for (const auto& allowed : values->GetArray()) {
    if (allowed == v) return true;
  }
  return false;
}

std::optional<FieldProblem> CheckScalar(std::string_view name, const json::Value& def,
                                        std::string_view type, const json::Value& v) {
  if (!MatchesType(type, v)) return Problem(name, "Property value is not of the expected type");
  if (!InEnum(def, v)) return Problem(name, "Does not match one of the enumerated values");
  if (v.IsString()) {
    size_t n = Utf8CharCount(std::string_view(v.GetString(), v.GetStringLength()));
    auto max = json::GetInt(def, "maxLength");
    auto min = json::GetInt(def, "minLength");
    if (max && n > static_cast<size_t>(*max)) return Problem(name, "The field is too long");
    if (min && n < static_cast<size_t>(*min)) return Problem(name, "The field is too short");
  }
  if (v.IsNumber()) {
    const json::Value* max = json::Member(def, "maximum");
    const json::Value* min = json::Member(def, "minimum");
    if (max && max->IsNumber() && v.GetDouble() > max->GetDouble()) {
      return Problem(name, "The value is too large");
    }
    if (min && min->IsNumber() && v.GetDouble() < min->GetDouble()) {
      return Problem(name, "The value is too small");
    }
  }
  return std::nullopt;
}

std::optional<FieldProblem> CheckCustomValue(std::string_view name, const json::Value& def,
                                             const json::Value& v) {
  if (v.IsNull()) return std::nullopt;
  std::string type = json::GetString(def, "type").value_or("string");
  if (type != "array") return CheckScalar(name, def, type, v);
  if (!v.IsArray()) return Problem(name, "Property value is not of the expected type");
  const json::Value* items = json::GetObject(def, "items");
  std::string item_type = items ? json::GetString(*items, "type").value_or("string") : "string";
  for (const auto& item : v.GetArray()) {
    if (auto problem = CheckScalar(name, items ? *items : def, item_type, item)) return problem;
  }
  return std::nullopt;
}

void CheckRequired(const json::Value& profile, const json::Value& custom,
                   std::vector<FieldProblem>* problems) {
  for (const auto& attr : kBaseAttributes) {
    if (attr.required && IsBlank(json::Member(profile, attr.name))) {
      problems->push_back(Problem(attr.name, "The field cannot be left blank"));
    }
  }
  for (const auto& m : custom.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (json::GetBool(m.value, "required").value_or(false) &&
        IsBlank(json::Member(profile, name))) {
      problems->push_back(Problem(name, "The field cannot be left blank"));
    }
  }
}

// Okta's permissions: one entry per principal, and SELF (the user) is the only principal.
std::optional<FieldProblem> CheckPermissions(std::string_view name, const json::Value& def) {
  static constexpr std::string_view kActions[] = {"READ_WRITE", "READ_ONLY", "HIDE"};
  const json::Value* perms = json::Member(def, "permissions");
  if (perms == nullptr) return std::nullopt;
  if (!perms->IsArray() || perms->Size() > 1) return Problem(name, "Invalid permissions");
  for (const auto& p : perms->GetArray()) {
    std::string action = json::GetString(p, "action").value_or("");
    if (json::GetString(p, "principal") != "SELF" ||
        std::find(std::begin(kActions), std::end(kActions), action) == std::end(kActions)) {
      return Problem(name, "Invalid permissions");
    }
  }
  return std::nullopt;
}

std::optional<FieldProblem> CheckCustomDefinition(std::string_view name, const json::Value& def) {
  static constexpr std::string_view kTypes[] = {"string", "boolean", "number", "integer", "array"};
  if (CollidesWithBase(name)) {
    return Problem(name, "An object with this field already exists in the current schema");
  }
  auto title = json::GetString(def, "title");
  if (!title || title->empty()) return Problem(name, "The field cannot be left blank (title)");
  std::string type = json::GetString(def, "type").value_or("");
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes)) {
    return Problem(name, "Property type is not supported");
  }
  return CheckPermissions(name, def);
}

void ApplyBasePermissions(const json::Value& body, json::Document& base_permissions,
                          std::vector<FieldProblem>* problems) {
  const json::Value* definitions = json::GetObject(body, "definitions");
  const json::Value* base = definitions ? json::GetObject(*definitions, "base") : nullptr;
  const json::Value* props = base ? json::GetObject(*base, "properties") : nullptr;
  if (props == nullptr) return;
  auto& a = base_permissions.GetAllocator();
  for (const auto& m : props->GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!FindBase(name)) {
      problems->push_back(Problem(name, "Property is not a base attribute"));
      continue;
    }
    if (!m.value.IsObject() || !m.value.HasMember("permissions")) continue;
    if (auto problem = CheckPermissions(name, m.value)) {
      problems->push_back(*problem);
      continue;
    }
    base_permissions.RemoveMember(m.name);
    base_permissions.AddMember(json::Value(m.name, a), json::Value(m.value["permissions"], a), a);
  }
}

}  // namespace

std::string SelfPermission(const json::Value& attribute) {
  if (const json::Value* perms = json::GetArray(attribute, "permissions")) {
    for (const auto& p : perms->GetArray()) {
      if (json::GetString(p, "principal") == "SELF") {
        return json::GetString(p, "action").value_or("READ_ONLY");
      }
    }
  }
  return "READ_ONLY";
}

json::Value SchemaDocument(const SchemaMeta& meta, const json::Value& custom_properties,
                           const json::Value& base_permissions, const std::string& base_url,
                           json::Allocator& a) {
  json::Value doc(rapidjson::kObjectType);
  doc.AddMember("id", json::Str(base_url + "/meta/schemas/user/" + meta.schema_id, a), a);
  doc.AddMember("$schema", "http://json-schema.org/draft-04/schema#", a);
  doc.AddMember("name", "user", a);
  doc.AddMember("title", "User", a);
  doc.AddMember("description", "Okta user profile template with default permission settings", a);
  doc.AddMember("lastUpdated", json::Str(meta.last_updated, a), a);
  doc.AddMember("created", json::Str(meta.created, a), a);
  json::Value definitions(rapidjson::kObjectType);
  definitions.AddMember("custom", CustomDefinition(custom_properties, a), a);
  definitions.AddMember("base", BaseDefinition(base_permissions, a), a);
  doc.AddMember("definitions", definitions, a);
  doc.AddMember("type", "object", a);
  doc.AddMember("properties", ProfileAllOf(a), a);
  json::Value links(rapidjson::kObjectType);
  json::Value self(rapidjson::kObjectType);
  self.AddMember("href", json::Str(base_url + "/api/v1/meta/schemas/user/" + meta.schema_id, a), a);
  self.AddMember("method", "GET", a);
  links.AddMember("self", self, a);
  doc.AddMember("_links", links, a);
  return doc;
}

std::vector<FieldProblem> ValidateProfile(const json::Value& profile,
                                          const json::Value& custom_properties) {
  std::vector<FieldProblem> problems;
  for (const auto& m : profile.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (!FindBase(name) && !json::Member(custom_properties, name)) {
      problems.push_back({std::string(name),
                          "Property name '" + std::string(name) + "' is not defined in profile"});
    }
  }
  CheckRequired(profile, custom_properties, &problems);
  for (const auto& m : profile.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    std::optional<FieldProblem> problem;
    if (const BaseAttribute* base = FindBase(name)) {
      problem = CheckBaseValue(*base, m.value);
    } else if (const json::Value* def = json::Member(custom_properties, name)) {
      problem = CheckCustomValue(name, *def, m.value);
    }
    if (problem) problems.push_back(*problem);
  }
  return problems;
}

std::vector<FieldProblem> ApplySchemaChange(const json::Value& body,
                                            json::Document& custom_properties,
                                            json::Document& base_permissions) {
  std::vector<FieldProblem> problems;
  ApplyBasePermissions(body, base_permissions, &problems);
  const json::Value* definitions = json::GetObject(body, "definitions");
  const json::Value* custom = definitions ? json::GetObject(*definitions, "custom") : nullptr;
  const json::Value* props = custom ? json::GetObject(*custom, "properties") : nullptr;
  if (props == nullptr) return problems;
  auto& a = custom_properties.GetAllocator();
  for (const auto& m : props->GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsNull()) {
      custom_properties.RemoveMember(m.name);
      continue;
    }
    if (!m.value.IsObject()) {
      problems.push_back(Problem(name, "Property value is not of the expected type"));
      continue;
    }
    if (auto problem = CheckCustomDefinition(name, m.value)) {
      problems.push_back(*problem);
      continue;
    }
    custom_properties.RemoveMember(m.name);
    custom_properties.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
  }
  return problems;
}

}  // namespace userdesk::mini_okta
