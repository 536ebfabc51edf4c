// userdesk-admin sessions ...: a user's sessions, userdesk's and Okta's. `list` shows the
// active sessions the session registry holds (session/registry.h, opened as the responders open
// it); `end` ends all of them and, with DELETE /api/v1/users/{id}/sessions, the user's Okta
// sessions, so the next sign-in asks for the password. USER is resolved through Okta
// (USER_PROFILE_TOKEN), as users show resolves it.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace userdesk::admin {

// The directory the units' StateDirectory=userdesk names: where the registry is when neither
// SESSION_STORE nor STATE_DIRECTORY says otherwise (the admin runs outside the unit).
inline constexpr char kDefaultStateDirectory[] = "/var/lib/userdesk";

// words: what follows "sessions". Returns the exit code.
int SessionsCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace userdesk::admin
