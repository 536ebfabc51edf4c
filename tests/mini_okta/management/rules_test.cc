// Pure rules behind the API: the default password policy, the filter language, timestamps.
#include <gtest/gtest.h>

#include "mini_okta/management/okta_time.h"
#include "mini_okta/management/password_policy.h"
#include "mini_okta/management/user_filter.h"

namespace userdesk::mini_okta {
namespace {

TEST(PasswordPolicy, AcceptsACompliantPassword) {
  EXPECT_EQ(CheckPasswordPolicy("Str0ng-Passphrase", "ada.lovelace@example.com"), std::nullopt);
}

TEST(PasswordPolicy, RefusesEachRule) {
  const char* login = "ada.lovelace@example.com";
  for (const char* weak :
       {"Sh0rt!", "nouppercase1", "NOLOWERCASE1", "NoNumbers!!", "Lovelace-99", "EXAMPLE-x1y"}) {
    EXPECT_TRUE(CheckPasswordPolicy(weak, login).has_value()) << weak;
  }
  EXPECT_TRUE(CheckPasswordPolicy(std::string(73, 'a') + "A1", login).has_value());
  // Parts shorter than four characters ("ada", "com") may appear.
  EXPECT_EQ(CheckPasswordPolicy("Ada-com-9xyz", login), std::nullopt);
}

UserRecord User(const std::string& status, const std::string& login, const std::string& updated) {
  UserRecord u;
  u.id = "00u" + login.substr(0, 3);
  u.status = status;
  u.last_updated = updated;
  u.profile_json = R"({"login":")" + login + R"(","email":")" + login +
                   R"(","firstName":"Ada","lastName":"King"})";
  return u;
}

TEST(UserFilter, Expressions) {
  UserRecord ada = User("ACTIVE", "ada@example.com", "2024-05-01T10:00:00.000Z");
  auto eq = UserFilter::Parse(R"(status eq "ACTIVE")");
  ASSERT_TRUE(eq);
  EXPECT_TRUE(eq->Matches(ada));
  EXPECT_FALSE(eq->Matches(User("STAGED", "bob@example.com", "")));
  auto gt = UserFilter::Parse(
      R"(lastUpdated gt "2024-01-01T00:00:00.000Z" and profile.login eq "ADA@example.com")");
  ASSERT_TRUE(gt);
  EXPECT_TRUE(gt->Matches(ada));
  auto grouped = UserFilter::Parse(
      R"((status eq "STAGED" or status eq "ACTIVE") and profile.lastName eq "King")");
  ASSERT_TRUE(grouped);
  EXPECT_TRUE(grouped->Matches(ada));
  auto lt = UserFilter::Parse(R"(lastUpdated lt "2024-05-01T10:00:00Z")");
  ASSERT_TRUE(lt);
  EXPECT_FALSE(lt->Matches(ada));
}

TEST(UserFilter, RejectsWhatOktaRejects) {
  for (const char* bad :
       {"", "status", R"(status eq)", R"(status ne "ACTIVE")", R"(profile.city eq "x")",
        R"(status gt "ACTIVE")", R"(lastUpdated gt "yesterday")", R"((status eq "ACTIVE")",
        R"(status eq "ACTIVE" and)", R"(status eq "unterminated)"}) {
    EXPECT_FALSE(UserFilter::Parse(bad).has_value()) << bad;
  }
}

TEST(UserFilter, SearchSyntax) {
  UserRecord ada = User("ACTIVE", "ada@example.com", "2024-05-01T10:00:00.000Z");
  ada.profile_json =
      R"({"login":"ada@example.com","firstName":"Ada","age":36,"tags":["math","poetry"],"city":null})";
  auto search = [&ada](const char* expr) {
    auto f = UserFilter::Parse(expr, UserFilter::Syntax::kSearch);
    EXPECT_TRUE(f.has_value()) << expr;
    return f && f->Matches(ada);
  };
  EXPECT_TRUE(search(R"(profile.firstName sw "ad")"));
  EXPECT_TRUE(search(R"(status eq "active")"));  // values are case-insensitive in search
  EXPECT_TRUE(search("profile.age gt 30"));
  EXPECT_FALSE(search("profile.age lt 30"));
  EXPECT_TRUE(search(R"(profile.tags eq "poetry")"));
  EXPECT_TRUE(search("profile.firstName pr"));
  EXPECT_FALSE(search("profile.city pr"));
  EXPECT_TRUE(search(R"(profile.age ge 36 and (profile.login sw "ada" or status eq "STAGED"))"));
  EXPECT_FALSE(
      UserFilter::Parse(R"(profile.firstName ne "x")", UserFilter::Syntax::kSearch).has_value());
  EXPECT_FALSE(UserFilter::Parse(R"(nickname eq "x")", UserFilter::Syntax::kSearch).has_value());
  // filter stays limited
  EXPECT_FALSE(UserFilter::Parse(R"(profile.firstName sw "ad")").has_value());
  EXPECT_FALSE(UserFilter::Parse(R"(status eq "active")")->Matches(ada));
}

TEST(UserFilter, QueryIsPrefixOnNamesEmailAndLogin) {
  UserRecord ada = User("ACTIVE", "ada@example.com", "");
  EXPECT_TRUE(MatchesQuery(ada, "ad"));
  EXPECT_TRUE(MatchesQuery(ada, "KI"));
  EXPECT_FALSE(MatchesQuery(ada, "example"));
}

TEST(OktaTime, FormatAndParse) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(1714558830123), "2024-05-01T10:20:30.123Z");
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:20:30.123Z"), 1714558830123);
  EXPECT_EQ(ParseTimestamp("2024-05-01T10:20:30Z"), 1714558830000);
  EXPECT_EQ(ParseTimestamp("2024-05-01 10:20:30Z"), std::nullopt);
  EXPECT_EQ(ParseTimestamp("2024-13-01T10:20:30Z"), std::nullopt);
}

}  // namespace
}  // namespace userdesk::mini_okta
