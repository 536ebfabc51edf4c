// MyAccount mode through the real stack (PROFILE_API=myaccount: scripts/run.sh then points ISSUER
// at the org authorization server and leaves USER_PROFILE_TOKEN out of the .env): the dashboard
// and the profile read, draw and save with the signed-in user's own access token (Okta's
// MyAccount API, mini-okta's here), refresh it when it expires, and ask for a sign-in when the
// provider refuses the refresh, keeping what was typed.
#include <chrono>
#include <thread>

#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

class MyAccountStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    // every page asks Okta, so each one shows whether the token still works
    options.extra_env = {{"PROFILE_API", "myaccount"}, {"PROFILE_CACHE_SECONDS", "0"}};
    StartStack(options);
  }

  static std::string CreateUser(const std::string& login) {
    HttpResponse r = OktaApi("POST", "/api/v1/users?activate=true",
                             R"({"profile":{"login":")" + login + R"(","email":")" + login +
                                 R"(","firstName":"Emmy","lastName":"Noether","city":"Erlangen"},)"
                                 R"("credentials":{"password":{"value":")" +
                                 kPassword + R"("}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = json::ParseObject(r.body);
    return doc ? json::GetString(*doc, "id").value_or("") : "";
  }

  static void SignInAs(Browser& browser, const std::string& login) {
    SignInWithPassword(browser, login, kPassword);
  }

  static std::string OktaCity(const std::string& id) {
    auto doc = json::ParseObject(OktaApi("GET", "/api/v1/users/" + id).body);
    const json::Value* profile = doc ? json::GetObject(*doc, "profile") : nullptr;
    return profile ? json::GetString(*profile, "city").value_or("") : "";
  }

  static size_t MiniOktaCalls(const std::string& request_line_start) {
    return Count(stack_->Log("mini-okta"), request_line_start);
  }
  // Whether mini-okta's log shows at least n such calls, waiting (bounded) for the lines it
  // writes after answering.
  static bool SawCalls(const std::string& request_line_start, size_t n) {
    return userdesk::testing::WaitUntil([&] { return MiniOktaCalls(request_line_start) >= n; });
  }

  static constexpr const char* kPassword = "Ideal-Rings-1882-algebra";
};

// The least-privilege promise: no token in the env file can read other users' profiles through
// the pages, and the pages never use the Users API.
TEST_F(MyAccountStack, TheEnvFileHasNoProfileTokenAndThePagesUseTheUsersOwnToken) {
  EXPECT_EQ(Env("USER_PROFILE_TOKEN"), "");
  EXPECT_EQ(Env("PROFILE_API"), "myaccount");
  EXPECT_EQ(Env("ISSUER"), Env("ORG_URL"));
  std::string id = CreateUser("emmy.reads@example.com");
  size_t users_api_before = MiniOktaCalls("GET /api/v1/users/");
  size_t schema_api_before = MiniOktaCalls("GET /api/v1/meta/schemas");
  Browser b;
  SignInAs(b, "emmy.reads@example.com");
  HttpResponse dashboard = b.Get(stack_->Url("/dashboard"));
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(Contains(dashboard.body, "<dd>Erlangen</dd>")) << dashboard.body;
  HttpResponse profile = b.Get(stack_->Url("/profile"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(InputValue(profile.body, "city"), "Erlangen");
  EXPECT_TRUE(SawCalls("GET /idp/myaccount/profile ", 2));
  EXPECT_TRUE(SawCalls("GET /idp/myaccount/profile/schema ", 1));
  EXPECT_EQ(MiniOktaCalls("GET /api/v1/users/"), users_api_before);
  EXPECT_EQ(MiniOktaCalls("GET /api/v1/meta/schemas"), schema_api_before);
  // (last: mini-okta logs a call after answering it, so it would race the counts above)
  // the registration token may create users, not read them (403 E0000006)
  HttpRequest read;
  read.url = stack_->MiniOktaUrl() + "/api/v1/users/" + id;
  read.headers = {"Authorization: SSWS " + Env("REGISTRATION_TOKEN"), "Accept: application/json"};
  HttpResponse refused = Fetch(read);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "E0000006")) << refused.body;
}

