// Url-encoded bodies and query strings, decoded by cgicc, then read as a posted profile form and
// as a registration (the account forms).
#include <cstdint>
#include <string_view>

#include "account/registration.h"
#include "http/cgi_parse.h"
#include "profile/profile_form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = userdesk::http::ParseUrlEncoded(input);
  // every pair needs at least one byte of input
  if (params.size() > size) __builtin_trap();

  namespace profile = userdesk::profile;
  std::shared_ptr<const profile::ProfileSchema> schema = profile::TutorialSchema();
  profile::Submission s = profile::ReadSubmission(*schema, params, 1'800'000'000);
  // only the form's writable attributes are ever read or changed
  if (s.values.size() != schema->fields().size()) __builtin_trap();
  for (const auto& [name, value] : s.values) {
    if (schema->Find(name) == nullptr) __builtin_trap();
  }
  for (const auto& change : profile::ChangedFields(*schema, s, userdesk::okta::User{})) {
    if (schema->Find(change.first) == nullptr) __builtin_trap();
  }
  // the same bytes as Okta's error causes
  std::map<std::string, std::string> errors;
  std::vector<std::string> causes;
  for (const auto& [name, value] : params) causes.push_back(name + ": " + value);
  profile::AssignOktaCauses(*schema, causes, &errors);
  for (const auto& [name, message] : errors) {
    if (schema->Find(name) == nullptr) __builtin_trap();
  }

  // a registration: only its four fields are read, the password never trimmed, and a form that
  // passes the checks becomes a user whose login is its email
  namespace account = userdesk::account;
  userdesk::form::Filled filled =
      userdesk::form::ReadFields(account::kRegistrationFields, params, "2026-11-27");
  if (filled.values.size() != std::size(account::kRegistrationFields)) __builtin_trap();
  if (filled.ok()) {
    userdesk::okta::NewUser user = account::NewUserFrom(filled);
    if (user.profile.at("login") != user.profile.at("email")) __builtin_trap();
    if (!userdesk::form::LooksLikeEmail(user.profile.at("login"))) __builtin_trap();
    auto posted = params.find("password");
    if (posted == params.end() || posted->second != user.password) __builtin_trap();
  }
  errors.clear();
  account::AssignRegistrationCauses(causes, &errors);
  for (const auto& [name, message] : errors) {
    if (userdesk::form::FindField(account::kRegistrationFields, name) == nullptr) __builtin_trap();
  }
  return 0;
}
