// The dashboard responder without FastCGI, with an Okta nothing listens on: what it answers
// before asking Okta, and what a visitor sees when Okta cannot be reached and no copy of the
// profile is cached. (The page built from a real profile, sorted and in Start Case:
// tests/integration/profile_stack_test.cc and tests/browser/journeys.test.mjs.)
#include "responders/dashboard/dashboard_handler.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace userdesk::responders::dashboard
