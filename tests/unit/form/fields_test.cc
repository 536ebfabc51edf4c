#include "form/fields.h"

#include <gtest/gtest.h>

namespace userdesk::form {
namespace {

constexpr FieldSpec kFields[] = {
    {"firstName", "First Name", InputType::kText, true, 5, "given-name"},
    {"email", "Email", InputType::kEmail, true, 40, "email", "login"},
    {"password", "Password", InputType::kPassword, true, 20, "new-password"},
    {"birthdate", "Birthday", InputType::kDate, false, 10, "bday"},
};
const std::string kToday = "2026-11-27";

TEST(LooksLikeEmail, AcceptsAddressesAndRefusesWhatIsNotOne) {
  for (const char* good : {"ada@example.com", "a.b+tag@mail.example.co.uk", "x@a-b.io",
                           "o'neil@example.com", "1@2.3"}) {
    EXPECT_TRUE(LooksLikeEmail(good)) << good;
  }
  for (const char* bad :
       {"", "ada", "@example.com", "ada@", "ada@localhost", "ada@example..com", "ada@-example.com",
        "ada@example-.com", "ada@exa_mple.com", "ada lovelace@example.com", "ada@example.com ",
        "a@b@example.com", "ada@ex ample.com", "ad\xc3\xa1@example.com", "ada@.com",
        "ada@example.com."}) {
    EXPECT_FALSE(LooksLikeEmail(bad)) << bad;
  }
  EXPECT_FALSE(LooksLikeEmail(std::string(65, 'a') + "@example.com")) << "local part over 64";
}

TEST(CheckValue, RequiredLengthCharactersDatesAndEmails) {
  EXPECT_EQ(CheckValue(kFields[0], "", kToday), "Enter your first name.");
  EXPECT_EQ(CheckValue(kFields[0], "Ada", kToday), "");
  EXPECT_EQ(CheckValue(kFields[0], "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", kToday), "")
      << "five characters, ten bytes";
  EXPECT_EQ(CheckValue(kFields[0], "Adaaaa", kToday), "First Name can be at most 5 characters.");
  EXPECT_EQ(CheckValue(kFields[0], "A\tb", kToday),
            "First Name contains characters that are not allowed.");
  EXPECT_EQ(CheckValue(kFields[0], "\xff", kToday),
            "First Name contains characters that are not allowed.");
  EXPECT_EQ(CheckValue(kFields[1], "ada@example", kToday),
            "Enter an email address like name@example.com.");
  EXPECT_EQ(CheckValue(kFields[1], "ada@example.com", kToday), "");
  EXPECT_EQ(CheckValue(kFields[3], "", kToday), "") << "optional";
  EXPECT_EQ(CheckValue(kFields[3], "2026-02-30", kToday),
            "Birthday must be a date, written YYYY-MM-DD.");
  EXPECT_EQ(CheckValue(kFields[3], "2026-11-28", kToday), "Birthday cannot be in the future.");
  EXPECT_EQ(CheckValue(kFields[3], "1899-12-31", kToday), "Birthday must be in 1900 or later.");
}

TEST(ReadFields, TrimsEverythingButThePasswordAndReadsOnlyItsFields) {
  http::Params posted{{"firstName", "  Ada "},
                      {"email", " ada@example.com\t"},
                      {"password", " secret pass "},
                      {"login", "admin@example.com"},
                      {"csrf", "t"}};
  Filled filled = ReadFields(kFields, posted, kToday);
  EXPECT_TRUE(filled.ok()) << filled.errors.begin()->second;
  EXPECT_EQ(filled.values.at("firstName"), "Ada");
  EXPECT_EQ(filled.values.at("email"), "ada@example.com");
  EXPECT_EQ(filled.values.at("password"), " secret pass ");
  EXPECT_EQ(filled.values.at("birthdate"), "");
  EXPECT_EQ(filled.values.count("login"), 0u);
  EXPECT_EQ(filled.values.size(), std::size(kFields));

  Filled empty = ReadFields(kFields, http::Params{{"password", "   "}}, kToday);
  EXPECT_EQ(empty.errors.size(), 2u) << "first name and email; a password of spaces is typed";
  EXPECT_EQ(empty.errors.at("email"), "Enter your email.");
}

TEST(FieldView, NeverSendsAPasswordBackAndShowsABadDateAsText) {
  view::mustache::data password = FieldView(kFields[2], {{"password", "hunter2hunter2"}}, {});
  EXPECT_EQ(password.get("value")->string_value(), "");
  EXPECT_EQ(password.get("type")->string_value(), "password");
  EXPECT_EQ(password.get("autocomplete")->string_value(), "new-password");
  EXPECT_TRUE(password.get("required")->is_true());
  EXPECT_TRUE(password.get("has_error")->is_false());

  view::mustache::data date = FieldView(kFields[3], {{"birthdate", "April 1"}},
                                        {{"birthdate", "Birthday must be a date."}});
  EXPECT_EQ(date.get("type")->string_value(), "text");
  EXPECT_EQ(date.get("value")->string_value(), "April 1");
  EXPECT_TRUE(date.get("has_error")->is_true());
  EXPECT_EQ(date.get("error")->string_value(), "Birthday must be a date.");
  EXPECT_EQ(FieldView(kFields[3], {}, {}).get("type")->string_value(), "date");
  EXPECT_EQ(FieldView(kFields[3], {{"birthdate", "1990-01-02"}}, {}).get("type")->string_value(),
            "date");
  EXPECT_EQ(FieldView(kFields[1], {}, {}).get("max_length")->string_value(), "40");
}

TEST(AssignOktaCauses, ByNameByAlsoWritesAndTheRestToTheTop) {
  std::map<std::string, std::string> errors;
  std::vector<std::string> general = AssignOktaCauses(
      kFields,
      {"login: An object with this field already exists in the current organization",
       "password: Password requirements were not met. Password requirements: at least 8 "
       "characters.",
       "firstName: The field cannot be left blank",
       "Property name 'birthdate' is not defined "
       "in profile",
       "Something else entirely"},
      &errors);
  EXPECT_EQ(errors.at("email"),
            "Email: An object with this field already exists in the current organization");
  EXPECT_EQ(errors.at("password"),
            "Password requirements were not met. Password requirements: at least 8 characters.")
      << "no label in front of a message that starts with it";
  EXPECT_EQ(errors.at("firstName"), "First Name: The field cannot be left blank");
  EXPECT_NE(errors.at("birthdate").find("no such attribute"), std::string::npos);
  ASSERT_EQ(general.size(), 1u);
  EXPECT_EQ(general[0], "Something else entirely");
  EXPECT_EQ(FindField(kFields, "login"), &kFields[1]);
  EXPECT_EQ(FindField(kFields, "lastName"), nullptr);
}

TEST(Notices, OnlyWhatIsSetShows) {
  view::mustache::data page{view::mustache::data::type::object};
  Notices notices;
  notices.problem = "Please correct the fields marked below.";
  notices.problem_details = {"one"};
  notices.AddTo(&page);
  EXPECT_EQ(page.get("notice"), nullptr);
  EXPECT_EQ(page.get("warning"), nullptr);
  EXPECT_EQ(page.get("problem")->string_value(), "Please correct the fields marked below.");
  EXPECT_TRUE(page.get("has_problem_details")->is_true());
}

}  // namespace
}  // namespace userdesk::form