TEST_F(MyAccountStack, ASaveIsTheUsersOwnFullReplaceAndKeepsWhatTheFormDoesNotShow) {
  std::string id = CreateUser("emmy.saves@example.com");
  Browser b;
  SignInAs(b, "emmy.saves@example.com");
  HttpResponse saved = EditProfile(b, {{"city", "Göttingen"}, {"favoriteColor", "green"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.Header("Location"), "/profile?saved=1");
  EXPECT_EQ(OktaCity(id), "Göttingen");
  EXPECT_TRUE(SawCalls("PUT /idp/myaccount/profile ", 1));
  auto doc = json::ParseObject(OktaApi("GET", "/api/v1/users/" + id).body);
  ASSERT_TRUE(doc.has_value());
  // the replace kept every attribute it did not change: the names, the login, the email
  EXPECT_EQ(json::GetString((*doc)["profile"], "firstName"), "Emmy");
  EXPECT_EQ(json::GetString((*doc)["profile"], "login"), "emmy.saves@example.com");
  EXPECT_EQ(json::GetString((*doc)["profile"], "favoriteColor"), "green");
  HttpResponse shown = b.Get(stack_->Url("/profile?saved=1"));
  EXPECT_EQ(InputValue(shown.body, "city"), "Göttingen") << shown.body;
}

// Access tokens of 2 s (mini-okta's accessTokenLifetimeSeconds) are always within the 60 s
// refresh margin, so every page refreshes first, with rotation. Then the provider refuses the
// refresh (the user suspended): the page asks for a sign-in, a save keeps what was typed, and
// sign-out still ends the provider's session.
TEST_F(MyAccountStack, ExpiringTokensAreRefreshedAndARefusedRefreshAsksForASignIn) {
  Faults(R"({"accessTokenLifetimeSeconds":2})");
  std::string id = CreateUser("emmy.refresh@example.com");
  Browser b;
  SignInAs(b, "emmy.refresh@example.com");
  size_t token_calls = MiniOktaCalls("POST /oauth2/v1/token ");
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  HttpResponse form = b.Get(stack_->Url("/profile"));
  EXPECT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(SawCalls("POST /oauth2/v1/token ", token_calls + 2));  // one refresh a page
  std::map<std::string, std::string> fields = FormFields(form.body);
  fields["city"] = "Bryn Mawr";
  EXPECT_EQ(b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin()).status, 303);
  EXPECT_EQ(OktaCity(id), "Bryn Mawr");

  ASSERT_EQ(OktaApi("POST", "/api/v1/users/" + id + "/lifecycle/suspend").status, 200);
  HttpResponse page = b.Get(stack_->Url("/dashboard"));
  fields["city"] = "Typed while refused";
  HttpResponse save = b.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  Faults(R"({"accessTokenLifetimeSeconds":3600})");
  EXPECT_EQ(OktaApi("POST", "/api/v1/users/" + id + "/lifecycle/unsuspend").status, 200);
  EXPECT_EQ(page.status, 401) << page.body;
  EXPECT_TRUE(Contains(page.body, "Please sign in again")) << page.body;
  EXPECT_EQ(save.status, 401) << save.body;
  EXPECT_TRUE(Contains(save.body, "Sign in again in a new tab")) << save.body;
  EXPECT_EQ(InputValue(save.body, "city"), "Typed while refused");
  EXPECT_EQ(OktaCity(id), "Bryn Mawr");

  // the refused tokens are gone, but the sign-in's ID token stayed: sign-out still names the
  // provider's session (id_token_hint), so it ends at the provider too
  HttpResponse confirm = b.Get(stack_->Url("/logout"));
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  std::string csrf = InputValue(confirm.body, "csrf");
  ASSERT_FALSE(csrf.empty()) << confirm.body;
  HttpResponse out = b.Post(stack_->Url("/logout"), "csrf=" + csrf, Origin());
  ASSERT_EQ(out.status, 303) << out.body;
  EXPECT_TRUE(Contains(out.Header("Location"), "id_token_hint=")) << out.Header("Location");
}

}  // namespace
}  // namespace userdesk::integration
