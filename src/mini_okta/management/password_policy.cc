#include "mini_okta/management/password_policy.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "base/strings.h"

namespace userdesk::mini_okta {
namespace {

constexpr size_t kMinLength = 8;
// Okta documents the value as at most 72 characters (a bcrypt limit on its side).
constexpr size_t kMaxLength = 72;
// Shorter login parts ("a", "com") would forbid too much; Okta ignores parts under 4 characters.
constexpr size_t kMinUsernamePart = 4;

// The login split on Okta's delimiters: , . _ # @ -
std::vector<std::string> UsernameParts(std::string_view login) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : login) {
    if (std::string_view(",._#@-").find(c) != std::string_view::npos) {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  return parts;
}

bool ContainsUsernamePart(std::string_view password, std::string_view login) {
  std::string pw = AsciiLower(password);
  for (const std::string& part : UsernameParts(login)) {
    if (part.size() >= kMinUsernamePart && pw.find(AsciiLower(part)) != std::string::npos)
      return true;
  }
  return false;
}

bool Has(std::string_view s, int (*pred)(int)) {
  return std::any_of(s.begin(), s.end(),
                     [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::string PasswordRequirementsText() {
  return "Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, "
         "a number, no parts of your username.";
}

std::optional<std::string> CheckPasswordPolicy(std::string_view password, std::string_view login) {
  bool ok = password.size() >= kMinLength && password.size() <= kMaxLength &&
            Has(password, std::islower) && Has(password, std::isupper) &&
            Has(password, std::isdigit) && !ContainsUsernamePart(password, login);
  if (ok) return std::nullopt;
  return "password: Password requirements were not met. " + PasswordRequirementsText();
}

}  // namespace userdesk::mini_okta
