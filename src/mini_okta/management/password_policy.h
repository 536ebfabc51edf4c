// Okta's default password policy (what a new developer org enforces): at least 8 characters, a
// lower-case letter, an upper-case letter, a digit, and no part of the username. Violations are
// reported with Okta's wording, which lists the whole policy rather than the rule that failed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace userdesk::mini_okta {

// The errorCause text for a password that breaks the policy, or nullopt when it complies.
// login is the user's profile.login (its parts of 4+ characters must not appear).
std::optional<std::string> CheckPasswordPolicy(std::string_view password, std::string_view login);

// "Password requirements: at least 8 characters, ..." as shown on mini-okta's own forms.
std::string PasswordRequirementsText();

}  // namespace userdesk::mini_okta
