#include "account/password_resets.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "support/manual_clock.h"

namespace userdesk::account {
namespace {

// Monotonic milliseconds that move only when the test says so.
class ManualClock : public userdesk::testing::ManualClock {
 public:
  ManualClock() : userdesk::testing::ManualClock(1'000'000) {}
  void AdvanceMinutes(int64_t minutes) { Advance(minutes * 60 * 1000); }
};

// Options for a queue of max_pending with the cooldown off, unless a test turns it on.
ResetOptions Queue(size_t max_pending, int drain_seconds = 10) {
  ResetOptions options;
  options.max_pending = max_pending;
  options.cooldown_ms = 0;
  options.drain_seconds = drain_seconds;
  return options;
}

using Outcome = PasswordResets::Outcome;

// A work function that blocks until released, recording what it handled.
class Gate {
 public:
  PasswordResets::Work Work() {
    return [this](const ResetRequest& r) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        started_++;
        started_cv_.notify_all();
        open_cv_.wait(lock, [this] { return open_; });
      }
      std::lock_guard<std::mutex> lock(mutex_);
      handled_.push_back(r.email);
    };
  }
  void WaitStarted(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    started_cv_.wait(lock, [&] { return started_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    open_cv_.notify_all();
  }
  std::vector<std::string> Handled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return handled_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable started_cv_, open_cv_;
  int started_ = 0;
  bool open_ = false;
  std::vector<std::string> handled_;
};

TEST(PasswordResets, WorksThroughRequestsInOrderOffTheCallersThread) {
  Gate gate;
  PasswordResets resets(gate.Work(), Queue(8));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(resets.Enqueue({"a@example.com", "r1"}), Outcome::kQueued);
  EXPECT_EQ(resets.Enqueue({"b@example.com", "r2"}), Outcome::kQueued);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100))
      << "Enqueue does not wait for the work";
  gate.WaitStarted(1);
  EXPECT_TRUE(gate.Handled().empty());
  gate.Open();
  resets.WaitIdle();
  EXPECT_EQ(gate.Handled(), (std::vector<std::string>{"a@example.com", "b@example.com"}));
}

TEST(PasswordResets, AFullQueueDropsAndCountsRequestsInsteadOfGrowing) {
  Gate gate;
  PasswordResets resets(gate.Work(), Queue(2));
  ASSERT_EQ(resets.Enqueue({"busy@example.com", ""}), Outcome::kQueued);
  gate.WaitStarted(1);  // the worker holds this one; two more fit in the queue
  EXPECT_EQ(resets.Enqueue({"1@example.com", ""}), Outcome::kQueued);
  EXPECT_EQ(resets.Enqueue({"2@example.com", ""}), Outcome::kQueued);
  EXPECT_EQ(resets.dropped(), 0u);
  EXPECT_EQ(resets.Enqueue({"3@example.com", ""}), Outcome::kDropped);
  EXPECT_EQ(resets.Enqueue({"4@example.com", ""}), Outcome::kDropped);
  EXPECT_EQ(resets.dropped(), 2u) << "a running total of the dropped";
  gate.Open();
  resets.WaitIdle();
  EXPECT_EQ(gate.Handled(),
            (std::vector<std::string>{"busy@example.com", "1@example.com", "2@example.com"}));
  EXPECT_EQ(resets.Enqueue({"5@example.com", ""}), Outcome::kQueued)
      << "room again once worked through";
  EXPECT_EQ(resets.dropped(), 2u);
}

