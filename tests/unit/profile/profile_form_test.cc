#include "profile/profile_form.h"

#include <gtest/gtest.h>

namespace userdesk::profile {
namespace {

constexpr int64_t kNow = 1'800'000'000;  // 2027-01-15 UTC

http::Params ValidForm() {
  return {{"csrf", "token"},     {"firstName", "Ada"},        {"lastName", "Lovelace"},
          {"streetAddress", ""}, {"city", "London"},          {"state", ""},
          {"zipCode", "NW1"},    {"birthdate", "1985-12-10"}, {"favoriteColor", "green"}};
}

// form with name's value replaced (as a browser sends each field once)
void Set(http::Params& form, const std::string& name, const std::string& value) {
  form.erase(name);
  form.emplace(name, value);
}

TEST(ProfileFields, TheTutorialsFieldsInOrder) {
  std::vector<std::string_view> names;
  for (const auto& f : kProfileFields) names.push_back(f.name);
  EXPECT_EQ(names,
            (std::vector<std::string_view>{"firstName", "lastName", "streetAddress", "city",
                                           "state", "zipCode", "birthdate", "favoriteColor"}));
  EXPECT_TRUE(FindTutorialField("firstName")->required);
  EXPECT_TRUE(FindTutorialField("lastName")->required);
  EXPECT_FALSE(FindTutorialField("city")->required);
  EXPECT_EQ(FindTutorialField("birthdate")->type, InputType::kDate);
  EXPECT_EQ(FindTutorialField("login"), nullptr);
  EXPECT_EQ(FindTutorialField("email"), nullptr);
}

TEST(ReadSubmission, AcceptsAValidFormAndTrims) {
  http::Params form = ValidForm();
  Set(form, "city", "  London \t");
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.values.at("city"), "London");
  EXPECT_EQ(s.values.at("state"), "");
  EXPECT_TRUE(s.ignored.empty());
}

TEST(ReadSubmission, RefusesUnlistedFieldsWithoutTouchingThem) {
  http::Params form = ValidForm();
  form.emplace("login", "evil@example.com");
  form.emplace("email", "evil@example.com");
  form.emplace("profile[admin]", "true");
  form.emplace("shown.login", "x");  // a shown.* for an unlisted name is unlisted too
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ignored,
            (std::vector<std::string>{"email", "login", "profile[admin]", "shown.login"}));
  EXPECT_EQ(s.values.count("login"), 0u);
  EXPECT_EQ(s.values.count("email"), 0u);
  for (const auto& change : ChangedFields(*TutorialSchema(), s, okta::User{})) {
    EXPECT_NE(change.first, "login");
    EXPECT_NE(change.first, "email");
  }
}

TEST(ReadSubmission, RequiredFieldsMustBeFilled) {
  http::Params form = ValidForm();
  form.erase("firstName");
  Set(form, "lastName", "   ");
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.errors.at("firstName"), "Enter your first name.");
  EXPECT_EQ(s.errors.at("lastName"), "Enter your last name.");
  EXPECT_EQ(s.errors.size(), 2u);
  EXPECT_EQ(s.values.at("city"), "London");  // the rest of the input is kept
}

TEST(ReadSubmission, LengthsCountCharactersAsOktaDoes) {
  http::Params form = ValidForm();
  std::string fifty_e_acute;
  for (int i = 0; i < 50; i++) fifty_e_acute += "\xC3\xA9";  // 100 bytes, 50 characters
  Set(form, "firstName", fifty_e_acute);
  Set(form, "zipCode", std::string(51, '9'));
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  EXPECT_EQ(s.errors.count("firstName"), 0u);
  EXPECT_EQ(s.errors.at("zipCode"), "Zip Code can be at most 50 characters.");
}

TEST(ReadSubmission, RefusesControlCharactersAndBrokenUtf8) {
  http::Params form = ValidForm();
  Set(form, "city", std::string("Lon\x01") + "don");
  Set(form, "state", "\xC3(");
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  EXPECT_EQ(s.errors.at("city"), "City contains characters that are not allowed.");
  EXPECT_EQ(s.errors.at("state"), "State contains characters that are not allowed.");
}

