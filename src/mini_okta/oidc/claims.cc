#include "mini_okta/oidc/claims.h"

#include <utility>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/oidc/common.h"

namespace userdesk::mini_okta::oidc {
namespace {

struct Profile {
  json::Document doc;
  std::string Get(std::string_view key) const { return json::GetString(doc, key).value_or(""); }
};

Profile ReadProfile(const UserRecord& user) {
  auto doc = json::ParseObject(user.profile_json);
  return Profile{doc ? std::move(*doc) : json::Document(rapidjson::kObjectType)};
}

void AddIfSet(json::Value& out, const char* claim, const std::string& value, json::Allocator& a) {
  if (!value.empty()) out.AddMember(json::Str(claim, a), json::Str(value, a), a);
}

// Okta's default "name" claim expression is firstName + " " + lastName.
std::string FullName(const Profile& p) {
  std::string first = p.Get("firstName");
  std::string last = p.Get("lastName");
  if (first.empty() || last.empty()) return first + last;
  return first + " " + last;
}

// Okta stores locale as "en_US" and shows the claim in BCP 47 form, "en-US".
std::string LocaleClaim(const Profile& p) {
  std::string locale = p.Get("locale");
  if (locale.empty()) locale = "en_US";
  for (char& c : locale) {
    if (c == '_') c = '-';
  }
  return locale;
}

void AddProfileScope(const UserRecord& user, const Profile& p, json::Value& out,
                     json::Allocator& a) {
  AddIfSet(out, "name", FullName(p), a);
  AddIfSet(out, "locale", LocaleClaim(p), a);
  AddIfSet(out, "preferred_username", p.Get("login"), a);
  AddIfSet(out, "given_name", p.Get("firstName"), a);
  AddIfSet(out, "middle_name", p.Get("middleName"), a);
  AddIfSet(out, "family_name", p.Get("lastName"), a);
  AddIfSet(out, "nickname", p.Get("nickName"), a);
  AddIfSet(out, "profile", p.Get("profileUrl"), a);
  std::string zone = p.Get("timezone");
  AddIfSet(out, "zoneinfo", zone.empty() ? "America/Los_Angeles" : zone, a);
  AddIfSet(out, "birthdate", p.Get("birthdate"), a);
  AddIfSet(out, "gender", p.Get("gender"), a);
  if (auto updated = ParseTimestamp(user.last_updated)) {
    out.AddMember("updated_at", *updated / 1000, a);
  }
}

void AddEmailScope(const Profile& p, json::Value& out, json::Allocator& a) {
  std::string email = p.Get("email");
  if (email.empty()) return;
  AddIfSet(out, "email", email, a);
  // mini-okta has no email verification step; an Okta user who can sign in has a verified one.
  out.AddMember("email_verified", true, a);
}

void AddAddressScope(const Profile& p, json::Value& out, json::Allocator& a) {
  json::Value address(rapidjson::kObjectType);
  AddIfSet(address, "street_address", p.Get("streetAddress"), a);
  AddIfSet(address, "locality", p.Get("city"), a);
  AddIfSet(address, "region", p.Get("state"), a);
  AddIfSet(address, "postal_code", p.Get("zipCode"), a);
  AddIfSet(address, "country", p.Get("countryCode"), a);
  if (address.MemberCount() > 0) out.AddMember("address", address, a);
}

void AddPhoneScope(const Profile& p, json::Value& out, json::Allocator& a) {
  std::string phone = p.Get("mobilePhone");
  AddIfSet(out, "phone_number", phone.empty() ? p.Get("primaryPhone") : phone, a);
}

}  // namespace

void AddUserinfoClaims(const UserRecord& user, const std::vector<std::string>& scopes,
                       json::Value& out, json::Allocator& alloc) {
  Profile p = ReadProfile(user);
  if (Contains(scopes, "profile")) AddProfileScope(user, p, out, alloc);
  if (Contains(scopes, "email")) AddEmailScope(p, out, alloc);
  if (Contains(scopes, "address")) AddAddressScope(p, out, alloc);
  if (Contains(scopes, "phone")) AddPhoneScope(p, out, alloc);
}

void AddThinIdTokenClaims(const UserRecord& user, const std::vector<std::string>& scopes,
                          json::Value& out, json::Allocator& alloc) {
  Profile p = ReadProfile(user);
  if (Contains(scopes, "profile")) {
    AddIfSet(out, "name", FullName(p), alloc);
    AddIfSet(out, "preferred_username", p.Get("login"), alloc);
  }
  if (Contains(scopes, "email")) AddIfSet(out, "email", p.Get("email"), alloc);
}

std::string UserLogin(const UserRecord& user) { return ReadProfile(user).Get("login"); }

}  // namespace userdesk::mini_okta::oidc
