// What the MyAccount profile API lets a user see and change of their own profile, derived from
// the user schema (management/profile_schema.h) and its SELF permissions: HIDE and sensitive
// attributes are invisible (their definition too), READ_ONLY ones are shown but never changed,
// READ_WRITE ones are replaced whole by a PUT. Pure functions; the routes are in profile.cc.
// Must never let a PUT touch an attribute the user may not write, nor show one they may not see.
#pragma once

#include <string>
#include <vector>

#include "json/json.h"
#include "mini_okta/management/profile_schema.h"

namespace userdesk::mini_okta::myaccount {

// An attribute the user may see, and the SELF action that applies to it through MyAccount.
struct SelfAttribute {
  std::string name;
  std::string action;             // "READ_WRITE" or "READ_ONLY"
  const json::Value* definition;  // inside the schema document it was taken from
};

// The visible attributes of schema (SchemaDocument's shape), base attributes first, each
// group in schema order. The primary email is READ_ONLY here whatever its permission says:
// Okta's MyAccount changes it only through its emails endpoints, after a verification.
std::vector<SelfAttribute> VisibleAttributes(const json::Value& schema);

// GET /idp/myaccount/profile/schema's "properties": per attribute its type, title and
// constraints as the Schemas API has them, and "permissions": {"SELF": action}.
json::Value SchemaProperties(const std::vector<SelfAttribute>& attributes, json::Allocator& a);

// GET /idp/myaccount/profile's "profile": every visible attribute, null when it has no value.
json::Value ProfileView(const std::vector<SelfAttribute>& attributes, const json::Value& stored,
                        json::Allocator& a);

// PUT /idp/myaccount/profile: the profile to store after the user sent `sent` (the body's
// profile object). Writable attributes are replaced whole (one not sent, or sent null, is
// removed); everything else keeps its stored value. Refused, with Okta's causes, when sent
// names an attribute that is not visible, changes a READ_ONLY one (sending its current value
// back is allowed: a client sends what it fetched), or the result fails the schema's checks
// (custom_properties: the stored custom attribute definitions). *out is set only when valid.
std::vector<FieldProblem> ReplaceProfile(const std::vector<SelfAttribute>& attributes,
                                         const json::Value& stored, const json::Value& sent,
                                         const json::Value& custom_properties, json::Document* out);

}  // namespace userdesk::mini_okta::myaccount