TEST(ReadSubmission, BirthdateMustBeARealPastDay) {
  const std::pair<const char*, const char*> cases[] = {
      {"2000-02-29", nullptr},  // leap year
      {"1900-02-29", "Birthday must be a date, written YYYY-MM-DD."},
      {"2001-02-29", "Birthday must be a date, written YYYY-MM-DD."},
      {"2001-13-01", "Birthday must be a date, written YYYY-MM-DD."},
      {"2001-04-31", "Birthday must be a date, written YYYY-MM-DD."},
      {"01/04/1990", "Birthday must be a date, written YYYY-MM-DD."},
      {"1990-4-1", "Birthday must be a date, written YYYY-MM-DD."},
      {"1899-12-31", "Birthday must be in 1900 or later."},
      {"2027-01-16", "Birthday cannot be in the future."},
      {"2027-01-15", nullptr},
  };
  for (const auto& [value, want] : cases) {
    http::Params form = ValidForm();
    Set(form, "birthdate", value);
    Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
    if (want == nullptr) {
      EXPECT_EQ(s.errors.count("birthdate"), 0u) << value;
    } else {
      EXPECT_EQ(s.errors["birthdate"], want) << value;
    }
  }
}

TEST(ReadSubmission, AValueLeftAsShownIsNotCheckedAgain) {
  // Okta holds "April 1" (written by another app): leaving it alone must not block a save
  http::Params form = ValidForm();
  Set(form, "birthdate", "April 1");
  form.emplace("shown.birthdate", "April 1");
  EXPECT_TRUE(ReadSubmission(*TutorialSchema(), form, kNow).ok());
  // but a required field emptied in Okta still has to be filled
  form.erase("firstName");
  form.emplace("shown.firstName", "");
  EXPECT_EQ(ReadSubmission(*TutorialSchema(), form, kNow).errors.count("firstName"), 1u);
}

TEST(ChangedFields, OnlyWhatDiffersFromWhatTheFormShowed) {
  http::Params form = ValidForm();
  for (const auto& f : kProfileFields) {
    std::string name(f.name);
    form.emplace("shown." + name, form.find(name)->second);
  }
  // this tab changes the city and empties the favourite colour; another tab meanwhile changed
  // the last name in Okta, which this form still shows as it was
  Set(form, "city", "Paris");
  Set(form, "favoriteColor", "");
  okta::User current;
  current.profile = {{"lastName", "Byron"}, {"city", "London"}, {"favoriteColor", "green"}};
  Submission s = ReadSubmission(*TutorialSchema(), form, kNow);
  ASSERT_TRUE(s.ok());
  auto changes = ChangedFields(*TutorialSchema(), s, current);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (okta::ProfileChange{"city", "Paris"}));
  EXPECT_EQ(changes[1], (okta::ProfileChange{"favoriteColor", std::nullopt}));  // cleared
}

TEST(ChangedFields, WithoutShownValuesComparesWithOktasCopy) {
  okta::User current;
  current.profile = {{"firstName", "Ada"}, {"lastName", "Lovelace"},    {"city", "London"},
                     {"zipCode", "NW1"},   {"birthdate", "1985-12-10"}, {"favoriteColor", "blue"}};
  Submission s = ReadSubmission(*TutorialSchema(), ValidForm(), kNow);
  auto changes = ChangedFields(*TutorialSchema(), s, current);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (okta::ProfileChange{"favoriteColor", "green"}));
}

TEST(AssignOktaCauses, NamedFieldsGoBesideTheFieldTheRestToTheTop) {
  std::map<std::string, std::string> errors;
  auto general = AssignOktaCauses(
      *TutorialSchema(),
      {"firstName: The field cannot be left blank",
       "Property name 'favoriteColor' is not defined in profile",
       "login: An object with this field already exists in the current organization",
       "Something else went wrong"},
      &errors);
  EXPECT_EQ(errors.at("firstName"), "First Name: The field cannot be left blank");
  EXPECT_NE(errors.at("favoriteColor").find("Favorite Color cannot be saved"), std::string::npos);
  EXPECT_EQ(errors.count("login"), 0u);
  EXPECT_EQ(general, (std::vector<std::string>{
                         "login: An object with this field already exists in the current "
                         "organization",
                         "Something else went wrong"}));
}

}  // namespace
}  // namespace userdesk::profile
