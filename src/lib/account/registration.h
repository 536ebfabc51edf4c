// Registration and the password-reset request as forms: their fields (the tutorial's), the Okta
// user a registration creates, and what Okta's refusal of one means for each field.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "form/fields.h"
#include "okta/users_client.h"

namespace userdesk::account {

using form::InputType;

// The tutorial's sign-up fields. Email is also the Okta login (so Okta's causes about "login"
// go beside it). The password is not trimmed, never shown back, and 72 characters at most,
// Okta's limit; its policy is the org's and Okta checks it.
inline constexpr form::FieldSpec kRegistrationFields[] = {
    {"firstName", "First Name", InputType::kText, true, 50, "given-name"},
    {"lastName", "Last Name", InputType::kText, true, 50, "family-name"},
    {"email", "Email", InputType::kEmail, true, 100, "email", "login"},
    {"password", "Password", InputType::kPassword, true, 72, "new-password"},
};

// The reset request asks for the address only.
inline constexpr form::FieldSpec kResetFields[] = {
    {"email", "Email", InputType::kEmail, true, 100, "email"},
};

// The Okta user a checked registration creates: login and email are the address.
okta::NewUser NewUserFrom(const form::Filled& registration);

// Okta's causes for a refused registration, beside the fields they name (see
// form::AssignOktaCauses), with a taken login said plainly with what to do instead. Returns the
// causes that name no field.
std::vector<std::string> AssignRegistrationCauses(const std::vector<std::string>& causes,
                                                  std::map<std::string, std::string>* errors);

}  // namespace userdesk::account
