// The process's metrics, in the Prometheus text exposition format (prometheus-cpp's registry and
// text serializer; its own HTTP server is not used: a responder answers /-/metrics/<name> itself,
// app/ops_endpoints.h). The other metrics/ headers record; this one reads everything out.
//
// Nothing outside metrics/ includes prometheus-cpp: modules call the small recording functions of
// metrics/requests.h, metrics/okta.h and metrics/events.h, which keep the hot path to an atomic
// add on a metric whose pointer is cached (no map lookup, no lock, per request).
#pragma once

#include <string>

namespace userdesk::metrics {

// Every metric recorded so far in this process, as Prometheus text format 0.0.4.
std::string Exposition();

// The Content-Type of Exposition()'s text.
inline constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace userdesk::metrics
