#include "health/readiness.h"

#include <gtest/gtest.h>

#include "json/json.h"

namespace userdesk::health {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

TEST(OktaAnswering, AFreshAnswerWithNoFailureSinceIsOk) {
  EXPECT_TRUE(OktaAnswering({kNow - 1000, 0}, kNow).ok);
  EXPECT_TRUE(OktaAnswering({kNow - kFreshContactMs, kNow - kFreshContactMs - 1}, kNow).ok);
}

TEST(OktaAnswering, NeverAskedFailedSinceOrStaleIsNotOk) {
  Check never = OktaAnswering({0, 0}, kNow);
  EXPECT_FALSE(never.ok);
  EXPECT_EQ(never.name, "okta");
  EXPECT_NE(never.detail.find("never asked"), std::string::npos) << never.detail;

  Check never_answered = OktaAnswering({0, kNow - 5}, kNow);
  EXPECT_FALSE(never_answered.ok);
  EXPECT_NE(never_answered.detail.find("never answered"), std::string::npos);

  Check failed = OktaAnswering({kNow - 3000, kNow - 2000}, kNow);
  EXPECT_FALSE(failed.ok);
  EXPECT_NE(failed.detail.find("failed"), std::string::npos) << failed.detail;

  Check stale = OktaAnswering({kNow - kFreshContactMs - 1, 0}, kNow);
  EXPECT_FALSE(stale.ok);
  EXPECT_NE(stale.detail.find("no answer"), std::string::npos) << stale.detail;
}

TEST(Readiness, ReadyOnlyWhenEveryCheckPasses) {
  Report report{{{"config", true, ""}, {"okta", true, ""}}};
  EXPECT_TRUE(report.ready());
  report.checks.push_back({"issuer", false, "discovery answered 500"});
  EXPECT_FALSE(report.ready());
  EXPECT_TRUE(Report{}.ready()) << "no checks: nothing failed";
}

TEST(Readiness, JsonNamesTheFailedChecks) {
  Report report{{{"config", true, ""},
                 {"okta", false, "no answer for 12 s"},
                 {"issuer", false, "say \"why\""}}};
  auto doc = json::ParseObject(ReadinessJson("auth", report));
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::GetString(*doc, "status"), "not ready");
  EXPECT_EQ(json::GetString(*doc, "responder"), "auth");
  const json::Value* failed = json::GetArray(*doc, "failed");
  ASSERT_NE(failed, nullptr);
  ASSERT_EQ(failed->Size(), 2u);
  EXPECT_STREQ((*failed)[0].GetString(), "okta");
  EXPECT_STREQ((*failed)[1].GetString(), "issuer");
  const json::Value* checks = json::GetArray(*doc, "checks");
  ASSERT_NE(checks, nullptr);
  ASSERT_EQ(checks->Size(), 3u);
  EXPECT_EQ(json::GetBool((*checks)[0], "ok"), true);
  EXPECT_EQ(json::GetString((*checks)[2], "detail"), "say \"why\"");

  auto ready = json::ParseObject(ReadinessJson("home", Report{{{"config", true, ""}}}));
  ASSERT_TRUE(ready);
  EXPECT_EQ(json::GetString(*ready, "status"), "ready");
  EXPECT_EQ(json::GetArray(*ready, "failed")->Size(), 0u);
}

TEST(Liveness, SaysOkAndTheResponder) {
  auto doc = json::ParseObject(LivenessJson("profile"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::GetString(*doc, "status"), "ok");
  EXPECT_EQ(json::GetString(*doc, "responder"), "profile");
}

}  // namespace
}  // namespace userdesk::health
