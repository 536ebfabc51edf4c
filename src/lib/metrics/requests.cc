#include "metrics/requests.h"

#include <array>
#include <string>

#include "metrics/family_cache.h"

namespace userdesk::metrics {
namespace {

using internal::Children;
using internal::kStatusSlots;

// userdesk's pages (nginx/routes.txt), then the two catch-alls.
constexpr std::array<std::string_view, kRouteCount> kRoutes{"/",
                                                            "/login",
                                                            "/authorization-code/callback",
                                                            "/logout",
                                                            "/backchannel-logout",
                                                            "/dashboard",
                                                            "/profile",
                                                            "/register",
                                                            "/reset-password",
                                                            "/security",
                                                            "ops",
                                                            "other"};
constexpr size_t kOps = kRouteCount - 2;
constexpr size_t kOther = kRouteCount - 1;

struct RequestMetrics {
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("userdesk_http_requests_total")
          .Help("Requests answered, by route and HTTP status")
          .Register(internal::TheRegistry());
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("userdesk_http_request_duration_seconds")
          .Help("Time from the request read to the answer written, by route")
          .Register(internal::TheRegistry());
  prometheus::Gauge& busy = prometheus::BuildGauge()
                                .Name("userdesk_threads_busy")
                                .Help("Worker threads serving a request now")
                                .Register(internal::TheRegistry())
                                .Add({});
  prometheus::Gauge& parked = prometheus::BuildGauge()
                                  .Name("userdesk_requests_parked")
                                  .Help(
                                      "Requests waiting for the identity provider now "
                                      "(OKTA_MAX_CONCURRENT_CALLS bounds it)")
                                  .Register(internal::TheRegistry())
                                  .Add({});
  Children<prometheus::Counter, kRouteCount, kStatusSlots> by_status{
      [this](size_t route, size_t slot) {
        std::string code = slot == kStatusSlots - 1 ? "other" : std::to_string(slot + 100);
        return &requests.Add({{"route", std::string(kRoutes[route])}, {"code", code}});
      }};
  Children<prometheus::Histogram, kRouteCount, 1> timing{[this](size_t route, size_t) {
    return &latency.Add({{"route", std::string(kRoutes[route])}}, internal::LatencyBuckets());
  }};
};

RequestMetrics& Metrics() {
  static auto* metrics = new RequestMetrics();  // never destroyed: see TheRegistry
  return *metrics;
}

}  // namespace

void internal::EnsureRequestMetrics() { (void)Metrics(); }

size_t RouteIndex(std::string_view path) {
  if (path.starts_with("/-/")) return kOps;
  for (size_t i = 0; i < kOps; i++) {
    if (path == kRoutes[i]) return i;
  }
  return kOther;
}

std::string_view RouteLabel(size_t index) { return kRoutes[index < kRouteCount ? index : kOther]; }

void RecordRequest(std::string_view path, int status, double seconds) {
  RequestMetrics& m = Metrics();
  size_t route = RouteIndex(path);
  m.by_status.At(route, internal::StatusSlot(status)).Increment();
  m.timing.At(route, 0).Observe(seconds);
}

BusyThread::BusyThread() { Metrics().busy.Increment(); }
BusyThread::~BusyThread() { Metrics().busy.Decrement(); }

void SetRequestsParked(int parked) { Metrics().parked.Set(parked); }

}  // namespace userdesk::metrics
