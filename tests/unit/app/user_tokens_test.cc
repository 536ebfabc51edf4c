// MyAccount mode's pure parts: what the sign-in asks for, what its token response must hold,
// and the error table's words for the user's tokens failing (the flows against mini-okta are in
// tests/provider/myaccount_test.cc).
#include "app/user_tokens.h"

#include <gtest/gtest.h>

#include "app/error_table.h"

namespace userdesk::app {
namespace {

oidc::TokenResponse Granted() {
  oidc::TokenResponse t;
  t.access_token = "at";
  t.refresh_token = "rt";
  t.scope =
      "openid profile email offline_access okta.myAccount.profile.read "
      "okta.myAccount.profile.manage";
  return t;
}

TEST(SignInScopes, AskForMyAccountOnlyInMyAccountMode) {
  config::Config cfg;
  EXPECT_EQ(SignInScopes(cfg), "openid profile email");
  cfg.profile_api = config::ProfileApi::kMyAccount;
  EXPECT_EQ(SignInScopes(cfg),
            "openid profile email offline_access okta.myAccount.profile.read "
            "okta.myAccount.profile.manage");
}

TEST(CheckMyAccountGrant, NeedsBothTokensAndBothScopes) {
  EXPECT_TRUE(CheckMyAccountGrant(Granted()).ok());
  oidc::TokenResponse unlisted = Granted();
  unlisted.scope = "";  // RFC 6749 §5.1: left out when it is what was asked for
  EXPECT_TRUE(CheckMyAccountGrant(unlisted).ok());
  for (auto change :
       {+[](oidc::TokenResponse& t) { t.refresh_token.clear(); },
        +[](oidc::TokenResponse& t) { t.access_token.clear(); },
        +[](oidc::TokenResponse& t) { t.scope = "openid okta.myAccount.profile.read"; },
        +[](oidc::TokenResponse& t) {
          t.scope = "openid okta.myAccount.profile.readx okta.myAccount.profile.manage";
        }}) {
    oidc::TokenResponse t = Granted();
    change(t);
    Status refused = CheckMyAccountGrant(t);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().reason, Reason::kProfileAccessNotGranted);
    EXPECT_EQ(refused.error().detail.find("rt"), std::string::npos);
  }
}

TEST(ErrorTable, TheUsersTokensFailingAsksToSignInOnEveryPage) {
  for (Task task : {Task::kPage, Task::kProfileRead, Task::kProfileSave}) {
    ErrorView again =
        ViewOf(MakeError(ErrorCode::kUnauthenticated, "", Reason::kSignInAgain), task);
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(again.message.title, "Please sign in again");
    ErrorView fresh =
        ViewOf(MakeError(ErrorCode::kPermissionDenied, "", Reason::kRecentSignInRequired), task);
    EXPECT_EQ(fresh.status, 403);
    EXPECT_EQ(fresh.message.title, "Please confirm it is you");
    ErrorView scope =
        ViewOf(MakeError(ErrorCode::kPermissionDenied, "", Reason::kScopeMissing), task);
    EXPECT_EQ(scope.status, 403);
  }
  ErrorView sign_in =
      ViewOf(MakeError(ErrorCode::kUpstreamUnavailable, "", Reason::kProfileAccessNotGranted),
             Task::kSignIn);
  EXPECT_EQ(sign_in.status, 502);
  EXPECT_EQ(sign_in.message.title, "Sign-in could not be completed");
}

}  // namespace
}  // namespace userdesk::app
