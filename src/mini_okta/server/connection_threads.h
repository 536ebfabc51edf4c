// The threads that serve mini-okta's connections (httplib's task queue: one task is one
// connection, from its first byte to its close).
//
// httplib's own pool has a fixed number of threads, so a fault that makes answers slow
// (latencyMs) held one of them per call: 64 slow calls at once and the 65th waited in the queue,
// which is not how a slow Okta behaves. This pool keeps `resident` threads and, when every thread
// is busy, starts another for the new connection, up to `max`; a thread beyond the resident
// ones leaves after kExtraIdle without work. So 500 calls at once, each held 2 s by latencyMs,
// are all answered after about 2 s.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include <httplib.h>

namespace userdesk::mini_okta {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  static constexpr auto kExtraIdle = std::chrono::seconds(5);
  static constexpr size_t kMaxThreads = 2048;  // connections served at once

  ConnectionThreads(size_t resident, size_t max);
  ~ConnectionThreads() override;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then joins every thread.
  void shutdown() override;

 private:
  struct Worker {
    std::thread thread;
    bool done = false;
  };
  void SpawnLocked();
  void Run(Worker* self);

  const size_t resident_;
  const size_t max_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable all_done_cv_;
  std::deque<std::function<void()>> jobs_;
  std::list<Worker> workers_;  // alive ones, and finished ones not yet joined
  size_t alive_ = 0;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace userdesk::mini_okta
