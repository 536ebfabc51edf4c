#include "metrics/okta.h"

#include <gtest/gtest.h>

#include "unit/metrics/scrape.h"

namespace userdesk::metrics {
namespace {

double Calls(const std::string& endpoint, const std::string& code) {
  return Scrape()
      .Value("userdesk_okta_requests_total{code=\"" + code + "\",endpoint=\"" + endpoint + "\"}")
      .value_or(0);
}

std::string Family(std::string_view url) { return std::string(EndpointLabel(EndpointIndex(url))); }

TEST(MetricsOktaEndpoint, FamiliesFromThePathNeverAnIdOrQuery) {
  const std::string org = "https://dev-1.okta.com";
  EXPECT_EQ(Family(org + "/oauth2/default/.well-known/openid-configuration"), "discovery");
  EXPECT_EQ(Family(org + "/.well-known/openid-configuration"), "discovery");
  EXPECT_EQ(Family(org + "/oauth2/default/v1/keys"), "keys");
  EXPECT_EQ(Family(org + "/oauth2/v1/keys"), "keys");
  EXPECT_EQ(Family(org + "/oauth2/aus1/v1/token"), "token");
  EXPECT_EQ(Family(org + "/oauth2/default/v1/userinfo"), "userinfo");
  EXPECT_EQ(Family(org + "/oauth2/default/v1/authorize?client_id=x&prompt=none"), "authorize");
  EXPECT_EQ(Family(org + "/api/v1/users/00u1abc?x=1"), "users");
  EXPECT_EQ(Family(org + "/api/v1/users?activate=true"), "users");
  EXPECT_EQ(Family(org + "/api/v1/users/00u1/lifecycle/suspend"), "users");
  EXPECT_EQ(Family(org + "/api/v1/meta/schemas/user/default"), "schemas");
  EXPECT_EQ(Family(org + "/api/v1/authn/recovery/password"), "authn");
  EXPECT_EQ(Family(org + "/api/v1/sessions/102abc"), "sessions");
  for (const char* other :
       {"https://x.example/", "https://x.example", "https://x.example/api/v2/users",
        "https://x.example/v1/token", "not a url"}) {
    EXPECT_EQ(Family(other), "other") << other;
  }
}

TEST(MetricsOktaCalls, CountsByFamilyAndStatusWithNoAnswerAsError) {
  double ok_before = Calls("users", "200");
  double error_before = Calls("token", "error");
  RecordOktaCall({"https://o.example/api/v1/users/00u9", 200, 0.03, std::nullopt, std::nullopt});
  RecordOktaCall({"https://o.example/oauth2/default/v1/token", 0, 2.0, std::nullopt, std::nullopt});
  EXPECT_EQ(Calls("users", "200"), ok_before + 1);
  EXPECT_EQ(Calls("token", "error"), error_before + 1);
  userdesk::testing::PrometheusText text = Scrape();
  EXPECT_GE(
      text.Value("userdesk_okta_request_duration_seconds_count{endpoint=\"token\"}").value_or(0),
      1);
  EXPECT_EQ(Exposition().find("00u9"), std::string::npos) << "no id in any label";
}

TEST(MetricsOktaCalls, RateLimitGaugesKeepTheLastValuesSentPerFamily) {
  RecordOktaCall({"https://o.example/api/v1/authn/recovery/password", 200, 0.01, 97, 100});
  RecordOktaCall({"https://o.example/api/v1/authn/recovery/password", 200, 0.01, 96, 100});
  // an answer without the headers leaves the last values
  RecordOktaCall(
      {"https://o.example/api/v1/authn/recovery/password", 200, 0.01, std::nullopt, std::nullopt});
  userdesk::testing::PrometheusText text = Scrape();
  EXPECT_EQ(text.Value("userdesk_okta_rate_limit_remaining{endpoint=\"authn\"}"), 96);
  EXPECT_EQ(text.Value("userdesk_okta_rate_limit_limit{endpoint=\"authn\"}"), 100);
  EXPECT_EQ(text.types["userdesk_okta_rate_limit_remaining"], "gauge");
}

TEST(MetricsOktaCalls, InFlightCountsTheScope) {
  auto in_flight = [] { return Scrape().Value("userdesk_okta_requests_in_flight").value_or(-1); };
  double before = in_flight();
  {
    OktaCallInFlight call;
    EXPECT_EQ(in_flight(), before + 1);
  }
  EXPECT_EQ(in_flight(), before);
}

}  // namespace
}  // namespace userdesk::metrics
