// Okta's Users API and MyAccount API answers (a user, a MyAccount profile, or Okta's error
// object), its rate-limit headers and a Bearer challenge's WWW-Authenticate come from the
// network: any bytes must parse to a well-formed value or be refused, never crash.
#include <cstdint>
#include <string_view>

#include "okta/myaccount_client.h"
#include "okta/users_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto user = userdesk::okta::ParseUser(text);
  if (user.ok()) {
    if (user->id.empty()) __builtin_trap();
    for (const auto& [name, value] : user->profile) {
      if (&user->Attribute(name) != &value) __builtin_trap();
    }
    if (!user->Attribute("").empty() && user->profile.count("") == 0) __builtin_trap();
  }
  auto error = userdesk::okta::ParseOktaError(text, 400);
  if (error) {
    if (error->error_code.empty() || error->http_status != 400) __builtin_trap();
    if (error->causes.size() > size) __builtin_trap();
  }
  auto profile = userdesk::okta::ParseMyAccountProfile(text);
  if (profile.ok()) {
    for (const auto& [name, value] : profile->profile) {
      if (&profile->Attribute(name) != &value) __builtin_trap();
    }
  }
  // the same bytes as a WWW-Authenticate header: the error parameter is a part of it
  if (userdesk::okta::BearerError(text).size() > size) __builtin_trap();
  // the same bytes as an X-Rate-Limit-Reset and a Date header
  auto wait = userdesk::okta::RateLimitWaitMs(text, text, 1'800'000'000'000);
  if (wait && *wait < 0) __builtin_trap();
  userdesk::http::ParseHttpDate(text);
  return 0;
}
