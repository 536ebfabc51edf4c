// The list-users query languages:
//   filter  Okta's limited expression: status, id, lastUpdated, profile.login/email/firstName/
//           lastName; eq, plus gt/ge/lt/le on lastUpdated; and/or; parentheses.
//   search  the richer one: any profile attribute (custom too), id, status, created, activated,
//           statusChanged, lastUpdated, lastLogin; eq sw gt ge lt le pr; case-insensitive values.
//   q       starts-with on firstName, lastName, email and login.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mini_okta/store/store.h"

namespace userdesk::mini_okta {

class UserFilter {
 public:
  enum class Syntax { kFilter, kSearch };

  // nullopt when the expression is not valid syntax or uses an attribute or operator the syntax
  // does not allow (Okta answers that with 400 E0000031).
  static std::optional<UserFilter> Parse(std::string_view expression,
                                         Syntax syntax = Syntax::kFilter);
  bool Matches(const UserRecord& user) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

// q: a case-insensitive starts-with match on firstName, lastName, email or login.
bool MatchesQuery(const UserRecord& user, std::string_view q);

}  // namespace userdesk::mini_okta
