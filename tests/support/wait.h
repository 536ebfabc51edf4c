// The one way a test waits for something another process or thread does after answering (nginx
// writes its access line, a logger runs, a server starts): poll the condition until it holds or
// a deadline passes, never a fixed sleep that guesses how long it takes.
#pragma once

#include <chrono>
#include <thread>

namespace userdesk::testing {

// True as soon as condition() holds; false if it still does not after timeout.
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace userdesk::testing
