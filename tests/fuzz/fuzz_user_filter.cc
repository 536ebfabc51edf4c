// The filter and search expressions of GET /api/v1/users come from whoever holds an API token:
// whatever goes in, mini-okta's parser must answer (a filter or nullopt, never a crash or a
// hang), and a parsed filter must judge a user the same way every time.
#include <cstdint>
#include <string_view>

#include "mini_okta/management/user_filter.h"

namespace {

using userdesk::mini_okta::UserFilter;
using userdesk::mini_okta::UserRecord;

UserRecord SampleUser() {
  UserRecord user;
  user.id = "00u1a2b3c4D5e6F7g8h9";
  user.status = "ACTIVE";
  user.created = user.activated = user.status_changed = "2024-03-01T09:00:00.000Z";
  user.last_updated = "2024-05-20T16:02:44.000Z";
  user.profile_json =
      R"({"login":"ada@example.com","email":"ada@example.com","firstName":"Ada",)"
      R"("lastName":"Lovelace","city":"London","zipCode":"02139","tags":["a","b"],"age":36})";
  return user;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const UserRecord user = SampleUser();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (UserFilter::Syntax syntax : {UserFilter::Syntax::kFilter, UserFilter::Syntax::kSearch}) {
    auto first = UserFilter::Parse(input, syntax);
    auto again = UserFilter::Parse(input, syntax);
    if (first.has_value() != again.has_value()) __builtin_trap();
    if (first && first->Matches(user) != again->Matches(user)) __builtin_trap();
  }
  userdesk::mini_okta::MatchesQuery(user, input);
  return 0;
}
