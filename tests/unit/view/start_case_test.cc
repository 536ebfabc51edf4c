#include "view/start_case.h"

#include <gtest/gtest.h>

namespace userdesk::view {
namespace {

// Every expected value was produced by lodash 4.17's startCase (the tutorial's dashboard).
TEST(StartCase, MatchesLodashOnProfileAttributeNames) {
  const std::pair<const char*, const char*> cases[] = {
      {"favoriteColor", "Favorite Color"},
      {"zipCode", "Zip Code"},
      {"streetAddress", "Street Address"},
      {"login", "Login"},
      {"email", "Email"},
      {"firstName", "First Name"},
      {"countryCode", "Country Code"},
      {"postalAddress", "Postal Address"},
      {"mobilePhone", "Mobile Phone"},
      {"employeeNumber", "Employee Number"},
      {"honorificPrefix", "Honorific Prefix"},
      {"displayName", "Display Name"},
      {"nickName", "Nick Name"},
      {"profileUrl", "Profile Url"},
      {"x", "X"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(StartCase(in), want) << in;
}

TEST(StartCase, MatchesLodashOnAcronymsDigitsAndSeparators) {
  const std::pair<const char*, const char*> cases[] = {
      {"XMLHttpRequest", "XML Http Request"},
      {"HTMLParser", "HTML Parser"},
      {"userID", "User ID"},
      {"ALLCAPS", "ALLCAPS"},
      {"iPhone", "I Phone"},
      {"eMail", "E Mail"},
      {"address2", "Address 2"},
      {"customAttr9", "Custom Attr 9"},
      {"a1b2", "A 1 B 2"},
      {"abc123def", "Abc 123 Def"},
      {"2ndLine", "2nd Line"},
      {"1st", "1st"},
      {"__FOO_BAR__", "FOO BAR"},
      {"foo-bar", "Foo Bar"},
      {"my_custom_attr", "My Custom Attr"},
      {"fooBar", "Foo Bar"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(StartCase(in), want) << in;
}

TEST(StartCase, KeepsNonAsciiBytesInsideWords) {
  EXPECT_EQ(StartCase("caf\xC3\xA9Name"), "Caf\xC3\xA9 Name");
  EXPECT_EQ(StartCase("  spaced   out  "), "Spaced Out");
}

}  // namespace
}  // namespace userdesk::view
