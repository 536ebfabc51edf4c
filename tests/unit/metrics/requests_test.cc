#include "metrics/requests.h"

#include <gtest/gtest.h>

#include "unit/metrics/scrape.h"

namespace userdesk::metrics {
namespace {

double Requests(const std::string& route, const std::string& code) {
  return Scrape()
      .Value("userdesk_http_requests_total{code=\"" + code + "\",route=\"" + route + "\"}")
      .value_or(0);
}

TEST(MetricsRoutes, PagesKeepTheirPathEverythingElseIsBounded) {
  EXPECT_EQ(RouteLabel(RouteIndex("/")), "/");
  EXPECT_EQ(RouteLabel(RouteIndex("/login")), "/login");
  EXPECT_EQ(RouteLabel(RouteIndex("/authorization-code/callback")), "/authorization-code/callback");
  EXPECT_EQ(RouteLabel(RouteIndex("/reset-password")), "/reset-password");
  EXPECT_EQ(RouteLabel(RouteIndex("/-/metrics/home")), "ops");
  EXPECT_EQ(RouteLabel(RouteIndex("/-/")), "ops");
  // a raw path never becomes a label value: one series for every unknown path
  for (const char* raw : {"/login/", "/profile/00u1abc", "/no-such-page", "", "/LOGIN", "/-"}) {
    EXPECT_EQ(RouteLabel(RouteIndex(raw)), "other") << raw;
  }
  EXPECT_EQ(RouteLabel(kRouteCount + 5), "other");
}

TEST(MetricsRequests, EachRequestMovesItsRouteAndStatusCounter) {
  double before = Requests("/dashboard", "200");
  double other_before = Requests("other", "404");
  RecordRequest("/dashboard", 200, 0.002);
  RecordRequest("/dashboard", 200, 0.004);
  RecordRequest("/users/00u1", 404, 0.001);
  EXPECT_EQ(Requests("/dashboard", "200"), before + 2);
  EXPECT_EQ(Requests("other", "404"), other_before + 1);
  userdesk::testing::PrometheusText text = Scrape();
  EXPECT_EQ(text.types["userdesk_http_requests_total"], "counter");
  EXPECT_EQ(text.types["userdesk_http_request_duration_seconds"], "histogram");
  EXPECT_GE(
      text.Value("userdesk_http_request_duration_seconds_count{route=\"/dashboard\"}").value_or(0),
      2);
  // 2 ms and 4 ms: both under the 5 ms bucket, neither under 1 ms
  EXPECT_GE(
      text.Value("userdesk_http_request_duration_seconds_bucket{route=\"/dashboard\",le=\"0.005\"}")
          .value_or(0),
      2);
  EXPECT_EQ(Exposition().find("00u1"), std::string::npos) << "no raw path in any label";
}

TEST(MetricsRequests, AnOddStatusIsOneOtherSeries) {
  double before = Requests("/", "other");
  RecordRequest("/", 0, 0.001);
  RecordRequest("/", 1000, 0.001);
  EXPECT_EQ(Requests("/", "other"), before + 2);
}

TEST(MetricsThreads, BusyCountsTheScopeAndParkedIsSet) {
  auto busy = [] { return Scrape().Value("userdesk_threads_busy").value_or(-1); };
  double idle = busy();
  {
    BusyThread one;
    BusyThread two;
    EXPECT_EQ(busy(), idle + 2);
  }
  EXPECT_EQ(busy(), idle);
  SetRequestsParked(3);
  EXPECT_EQ(Scrape().Value("userdesk_requests_parked"), 3);
  SetRequestsParked(0);
  EXPECT_EQ(Scrape().Value("userdesk_requests_parked"), 0);
}

}  // namespace
}  // namespace userdesk::metrics
