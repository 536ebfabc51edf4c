// The dashboard responder without FastCGI, with an Okta nothing listens on: what it answers
// before asking Okta, and what a visitor sees when Okta cannot be reached and no copy of the
// profile is cached. (The page built from a real profile, sorted and in Start Case:
// tests/integration/profile_stack_test.cc and tests/browser/journeys.test.mjs.)
#include "responders/dashboard/dashboard_handler.h"

#include <gtest/gtest.h>

#include "unit/responders/fake_okta.h"
#include "unit/responders/handler_testing.h"

namespace userdesk::responders::dashboard {
namespace {

TEST(DashboardHandler, OtherPathsAre404) {
  app::App app = testing::OfflineApp("dashboard");
  EXPECT_EQ(MakeHandler(app)(testing::GetRequest("/dashboard/x")).status, 404);
}

TEST(DashboardHandler, OnlyGetAndHead) {
  app::App app = testing::OfflineApp("dashboard");
  http::Request post = testing::GetRequest("/dashboard");
  post.method = "POST";
  http::Response r = MakeHandler(app)(post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(testing::HeaderOf(r, "Allow"), "GET, HEAD");
}

TEST(DashboardHandler, ASignedOutVisitorIsSentToSignInAndBackHere) {
  app::App app = testing::OfflineApp("dashboard");
  http::Request get = testing::GetRequest("/dashboard");
  get.query = "welcome=1";
  http::Response r = MakeHandler(app)(get);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(testing::HeaderOf(r, "Location"), "/login?returnTo=%2Fdashboard%3Fwelcome%3D1");
}

TEST(DashboardHandler, OktaUnreachableWithNoCopyIsA503WithTryAgainNeverStored) {
  app::App app = testing::OfflineApp("dashboard");
  http::Request get = testing::GetRequest("/dashboard");
  get.cookies[app.sessions.cookie_name()] = app.sessions.Encode(testing::SignedInSession());
  http::Response r = MakeHandler(app)(get);
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(testing::Contains(r.body, "Identity provider unavailable")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, "href=\"/dashboard\"")) << r.body;  // "Try again"
  EXPECT_TRUE(testing::Contains(r.body, "Signed in as")) << r.body;         // still signed in
  EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "private, no-store");
}

// An attribute an administrator hid from users (SELF: HIDE) is in Okta's profile and never on
// the page; the rest are labelled with their titles, a boolean as Yes or No.
TEST(DashboardHandler, OnlyWhatTheSchemaLetsTheUserSeeIsListed) {
  testing::FakeOkta okta(
      testing::SchemaJson(
          testing::kTutorialBase,
          R"({"internalNote":{"title":"Internal note","type":"string","permissions":[{"principal":"SELF","action":"HIDE"}]},)"
          R"("newsletter":{"title":"Newsletter","type":"boolean","permissions":[{"principal":"SELF","action":"READ_ONLY"}]}})"),
      testing::UserJson(
          R"({"firstName":"Ada","lastName":"Lovelace","city":"London","internalNote":"VIP: do not upsell",)"
          R"("newsletter":true,"notInTheSchema":"stray"})"));
  app::App app = testing::AppWithTemplates("dashboard", okta.Config());
  http::Request get = testing::GetRequest("/dashboard");
  get.cookies[app.sessions.cookie_name()] = app.sessions.Encode(testing::SignedInSession());
  fcgi::Handler handler = MakeHandler(app);
  for (int visit = 0; visit < 2; visit++) {  // drawn, then from the render cache
    http::Response r = handler(get);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(testing::Contains(r.body, "First name")) << r.body;
    EXPECT_TRUE(testing::Contains(r.body, "London")) << r.body;
    EXPECT_TRUE(testing::Contains(r.body, "Newsletter")) << r.body;
    EXPECT_TRUE(testing::Contains(r.body, "Yes")) << r.body;
    for (const char* hidden : {"VIP", "Internal note", "stray", "Not In The Schema"}) {
      EXPECT_FALSE(testing::Contains(r.body, hidden)) << hidden;
    }
  }
  EXPECT_EQ(okta.schema_reads(), 1);
  EXPECT_EQ(okta.user_reads(), 1);
}

}  // namespace
}  // namespace userdesk::responders::dashboard