TEST(PasswordResets, OneResetPerAddressPerCooldownWhateverTheSpelling) {
  ManualClock clock;
  std::mutex mutex;
  std::vector<std::string> handled;
  ResetOptions options;
  options.cooldown_ms = 15 * 60 * 1000;
  options.now_ms = clock.Fn();
  PasswordResets resets(
      [&](const ResetRequest& r) {
        std::lock_guard<std::mutex> lock(mutex);
        handled.push_back(r.email);
      },
      options);
  EXPECT_EQ(resets.Enqueue({"Ada@Example.com", "r1"}), Outcome::kQueued);
  for (const char* again : {"ada@example.com", " ADA@EXAMPLE.COM ", "ada@example.COM"}) {
    EXPECT_EQ(resets.Enqueue({again, "r2"}), Outcome::kCoolingDown) << again;
  }
  EXPECT_EQ(resets.Enqueue({"grace@example.com", "r3"}), Outcome::kQueued)
      << "another address has its own cooldown";
  clock.AdvanceMinutes(14);
  EXPECT_EQ(resets.Enqueue({"ada@example.com", "r4"}), Outcome::kCoolingDown);
  clock.AdvanceMinutes(1);
  EXPECT_EQ(resets.Enqueue({"ada@example.com", "r5"}), Outcome::kQueued)
      << "the next cooldown begins";
  EXPECT_EQ(resets.Enqueue({"ada@example.com", "r6"}), Outcome::kCoolingDown);
  resets.WaitIdle();
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(handled,
            (std::vector<std::string>{"Ada@Example.com", "grace@example.com", "ada@example.com"}));
  EXPECT_EQ(resets.dropped(), 0u) << "cooled-down requests are not drops";
}

TEST(PasswordResets, TheCooldownIsCheckedBeforeTheQueueAndADropStartsNoCooldown) {
  ManualClock clock;
  Gate gate;
  ResetOptions options = Queue(1);
  options.cooldown_ms = 15 * 60 * 1000;
  options.now_ms = clock.Fn();
  PasswordResets resets(gate.Work(), options);
  ASSERT_EQ(resets.Enqueue({"busy@example.com", ""}), Outcome::kQueued);
  gate.WaitStarted(1);
  ASSERT_EQ(resets.Enqueue({"ada@example.com", ""}), Outcome::kQueued);  // the queue is full
  // repeats of a cooling address never reach the full queue, so they are not counted as drops
  for (int i = 0; i < 5; i++) {
    EXPECT_EQ(resets.Enqueue({"ada@example.com", ""}), Outcome::kCoolingDown);
    EXPECT_EQ(resets.Enqueue({"busy@example.com", ""}), Outcome::kCoolingDown);
  }
  EXPECT_EQ(resets.dropped(), 0u);
  EXPECT_EQ(resets.Enqueue({"grace@example.com", ""}), Outcome::kDropped);
  EXPECT_EQ(resets.dropped(), 1u);
  gate.Open();
  resets.WaitIdle();
  EXPECT_EQ(resets.Enqueue({"grace@example.com", ""}), Outcome::kQueued)
      << "nothing was sent for the dropped request, so it may ask again at once";
  resets.WaitIdle();
  EXPECT_EQ(gate.Handled(),
            (std::vector<std::string>{"busy@example.com", "ada@example.com", "grace@example.com"}));
}

TEST(PasswordResets, StoppingFinishesWhatIsQueuedWithinTheDrainTime) {
  std::atomic<int> handled{0};
  {
    PasswordResets resets([&](const ResetRequest&) { handled++; }, Queue(16));
    for (int i = 0; i < 10; i++) ASSERT_EQ(resets.Enqueue({"x@example.com", ""}), Outcome::kQueued);
  }
  EXPECT_EQ(handled.load(), 10);
}

TEST(PasswordResets, StoppingDropsWhatIsLeftAfterTheDrainTime) {
  std::atomic<int> handled{0};
  auto slow = [&](const ResetRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    handled++;
  };
  auto start = std::chrono::steady_clock::now();
  {
    PasswordResets resets(slow, Queue(16, /*drain_seconds=*/1));
    for (int i = 0; i < 10; i++) ASSERT_EQ(resets.Enqueue({"x@example.com", ""}), Outcome::kQueued);
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(handled.load(), 10);
  EXPECT_GE(handled.load(), 2);
  EXPECT_LT(took, std::chrono::milliseconds(2500)) << "the drain time bounds the shutdown";
}

}  // namespace
}  // namespace userdesk::account
