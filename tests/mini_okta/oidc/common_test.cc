#include "mini_okta/oidc/common.h"

#include <gtest/gtest.h>
#include <httplib.h>

namespace userdesk::mini_okta::oidc {
namespace {

TEST(OidcCommon, AppendQueryKeepsAnExistingQuery) {
  EXPECT_EQ(AppendQuery("https://a/cb", {{"code", "x y"}, {"state", "s"}}),
            "https://a/cb?code=x+y&state=s");
  EXPECT_EQ(AppendQuery("https://a/cb?app=1", {{"state", "s"}}), "https://a/cb?app=1&state=s");
}

TEST(OidcCommon, SplitSpacesDropsEmptyItems) {
  EXPECT_EQ(SplitSpaces("  openid  email "), (std::vector<std::string>{"openid", "email"}));
  EXPECT_TRUE(SplitSpaces("").empty());
}

TEST(OidcCommon, GetCookieFindsTheNamedCookieOnly) {
  httplib::Request req;
  req.headers.emplace("Cookie", "a=1; mini_okta_sidx=2;  mini_okta_sid=3 ; b=4");
  EXPECT_EQ(GetCookie(req, "mini_okta_sid"), "3");
  EXPECT_EQ(GetCookie(req, "b"), "4");
  EXPECT_FALSE(GetCookie(req, "c").has_value());
}

TEST(OidcCommon, DuplicatedParamNamesTheFirstRepeat) {
  httplib::Request req;
  req.target = "/oauth2/v1/authorize?state=1&scope=a&scope=b";
  EXPECT_EQ(DuplicatedParam(req, {"state", "scope"}), "scope");
  EXPECT_FALSE(DuplicatedParam(req, {"state"}).has_value());
}

}  // namespace
}  // namespace userdesk::mini_okta::oidc
