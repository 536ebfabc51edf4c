#include "account/registration.h"

#include <gtest/gtest.h>

namespace userdesk::account {
namespace {

TEST(Registration, TheNewUserUsesTheAddressAsLoginAndSendsThePasswordAsTyped) {
  form::Filled filled = form::ReadFields(kRegistrationFields,
                                         http::Params{{"firstName", " Ada "},
                                                      {"lastName", "Lovelace"},
                                                      {"email", "ada@example.com"},
                                                      {"password", " Engine-1843 "},
                                                      {"login", "root@example.com"},
                                                      {"groupIds", "00gadmins"}},
                                         "2026-11-27");
  ASSERT_TRUE(filled.ok());
  okta::NewUser user = NewUserFrom(filled);
  EXPECT_EQ(user.profile, (std::map<std::string, std::string>{{"email", "ada@example.com"},
                                                              {"firstName", "Ada"},
                                                              {"lastName", "Lovelace"},
                                                              {"login", "ada@example.com"}}));
  EXPECT_EQ(user.password, " Engine-1843 ");
}

TEST(Registration, EveryFieldIsRequired) {
  form::Filled filled = form::ReadFields(kRegistrationFields, http::Params{}, "2026-11-27");
  EXPECT_EQ(filled.errors.size(), 4u);
  EXPECT_EQ(filled.errors.at("password"), "Enter your password.");
}

TEST(Registration, OktaCausesGoBesideTheirFieldsATakenLoginSaidPlainly) {
  std::map<std::string, std::string> errors;
  std::vector<std::string> general = AssignRegistrationCauses(
      {"login: An object with this field already exists in the current organization",
       "password: Password requirements were not met. Password requirements: at least 8 "
       "characters, a lowercase letter, an uppercase letter, a number, no parts of your "
       "username.",
       "groupIds: too many"},
      &errors);
  EXPECT_EQ(errors.at("email"),
            "An account with this email address already exists. Sign in, or reset your "
            "password if you have forgotten it.");
  EXPECT_TRUE(errors.at("password").starts_with("Password requirements were not met."));
  EXPECT_EQ(general, std::vector<std::string>{"groupIds: too many"});
}

}  // namespace
}  // namespace userdesk::account
