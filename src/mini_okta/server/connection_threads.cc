#include "mini_okta/server/connection_threads.h"

#include <algorithm>
#include <utility>

namespace userdesk::mini_okta {

ConnectionThreads::ConnectionThreads(size_t resident, size_t max)
    : resident_(std::max<size_t>(resident, 1)), max_(std::max(max, resident_)) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < resident_; i++) SpawnLocked();
}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::SpawnLocked() {
  // Threads that left are joined here, so the list holds at most the ones alive plus a few.
  workers_.remove_if([](Worker& w) {
    if (!w.done) return false;
    w.thread.join();
    return true;
  });
  Worker& worker = workers_.emplace_back();
  alive_++;
  worker.thread = std::thread([this, &worker] { Run(&worker); });
}

void ConnectionThreads::enqueue(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  jobs_.push_back(std::move(fn));
  // Every thread busy: one more, so a connection never waits behind slow ones.
  if (idle_ < jobs_.size() && alive_ < max_) SpawnLocked();
  work_cv_.notify_one();
}

void ConnectionThreads::Run(Worker* self) {
  std::unique_lock lock(mu_);
  for (;;) {
    idle_++;
    bool has_work =
        work_cv_.wait_for(lock, kExtraIdle, [this] { return !jobs_.empty() || stopping_; });
    idle_--;
    if (!has_work && alive_ > resident_) break;  // an extra thread nobody needed
    if (jobs_.empty()) {
      if (stopping_) break;
      continue;
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
  self->done = true;
  if (--alive_ == 0) all_done_cv_.notify_all();
}

void ConnectionThreads::shutdown() {
  std::list<Worker> workers;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    work_cv_.notify_all();
  }
  // No thread starts once stopping (enqueue comes only from the server's accept loop, which has
  // ended), so the list can be taken once they are all done.
  {
    std::unique_lock lock(mu_);
    all_done_cv_.wait(lock, [this] { return alive_ == 0; });
    workers.swap(workers_);
  }
  for (Worker& w : workers) w.thread.join();
}

}  // namespace userdesk::mini_okta
