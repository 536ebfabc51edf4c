#include "account/password_change.h"

#include <gtest/gtest.h>

namespace userdesk::account {
namespace {

form::Filled Typed(const std::string& old_password, const std::string& new_password,
                   const std::string& confirmation) {
  http::Params form{{"oldPassword", old_password},
                    {"newPassword", new_password},
                    {"confirmPassword", confirmation}};
  form::Filled filled = form::ReadFields(kPasswordChangeFields, form, "2026-12-04");
  CheckNewPassword(&filled);
  return filled;
}

okta::Failure Refusal(long status, const std::string& code, std::vector<std::string> causes) {
  okta::Failure failure{MakeError(ErrorCode::kUpstreamUnavailable, "refused"), std::nullopt, 0};
  failure.okta = okta::OktaError{status, code, "Update of credentials failed", "oae1",
                                 std::move(causes)};
  return failure;
}

TEST(PasswordChange, TheNewPasswordIsConfirmedAndDiffersFromTheCurrentOne) {
  EXPECT_TRUE(Typed("old secret 1", "new secret 2", "new secret 2").ok());
  form::Filled mismatch = Typed("old secret 1", "new secret 2", "new secret 3");
  EXPECT_EQ(mismatch.errors.at("confirmPassword"), "This does not match the new password.");
  form::Filled same = Typed("same secret", "same secret", "same secret");
  EXPECT_EQ(same.errors.at("newPassword"), "Choose a password different from the current one.");
  form::Filled missing = Typed("", "new secret 2", "new secret 2");
  EXPECT_TRUE(missing.errors.count("oldPassword"));
  // kept exactly as typed: a space is part of a password
  EXPECT_EQ(Typed(" old ", "new secret", "new secret").values.at("oldPassword"), " old ");
}

TEST(PasswordChange, OktasRefusalsGoBesideTheFieldTheyConcern) {
  std::map<std::string, std::string> errors;
  auto wrong = AssignPasswordChangeCauses(
      Refusal(403, "E0000014", {"oldPassword: The credentials provided were incorrect."}), &errors);
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(errors.at("oldPassword"), "The current password is not correct.");

  errors.clear();
  auto weak = AssignPasswordChangeCauses(
      Refusal(403, "E0000014",
              {"password: Password requirements were not met. At least 8 characters."}),
      &errors);
  ASSERT_TRUE(weak.has_value());
  EXPECT_EQ(errors.at("newPassword"), "Password requirements were not met. At least 8 characters.");

  errors.clear();
  auto policy = AssignPasswordChangeCauses(
      Refusal(403, "E0000080", {"Password cannot be your current password"}), &errors);
  ASSERT_TRUE(policy.has_value());
  EXPECT_EQ(errors.at("newPassword"), "Password cannot be your current password");
}

TEST(PasswordChange, FailuresThatAreNotAboutWhatWasTypedAreLeftToTheErrorPage) {
  std::map<std::string, std::string> errors;
  okta::Failure down{MakeError(ErrorCode::kUnavailable, "connect"), std::nullopt, 0};
  EXPECT_FALSE(AssignPasswordChangeCauses(down, &errors).has_value());
  EXPECT_FALSE(AssignPasswordChangeCauses(Refusal(403, "E0000006", {}), &errors).has_value());
  EXPECT_FALSE(AssignPasswordChangeCauses(Refusal(403, "E0000014", {}), &errors).has_value());
  EXPECT_TRUE(errors.empty());
}

}  // namespace
}  // namespace userdesk::account
