// A clock that moves only when the test says so, for code that takes its clock as a function
// (seconds or milliseconds: the unit is the caller's). Copies of Fn() share the one time, and
// they stay valid however long the code under test keeps them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace userdesk::testing {

class ManualClock {
 public:
  explicit ManualClock(int64_t start = 1000)
      : now_(std::make_shared<std::atomic<int64_t>>(start)) {}
  std::function<int64_t()> Fn() const {
    auto now = now_;
    return [now] { return now->load(); };
  }
  void Advance(int64_t units) { *now_ += units; }

 private:
  std::shared_ptr<std::atomic<int64_t>> now_;
};

}  // namespace userdesk::testing
