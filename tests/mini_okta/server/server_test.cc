// MiniOktaServer's connection handling: slow clients cannot keep others waiting, a request
// that stops arriving is answered and dropped after the read timeout, and a slow-answer fault
// (latencyMs, alone or with the 429 and error faults) delays hundreds of calls at once by one
// latency, not by a queue.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "mini_okta/raw_connection.h"
#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::RawConnection;
using testing::ServerHarness;

// Connections that send a request's header one byte at a time, each byte well within the read
// timeout, so each keeps the worker thread that reads it. They stop when destroyed.
class Tricklers {
 public:
  Tricklers(int port, int count) {
    std::string start =
        "GET /dev/outbox HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nX-Slow: ";
    for (int i = 0; i < count; i++) {
      connections_.push_back(std::make_unique<RawConnection>(port));
      connections_.back()->Send(start);
    }
    thread_ = std::thread([this] {
      while (!stop_) {
        for (auto& c : connections_) c->Send("a");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~Tricklers() {
    stop_ = true;
    thread_.join();
  }

  bool all_connected() const {
    for (const auto& c : connections_) {
      if (!c->connected()) return false;
    }
    return true;
  }

 private:
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::atomic<bool> stop_ = false;
  std::thread thread_;
};

TEST(SlowClients, SixteenTricklingConnectionsDoNotStallANormalRequest) {
  ServerHarness h;
  h.Start();
  Tricklers slow(h.server().port(), 16);
  ASSERT_TRUE(slow.all_connected());
  // Let every trickler reach a worker before the normal request asks for one.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  httplib::Client client = h.Client();
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(2, 0);
  auto start = std::chrono::steady_clock::now();
  auto res = client.Get("/.well-known/openid-configuration");
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(res) << "no answer within 2 s while slow clients held connections";
  EXPECT_EQ(res->status, 200);
  EXPECT_LT(waited, std::chrono::seconds(2));
}

TEST(SlowClients, ARequestThatStopsArrivingIsAnsweredAfterTheReadTimeout) {
  Options o;
  o.read_timeout_ms = 300;
  ServerHarness h(o);
  h.Start();
  RawConnection c(h.server().port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("GET /dev/outbox HTTP/1.1\r\nHost: 127.0.0.1:" +
                     std::to_string(h.server().port()) + "\r\nX-Half: "));
  // httplib answers a request it could not read in full with 400.
  std::string answer = c.ReadAtLeast(12, std::chrono::seconds(3));
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << "after 3 s: '" << answer << "'";
}

struct SlowFault {
  const char* name;
  FaultSettings faults;
  int expected_status;  // 0: 500 or 503, as the error fault picks
};

class SlowFaults : public ::testing::TestWithParam<SlowFault> {};

TEST_P(SlowFaults, TwoHundredCallsAtOnceAreAnsweredInAboutOneLatency) {
  ServerHarness harness({}, GetParam().faults);
  harness.Start();
  constexpr int kCalls = 200;
  std::atomic<int> as_expected = 0;
  std::vector<std::thread> callers;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; i++) {
    callers.emplace_back([&] {
      auto res = harness.ApiGet("/api/v1/users?limit=1");
      if (!res) return;
      int want = GetParam().expected_status;
      if (want != 0 ? res->status == want : (res->status == 500 || res->status == 503)) {
        as_expected++;
      }
    });
  }
  for (auto& t : callers) t.join();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(as_expected, kCalls);
  // one latency (1 s) plus the cost of 200 connections, far from the 4 s a queue of 64 would take
  EXPECT_LT(took, std::chrono::milliseconds(1800))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
}

FaultSettings Slow(FaultSettings faults) {
  faults.latency_ms = 1000;
  return faults;
}

INSTANTIATE_TEST_SUITE_P(
    LatencyAloneAndWithTheOtherFaults, SlowFaults,
    ::testing::Values(SlowFault{"latency", Slow({}), 200},
                      SlowFault{"latencyAnd429", Slow({.force_429 = true}), 429},
                      SlowFault{"latencyAndErrors", Slow({.error_rate = 1.0}), 0}),
    [](const ::testing::TestParamInfo<SlowFault>& p) { return p.param.name; });

}  // namespace
}  // namespace userdesk::mini_okta
