// What every responder records about the requests it serves: requests by route and status,
// their latency, and its threads (busy serving, parked waiting for the identity provider).
// fcgi::Serve records them for every request, so no handler has to.
#pragma once

#include <cstddef>
#include <string_view>

namespace userdesk::metrics {

// The route label: the path when it is one of userdesk's pages (nginx/routes.txt), "ops" for the
// /-/ endpoints, "other" for anything else (a 404's raw path would make a series per URL anyone
// cares to type).
size_t RouteIndex(std::string_view path);
std::string_view RouteLabel(size_t index);
inline constexpr size_t kRouteCount = 12;

// One answered request: userdesk_http_requests_total{route,code} and
// userdesk_http_request_duration_seconds{route}.
void RecordRequest(std::string_view path, int status, double seconds);

// userdesk_threads_busy: a worker thread serving a request, for the scope's life.
class BusyThread {
 public:
  BusyThread();
  ~BusyThread();
  BusyThread(const BusyThread&) = delete;
  BusyThread& operator=(const BusyThread&) = delete;
};

// userdesk_requests_parked: requests waiting for the identity provider (base/park.h), set by the
// FastCGI pool, the one park host, whenever its count changes.
void SetRequestsParked(int parked);

}  // namespace userdesk::metrics
