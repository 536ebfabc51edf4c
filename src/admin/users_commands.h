// userdesk-admin users ...: find, show and list users (paging over Okta's Link header), and
// change their status with Okta's lifecycle operations: suspend, unsuspend, deactivate,
// reactivate, reset-password, and delete, which Okta allows only once a user is deactivated.
// Every call goes through okta::UsersClient with USER_PROFILE_TOKEN.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace userdesk::admin {

// words: what follows "users". Returns the exit code.
int UsersCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace userdesk::admin
