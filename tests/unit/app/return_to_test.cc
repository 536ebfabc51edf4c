#include "app/return_to.h"

#include <gtest/gtest.h>

namespace userdesk::app {
namespace {

TEST(CleanReturnTo, KeepsSameOriginPaths) {
  for (const char* ok : {"/", "/profile", "/dashboard?tab=1&x=%20y", "/a/b#frag", "/search?q=a+b",
                         "/logs", "/login-help"}) {
    EXPECT_EQ(CleanReturnTo(ok), ok) << ok;
  }
}

TEST(CleanReturnTo, RefusesEverythingThatCouldLeaveTheSite) {
  for (const char* bad : {"",
                          "https://evil.example/",
                          "http:/evil",
                          "//evil.example",
                          "///evil.example",
                          "/\\evil.example",
                          "\\\\evil.example",
                          "/a\\b",
                          "javascript:alert(1)",
                          "evil.example",
                          "/%2F%2Fevil.example",
                          "/%2fevil.example",
                          "%2F%2Fevil.example",
                          "/%5Cevil.example",
                          "/%5cevil",
                          "/%252F%252Fevil.example",
                          "/%25252F%25252Fevil",
                          "/ok\r\nSet-Cookie: x=1",
                          "/%0d%0aSet-Cookie:x",
                          "/tab\there",
                          "/caf\xc3\xa9"}) {
    EXPECT_EQ(CleanReturnTo(bad), "/dashboard") << bad;
  }
}

TEST(CleanReturnTo, RefusesTheSignInFlowItself) {
  for (const char* loop :
       {"/login", "/login?returnTo=/x", "/logout", "/authorization-code/callback", "/%6Cogin"}) {
    EXPECT_EQ(CleanReturnTo(loop), "/dashboard") << loop;
  }
}

// returnTo becomes the callback's Location header: its length is capped (kMaxReturnToBytes).
TEST(CleanReturnTo, KeepsPathsUpToTheCapAndRefusesLongerOnes) {
  std::string longest = "/dashboard?pad=" + std::string(kMaxReturnToBytes - 15, 'a');
  ASSERT_EQ(longest.size(), kMaxReturnToBytes);
  EXPECT_EQ(CleanReturnTo(longest), longest);
  EXPECT_EQ(CleanReturnTo(longest + "a"), "/dashboard");
  EXPECT_EQ(CleanReturnTo("/" + std::string(2000, 'a')), "/dashboard");
}

// A browser percent-encodes these in a URL; raw, they could only come from a crafted link.
TEST(CleanReturnTo, RefusesRawQuotesAndAngleBrackets) {
  for (const char* odd : {"/a\"b", "/<script>", "/x?y=>", "/x?q=%22ok%22"}) {
    std::string_view s(odd);
    bool raw = s.find_first_of("\"<>") != std::string_view::npos;
    EXPECT_EQ(CleanReturnTo(odd), raw ? "/dashboard" : odd) << odd;
  }
}

TEST(SignInPath, CarriesTheReturnToFormEncoded) {
  EXPECT_EQ(SignInPath("/dashboard"), "/login?returnTo=%2Fdashboard");
  EXPECT_EQ(SignInPath("/dashboard?welcome=1"), "/login?returnTo=%2Fdashboard%3Fwelcome%3D1");
}

}  // namespace
}  // namespace userdesk::app
