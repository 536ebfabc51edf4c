#include "account/password_resets.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

namespace userdesk::account {
namespace {

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
  PasswordResets resets(gate.Work(), 8);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(resets.Enqueue({"a@example.com", "r1"}));
  EXPECT_TRUE(resets.Enqueue({"b@example.com", "r2"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100))
      << "Enqueue does not wait for the work";
  gate.WaitStarted(1);
  EXPECT_TRUE(gate.Handled().empty());
  gate.Open();
  resets.WaitIdle();
  EXPECT_EQ(gate.Handled(), (std::vector<std::string>{"a@example.com", "b@example.com"}));
}

TEST(PasswordResets, AFullQueueDropsRequestsInsteadOfGrowing) {
  Gate gate;
  PasswordResets resets(gate.Work(), 2);
  ASSERT_TRUE(resets.Enqueue({"busy@example.com", ""}));
  gate.WaitStarted(1);  // the worker holds this one; two more fit in the queue
  EXPECT_TRUE(resets.Enqueue({"1@example.com", ""}));
  EXPECT_TRUE(resets.Enqueue({"2@example.com", ""}));
  EXPECT_FALSE(resets.Enqueue({"3@example.com", ""}));
  gate.Open();
  resets.WaitIdle();
  EXPECT_EQ(gate.Handled().size(), 3u);
  EXPECT_TRUE(resets.Enqueue({"4@example.com", ""})) << "room again once worked through";
}

TEST(PasswordResets, StoppingFinishesWhatIsQueuedWithinTheDrainTime) {
  std::atomic<int> handled{0};
  {
    PasswordResets resets([&](const ResetRequest&) { handled++; }, 16);
    for (int i = 0; i < 10; i++) ASSERT_TRUE(resets.Enqueue({"x@example.com", ""}));
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
    PasswordResets resets(slow, 16, /*drain_seconds=*/1);
    for (int i = 0; i < 10; i++) ASSERT_TRUE(resets.Enqueue({"x@example.com", ""}));
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(handled.load(), 10);
  EXPECT_GE(handled.load(), 2);
  EXPECT_LT(took, std::chrono::milliseconds(2500)) << "the drain time bounds the shutdown";
}

}  // namespace
}  // namespace userdesk::account
