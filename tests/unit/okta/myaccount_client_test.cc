// The MyAccount client's pure parts: its profile answer read into okta::User, and the Bearer
// challenge's error parameter that tells a missing scope from a sign-in too old.
#include "okta/myaccount_client.h"

#include <gtest/gtest.h>

namespace userdesk::okta {
namespace {

TEST(ParseMyAccountProfile, ReadsTheProfileAsTheUsersApiDoes) {
  auto user = ParseMyAccountProfile(
      R"({"createdAt":"2026-01-01T10:00:00.000Z","modifiedAt":"2026-01-02T10:00:00.000Z",)"
      R"("profile":{"login":"demo@example.com","firstName":"Demo","favoriteColor":null,)"
      R"("age":42,"vip":true,"langs":["en","fr"]},"_links":{"self":{"href":"x"}}})");
  ASSERT_TRUE(user.ok()) << user.error().detail;
  EXPECT_EQ(user->id, "");
  EXPECT_EQ(user->created, "2026-01-01T10:00:00.000Z");
  EXPECT_EQ(user->last_updated, "2026-01-02T10:00:00.000Z");
  EXPECT_EQ(user->last_updated_ms, 1767348000000);
  EXPECT_EQ(user->Attribute("firstName"), "Demo");
  EXPECT_EQ(user->profile.count("favoriteColor"), 0u);  // null: left out, as ParseUser does
  EXPECT_EQ(user->Attribute("age"), "42");
  EXPECT_EQ(user->Attribute("vip"), "true");
  EXPECT_EQ(user->Attribute("langs"), "en, fr");
  // the same attributes as the Users API's reading of the same profile
  auto admin = ParseUser(R"({"id":"00u1","profile":{"login":"demo@example.com","firstName":"Demo",)"
                         R"("favoriteColor":null,"age":42,"vip":true,"langs":["en","fr"]}})");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->profile, user->profile);
  auto with_id = ParseMyAccountProfile(R"({"id":"00u9","profile":{}})");
  ASSERT_TRUE(with_id.ok());
  EXPECT_EQ(with_id->id, "00u9");
}

TEST(ParseMyAccountProfile, RefusesWhatIsNotAProfile) {
  EXPECT_FALSE(ParseMyAccountProfile("[]").ok());
  EXPECT_FALSE(ParseMyAccountProfile(R"({"profile":"x"})").ok());
  EXPECT_FALSE(ParseMyAccountProfile("").ok());
}

TEST(BearerError, ReadsTheErrorParameterOnly) {
  EXPECT_EQ(BearerError(R"(Bearer authorization_uri="https://o/oauth2/v1/authorize", )"
                        R"(realm="https://o", scope="okta.myAccount.profile.manage", )"
                        R"(error="insufficient_scope", error_description="The access token )"
                        R"(provided does not contain the required scopes.", resource="/x")"),
            "insufficient_scope");
  EXPECT_EQ(
      BearerError(R"(Bearer realm="IdpMyAccountAPI", error="insufficient_authentication_context", )"
                  R"(error_description="...", max_age=900)"),
      "insufficient_authentication_context");
  EXPECT_EQ(BearerError(R"(Bearer error_description="error=\"x\"", error=invalid_token)"),
            "invalid_token");
  EXPECT_EQ(BearerError(R"(Bearer realm="error=\"nope\"")"), "");
  EXPECT_EQ(BearerError(""), "");
}

}  // namespace
}  // namespace userdesk::okta
