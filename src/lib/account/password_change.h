// Changing one's password on the Security page: its fields, the checks made before Okta is asked,
// and what Okta's refusal means for each field. The typed passwords are never trimmed, shown
// back or logged (form::FieldView and okta::Send see to the last two).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "form/fields.h"
#include "okta/api_call.h"

namespace userdesk::account {

// Okta's limit on a password is 72 characters; its policy is the org's and Okta checks it.
inline constexpr form::FieldSpec kPasswordChangeFields[] = {
    {"oldPassword", "Current password", form::InputType::kPassword, true, 72, "current-password"},
    {"newPassword", "New password", form::InputType::kPassword, true, 72, "new-password",
     "password"},
    {"confirmPassword", "Confirm new password", form::InputType::kPassword, true, 72,
     "new-password"},
};

// What is checked before Okta is asked, beside the field it concerns: the confirmation matches,
// and the new password differs from the current one (Okta would refuse it with a less clear
// message).
void CheckNewPassword(form::Filled* filled);

// Okta's refusal of a change as the user should read it, beside the fields: a wrong current
// password (403 E0000014 naming oldPassword), a new password the org's policy refuses (E0000080,
// or a cause naming password or newPassword), each with Okta's words. nullopt when the failure is
// not about what was typed (a token refused, Okta down): the caller shows the error page's words.
// Otherwise the message for the top of the form.
std::optional<std::string> AssignPasswordChangeCauses(const okta::Failure& failure,
                                                      std::map<std::string, std::string>* errors);

}  // namespace userdesk::account
