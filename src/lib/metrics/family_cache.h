// Inside metrics/ only: the one prometheus::Registry and a lock-free cache of label children.
//
// prometheus-cpp's Family::Add takes a mutex and hashes the label set on every call; a request
// must not pay that. Children is a fixed table of atomic pointers indexed by small integers
// (a route and a status, an endpoint family and a status): the first use of a cell calls Add once
// (Add returns the same child for the same labels, so two threads racing there agree), and every
// later use is an atomic load. Every label value comes from a fixed list, so the table, and the
// number of series, is bounded.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

namespace userdesk::metrics::internal {

// The registry every metric of the process is registered in (built on first use).
prometheus::Registry& TheRegistry();

// Each group builds its metrics on first use; Exposition builds them all first, so the first
// scrape already shows every series that exists from the start (at 0).
void EnsureRequestMetrics();
void EnsureOktaMetrics();
void EnsureEventMetrics();

// The HTTP status codes 100-599 as indexes 0-499; anything else (0: no answer) is index 500,
// labelled by the caller.
inline constexpr size_t kStatusSlots = 501;
inline size_t StatusSlot(long status) {
  return status >= 100 && status <= 599 ? static_cast<size_t>(status - 100) : kStatusSlots - 1;
}

template <typename Metric, size_t Rows, size_t Columns>
class Children {
 public:
  // make(row, column) adds the child for that cell to its family (called at most a few times
  // per cell, on first use).
  using Make = std::function<Metric*(size_t row, size_t column)>;
  explicit Children(Make make) : make_(std::move(make)) {}

  Metric& At(size_t row, size_t column) {
    std::atomic<Metric*>& cell = cells_[row * Columns + column];
    Metric* metric = cell.load(std::memory_order_acquire);
    if (metric == nullptr) {
      metric = make_(row, column);
      cell.store(metric, std::memory_order_release);
    }
    return *metric;
  }

 private:
  Make make_;
  std::array<std::atomic<Metric*>, Rows * Columns> cells_{};
};

// Latency buckets in seconds: a warm page takes well under a millisecond, an Okta call tens of
// milliseconds, a timeout seconds.
inline const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

}  // namespace userdesk::metrics::internal
