#include "metrics/events.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "metrics/registry.h"
#include "support/prometheus_text.h"

namespace userdesk::metrics {
namespace {

using userdesk::testing::ParsePrometheusText;

double Value(const std::string& series) {
  auto text = ParsePrometheusText(Exposition());
  EXPECT_EQ(text.error, "");
  auto value = text.Value(series);
  EXPECT_TRUE(value.has_value()) << series << " is not served";
  return value.value_or(-1);
}

TEST(MetricsEvents, EverySeriesIsServedBeforeItsFirstEvent) {
  auto text = ParsePrometheusText(Exposition());
  ASSERT_EQ(text.error, "");
  for (const char* series :
       {"userdesk_sign_ins_total", "userdesk_sign_in_failures_total{reason=\"expired\"}",
        "userdesk_sign_in_failures_total{reason=\"provider_unavailable\"}",
        "userdesk_registrations_total",
        "userdesk_password_resets_requested_total{outcome=\"dropped\"}",
        "userdesk_csrf_refusals_total{reason=\"origin\"}",
        "userdesk_profile_cache_lookups_total{result=\"miss\"}",
        "userdesk_profile_cache_stale_served_total", "userdesk_okta_requests_in_flight",
        "userdesk_threads_busy", "userdesk_requests_parked"}) {
    std::string name = std::string(series).substr(0, std::string(series).find('{'));
    EXPECT_TRUE(text.types.count(name)) << name;
    EXPECT_TRUE(text.Value(series)) << series;
  }
}

TEST(MetricsEvents, EachEventMovesItsOwnCounter) {
  struct Case {
    std::function<void()> record;
    std::string series;
  };
  std::vector<Case> cases{
      {SignedIn, "userdesk_sign_ins_total"},
      {[] { SignInFailed(SignInFailure::kDenied); },
       "userdesk_sign_in_failures_total{reason=\"denied\"}"},
      {[] { SignInFailed(SignInFailure::kTokenUntrusted); },
       "userdesk_sign_in_failures_total{reason=\"token_untrusted\"}"},
      {[] { SignInFailed(SignInFailure::kOther); },
       "userdesk_sign_in_failures_total{reason=\"other\"}"},
      {Registered, "userdesk_registrations_total"},
      {[] { ResetRequested(ResetOutcome::kCoolingDown); },
       "userdesk_password_resets_requested_total{outcome=\"cooling_down\"}"},
      {[] { CsrfRefused(CsrfRefusal::kToken); }, "userdesk_csrf_refusals_total{reason=\"token\"}"},
      {[] { ProfileCacheLookup(ProfileLookup::kHit); },
       "userdesk_profile_cache_lookups_total{result=\"hit\"}"},
      {[] { ProfileCacheLookup(ProfileLookup::kStale); },
       "userdesk_profile_cache_stale_served_total"},
  };
  for (const Case& c : cases) {
    double before = Value(c.series);
    c.record();
    EXPECT_EQ(Value(c.series), before + 1) << c.series;
  }
}

}  // namespace
}  // namespace userdesk::metrics
