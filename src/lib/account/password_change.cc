#include "account/password_change.h"

#include <string_view>

namespace userdesk::account {
namespace {

constexpr std::string_view kWrongPassword = "E0000014";  // "Update of credentials failed"
constexpr std::string_view kPolicy = "E0000080";         // complexity, history, minimum age

bool Names(const std::string& cause, std::string_view attribute) {
  return cause.size() > attribute.size() + 1 && cause.compare(0, attribute.size(), attribute) == 0 &&
         cause[attribute.size()] == ':';
}

std::string AfterName(const std::string& cause) {
  size_t colon = cause.find(':');
  size_t start = cause.find_first_not_of(' ', colon + 1);
  return start == std::string::npos ? cause : cause.substr(start);
}

}  // namespace

void CheckNewPassword(form::Filled* filled) {
  const std::string& old_password = form::ValueOf(filled->values, "oldPassword");
  const std::string& new_password = form::ValueOf(filled->values, "newPassword");
  const std::string& confirmation = form::ValueOf(filled->values, "confirmPassword");
  if (!filled->errors.count("confirmPassword") && !new_password.empty() &&
      confirmation != new_password) {
    filled->errors["confirmPassword"] = "This does not match the new password.";
  }
  if (!filled->errors.count("newPassword") && !new_password.empty() &&
      new_password == old_password) {
    filled->errors["newPassword"] = "Choose a password different from the current one.";
  }
}

std::optional<std::string> AssignPasswordChangeCauses(const okta::Failure& failure,
                                                      std::map<std::string, std::string>* errors) {
  if (!failure.okta) return std::nullopt;
  const okta::OktaError& okta = *failure.okta;
  bool policy = okta.error_code == kPolicy;
  if (okta.error_code != kWrongPassword && !policy && okta.error_code != "E0000001") {
    return std::nullopt;
  }
  bool assigned = false;
  for (const std::string& cause : okta.causes) {
    if (Names(cause, "oldPassword")) {
      (*errors)["oldPassword"] = "The current password is not correct.";
      assigned = true;
    } else if (Names(cause, "password") || Names(cause, "newPassword")) {
      (*errors)["newPassword"] = AfterName(cause);
      assigned = true;
    } else if (policy) {
      (*errors)["newPassword"] = cause;
      assigned = true;
    }
  }
  if (!assigned && policy) {
    (*errors)["newPassword"] = okta.error_summary;
    assigned = true;
  }
  if (!assigned) return std::nullopt;  // E0000014 or E0000001 about nothing typed here
  return std::string("Your password was not changed. Please correct the fields marked below.");
}

}  // namespace userdesk::account
