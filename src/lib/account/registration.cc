#include "account/registration.h"

namespace userdesk::account {

okta::NewUser NewUserFrom(const form::Filled& registration) {
  const auto& v = registration.values;
  okta::NewUser user;
  user.profile = {{"firstName", v.at("firstName")},
                  {"lastName", v.at("lastName")},
                  {"email", v.at("email")},
                  {"login", v.at("email")}};
  user.password = v.at("password");
  return user;
}

std::vector<std::string> AssignRegistrationCauses(const std::vector<std::string>& causes,
                                                  std::map<std::string, std::string>* errors) {
  std::vector<std::string> general = form::AssignOktaCauses(kRegistrationFields, causes, errors);
  // "login: An object with this field already exists in the current organization"
  if (auto email = errors->find("email");
      email != errors->end() && email->second.find("already exists") != std::string::npos) {
    email->second =
        "An account with this email address already exists. Sign in, or reset your password if "
        "you have forgotten it.";
  }
  return general;
}

}  // namespace userdesk::account
