// Url-encoded bodies and query strings, decoded by cgicc, then read as a posted profile form.
#include <cstdint>
#include <string_view>

#include "http/cgi_parse.h"
#include "profile/profile_form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto params = userdesk::http::ParseUrlEncoded(input);
  // every pair needs at least one byte of input
  if (params.size() > size) __builtin_trap();

  namespace profile = userdesk::profile;
  profile::Submission s = profile::ReadSubmission(params, 1'800'000'000);
  // only listed attributes are ever read or changed
  if (s.values.size() != std::size(profile::kProfileFields)) __builtin_trap();
  for (const auto& [name, value] : s.values) {
    if (profile::FindField(name) == nullptr) __builtin_trap();
  }
  for (const auto& change : profile::ChangedFields(s, userdesk::okta::User{})) {
    if (profile::FindField(change.first) == nullptr) __builtin_trap();
  }
  // the same bytes as Okta's error causes
  std::map<std::string, std::string> errors;
  std::vector<std::string> causes;
  for (const auto& [name, value] : params) causes.push_back(name + ": " + value);
  profile::AssignOktaCauses(causes, &errors);
  for (const auto& [name, message] : errors) {
    if (profile::FindField(name) == nullptr) __builtin_trap();
  }
  return 0;
}
