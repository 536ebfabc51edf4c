#include "metrics/okta.h"

#include <array>
#include <string>

#include "metrics/family_cache.h"

namespace userdesk::metrics {
namespace {

using internal::Children;
using internal::kStatusSlots;

constexpr std::array<std::string_view, kEndpointCount> kEndpoints{
    "discovery", "keys",    "authorize", "token",    "userinfo",
    "users",     "schemas", "authn",     "sessions", "other"};

size_t Index(std::string_view label) {
  for (size_t i = 0; i < kEndpoints.size(); i++) {
    if (kEndpoints[i] == label) return i;
  }
  return kEndpointCount - 1;
}

// The path of an http(s) URL, without query or fragment.
std::string_view PathOf(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "/";
  std::string_view path = url.substr(start);
  return path.substr(0, path.find_first_of("?#"));
}

struct OktaMetrics {
  prometheus::Family<prometheus::Counter>& calls =
      prometheus::BuildCounter()
          .Name("userdesk_okta_requests_total")
          .Help(
              "Calls to the identity provider, by endpoint family and HTTP status (error: no "
              "answer)")
          .Register(internal::TheRegistry());
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("userdesk_okta_request_duration_seconds")
          .Help("Time of a call to the identity provider, by endpoint family")
          .Register(internal::TheRegistry());
  prometheus::Family<prometheus::Gauge>& remaining =
      prometheus::BuildGauge()
          .Name("userdesk_okta_rate_limit_remaining")
          .Help("X-Rate-Limit-Remaining of the last answer that had it, by endpoint family")
          .Register(internal::TheRegistry());
  prometheus::Family<prometheus::Gauge>& limit =
      prometheus::BuildGauge()
          .Name("userdesk_okta_rate_limit_limit")
          .Help("X-Rate-Limit-Limit of the last answer that had it, by endpoint family")
          .Register(internal::TheRegistry());
  prometheus::Gauge& in_flight = prometheus::BuildGauge()
                                     .Name("userdesk_okta_requests_in_flight")
                                     .Help("Calls to the identity provider under way now")
                                     .Register(internal::TheRegistry())
                                     .Add({});
  Children<prometheus::Counter, kEndpointCount, kStatusSlots> by_status{
      [this](size_t endpoint, size_t slot) {
        std::string code = slot == kStatusSlots - 1 ? "error" : std::to_string(slot + 100);
        return &calls.Add({{"endpoint", std::string(kEndpoints[endpoint])}, {"code", code}});
      }};
  Children<prometheus::Histogram, kEndpointCount, 1> timing{[this](size_t endpoint, size_t) {
    return &latency.Add({{"endpoint", std::string(kEndpoints[endpoint])}},
                        internal::LatencyBuckets());
  }};
  Children<prometheus::Gauge, kEndpointCount, 2> rate{[this](size_t endpoint, size_t which) {
    auto& family = which == 0 ? remaining : limit;
    return &family.Add({{"endpoint", std::string(kEndpoints[endpoint])}});
  }};
};

OktaMetrics& Metrics() {
  static auto* metrics = new OktaMetrics();  // never destroyed: see TheRegistry
  return *metrics;
}

}  // namespace

void internal::EnsureOktaMetrics() { (void)Metrics(); }

size_t EndpointIndex(std::string_view url) {
  std::string_view path = PathOf(url);
  if (path.ends_with("/.well-known/openid-configuration") ||
      path.ends_with("/.well-known/oauth-authorization-server")) {
    return Index("discovery");
  }
  if (path.starts_with("/api/v1/users")) return Index("users");
  if (path.starts_with("/api/v1/meta/schemas")) return Index("schemas");
  if (path.starts_with("/api/v1/authn")) return Index("authn");
  if (path.starts_with("/api/v1/sessions")) return Index("sessions");
  // the OIDC endpoints of the org server (/oauth2/v1/...) and of any custom one
  // (/oauth2/<id>/v1/...)
  if (path.starts_with("/oauth2/")) {
    for (std::string_view name : {"keys", "authorize", "token", "userinfo"}) {
      if (path.ends_with("/v1/" + std::string(name))) return Index(name);
    }
  }
  return Index("other");
}

std::string_view EndpointLabel(size_t index) {
  return kEndpoints[index < kEndpointCount ? index : kEndpointCount - 1];
}

void RecordOktaCall(const OktaCall& call) {
  OktaMetrics& m = Metrics();
  size_t endpoint = EndpointIndex(call.url);
  m.by_status.At(endpoint, internal::StatusSlot(call.status)).Increment();
  m.timing.At(endpoint, 0).Observe(call.seconds);
  if (call.rate_limit_remaining) {
    m.rate.At(endpoint, 0).Set(static_cast<double>(*call.rate_limit_remaining));
  }
  if (call.rate_limit_limit)
    m.rate.At(endpoint, 1).Set(static_cast<double>(*call.rate_limit_limit));
}

OktaCallInFlight::OktaCallInFlight() { Metrics().in_flight.Increment(); }
OktaCallInFlight::~OktaCallInFlight() { Metrics().in_flight.Decrement(); }

}  // namespace userdesk::metrics
