#include "mini_okta/myaccount/self_view.h"

#include <algorithm>
#include <string_view>

namespace userdesk::mini_okta::myaccount {
namespace {

// The schema members a MyAccount schema carries over, as Okta's MyAccount schema shows them
// (no mutability, scope, master or unique: those describe the org's data, not the user's rights).
constexpr const char* kCopied[] = {"title",     "description", "type",    "format",
                                   "items",     "enum",        "oneOf",   "minLength",
                                   "maxLength", "minimum",     "maximum", "pattern"};

const SelfAttribute* Find(const std::vector<SelfAttribute>& attributes, std::string_view name) {
  auto it = std::find_if(attributes.begin(), attributes.end(),
                         [&](const SelfAttribute& attr) { return attr.name == name; });
  return it == attributes.end() ? nullptr : &*it;
}

void AddGroup(const json::Value& schema, const char* group, std::vector<SelfAttribute>* out) {
  const json::Value* definitions = json::GetObject(schema, "definitions");
  const json::Value* def = definitions ? json::GetObject(*definitions, group) : nullptr;
  const json::Value* props = def ? json::GetObject(*def, "properties") : nullptr;
  if (props == nullptr) return;
  for (const auto& m : props->GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    std::string action = SelfPermission(m.value);
    // Okta: a property whose value the user may not see (hidden or sensitive) is left out of
    // the MyAccount schema as well as the profile.
    if (action == "HIDE" || json::GetBool(m.value, "sensitive").value_or(false)) continue;
    if (action != "READ_WRITE" || name == "email") action = "READ_ONLY";
    out->push_back({std::move(name), std::move(action), &m.value});
  }
}

bool SameValue(const json::Value* stored, const json::Value& sent) {
  if (stored == nullptr) return sent.IsNull();
  return *stored == sent;
}

}  // namespace

std::vector<SelfAttribute> VisibleAttributes(const json::Value& schema) {
  std::vector<SelfAttribute> out;
  AddGroup(schema, "base", &out);
  AddGroup(schema, "custom", &out);
  return out;
}

json::Value SchemaProperties(const std::vector<SelfAttribute>& attributes, json::Allocator& a) {
  json::Value props(rapidjson::kObjectType);
  for (const SelfAttribute& attr : attributes) {
    json::Value p(rapidjson::kObjectType);
    for (const char* key : kCopied) {
      const json::Value* v = json::Member(*attr.definition, key);
      if (v != nullptr && !v->IsNull()) p.AddMember(json::Str(key, a), json::Value(*v, a), a);
    }
    if (json::GetBool(*attr.definition, "required").value_or(false)) {
      p.AddMember("required", true, a);
    }
    json::Value permissions(rapidjson::kObjectType);
    permissions.AddMember("SELF", json::Str(attr.action, a), a);
    p.AddMember("permissions", permissions, a);
    props.AddMember(json::Str(attr.name, a), p, a);
  }
  return props;
}

json::Value ProfileView(const std::vector<SelfAttribute>& attributes, const json::Value& stored,
                        json::Allocator& a) {
  json::Value profile(rapidjson::kObjectType);
  for (const SelfAttribute& attr : attributes) {
    const json::Value* v = json::Member(stored, attr.name);
    profile.AddMember(json::Str(attr.name, a), v ? json::Value(*v, a) : json::Value(), a);
  }
  return profile;
}

std::vector<FieldProblem> ReplaceProfile(const std::vector<SelfAttribute>& attributes,
                                         const json::Value& stored, const json::Value& sent,
                                         const json::Value& custom_properties,
                                         json::Document* out) {
  std::vector<FieldProblem> problems;
  for (const auto& m : sent.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    const SelfAttribute* attr = Find(attributes, name);
    // A hidden attribute is as unknown to the user as one the schema lacks.
    if (attr == nullptr) {
      problems.push_back({name, "Property name '" + name + "' is not defined in profile"});
    } else if (attr->action != "READ_WRITE" && !SameValue(json::Member(stored, name), m.value)) {
      problems.push_back({name, name + ": Property is read-only and cannot be changed"});
    }
  }
  if (!problems.empty()) return problems;

  json::Document next(rapidjson::kObjectType);
  auto& a = next.GetAllocator();
  for (const auto& m : stored.GetObject()) {
    const SelfAttribute* attr = Find(attributes, {m.name.GetString(), m.name.GetStringLength()});
    if (attr == nullptr || attr->action != "READ_WRITE") {
      next.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
    }
  }
  for (const auto& m : sent.GetObject()) {
    const SelfAttribute* attr = Find(attributes, {m.name.GetString(), m.name.GetStringLength()});
    if (attr->action == "READ_WRITE" && !m.value.IsNull()) {
      next.AddMember(json::Value(m.name, a), json::Value(m.value, a), a);
    }
  }
  problems = ValidateProfile(next, custom_properties);
  if (problems.empty()) out->Swap(next);
  return problems;
}

}  // namespace userdesk::mini_okta::myaccount
