#include "profile/profile_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "base/park.h"
#include "metrics/registry.h"
#include "support/prometheus_text.h"

namespace userdesk::profile {
namespace {

okta::User MakeUser(const std::string& id, int64_t last_updated_ms, const std::string& city) {
  okta::User u;
  u.id = id;
  u.last_updated_ms = last_updated_ms;
  u.profile = {{"city", city}};
  return u;
}

okta::Failure Fail(ErrorCode code, int retry_after = 0) {
  return okta::Failure{MakeError(code, "test"), std::nullopt, retry_after};
}

// A fake Okta: counts reads and answers with whatever the test set.
struct FakeOkta {
  int reads = 0;
  okta::OktaResult<okta::User> answer = MakeUser("00u1", 1000, "London");
  ProfileCache::Fetch Fetch() {
    return [this] {
      reads++;
      return answer;
    };
  }
};

struct CacheTest : ::testing::Test {
  int64_t now = 1'000'000;
  ProfileCache cache{CacheOptions{60, 3}, [this] { return now; }};
  FakeOkta okta;
};

TEST_F(CacheTest, OneReadPerUserPerTtl) {
  for (int i = 0; i < 5; i++) {
    auto got = cache.Get("00u1", 0, okta.Fetch());
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->user->Attribute("city"), "London");
    EXPECT_FALSE(got->stale);
    now += 10'000;  // 10 s
  }
  EXPECT_EQ(okta.reads, 1);  // reads at 0 s, hits at 10..40 s
  now += 20'000;             // 60 s after the read: expired
  okta.answer = MakeUser("00u1", 2000, "Paris");
  auto got = cache.Get("00u1", 0, okta.Fetch());
  EXPECT_EQ(got->user->Attribute("city"), "Paris");
  EXPECT_EQ(okta.reads, 2);
}

TEST_F(CacheTest, ACopyOlderThanTheUsersLastSaveIsReadAgain) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());  // lastUpdated 1000
  // the user saved through another process: their session says lastUpdated is now 5000
  okta.answer = MakeUser("00u1", 5000, "Paris");
  auto got = cache.Get("00u1", 5000, okta.Fetch());
  EXPECT_EQ(got->user->Attribute("city"), "Paris");
  EXPECT_EQ(okta.reads, 2);
  // from then on the new copy satisfies that session without further reads
  ASSERT_TRUE(cache.Get("00u1", 5000, okta.Fetch()).ok());
  EXPECT_EQ(okta.reads, 2);
}

TEST_F(CacheTest, OktasCopyCountsAsCurrentEvenWhenItsClockIsBehind) {
  // Okta's lastUpdated can be below the session's value when the session came from a clock
  // that runs ahead: the read made for that minimum satisfies it, no read per request
  okta.answer = MakeUser("00u1", 4000, "Paris");
  ASSERT_TRUE(cache.Get("00u1", 5000, okta.Fetch()).ok());
  ASSERT_TRUE(cache.Get("00u1", 5000, okta.Fetch()).ok());
  EXPECT_EQ(okta.reads, 1);
}

TEST_F(CacheTest, StoreServesTheSavedCopyAtOnce) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());
  cache.Store(MakeUser("00u1", 7000, "Rome"));
  auto got = cache.Get("00u1", 7000, okta.Fetch());
  EXPECT_EQ(got->user->Attribute("city"), "Rome");
  EXPECT_EQ(okta.reads, 1);
}

TEST_F(CacheTest, AFailedReadServesTheLastCopyMarkedStaleThenBacksOff) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());
  int64_t read_at = now;
  now += 61'000;
  okta.answer = Fail(ErrorCode::kUnavailable);
  auto got = cache.Get("00u1", 0, okta.Fetch());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->stale);
  EXPECT_EQ(got->fetched_at_ms, read_at);
  EXPECT_EQ(got->user->Attribute("city"), "London");
  EXPECT_EQ(okta.reads, 2);
  // during the back-off Okta is left alone
  now += ProfileCache::kFailureBackoffMs - 1;
  EXPECT_TRUE(cache.Get("00u1", 0, okta.Fetch())->stale);
  EXPECT_EQ(okta.reads, 2);
  // then asked again, and a success ends the stale state
  now += 1;
  okta.answer = MakeUser("00u1", 3000, "Oslo");
  got = cache.Get("00u1", 0, okta.Fetch());
  EXPECT_FALSE(got->stale);
  EXPECT_EQ(got->user->Attribute("city"), "Oslo");
  EXPECT_EQ(okta.reads, 3);
}

TEST_F(CacheTest, RateLimitBackOffFollowsRetryAfterWithinTheTtl) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());
  now += 61'000;
  okta.answer = Fail(ErrorCode::kRateLimited, 30);
  EXPECT_TRUE(cache.Get("00u1", 0, okta.Fetch())->stale);
  now += 29'000;
  EXPECT_TRUE(cache.Get("00u1", 0, okta.Fetch())->stale);
  EXPECT_EQ(okta.reads, 2);
  now += 1'000;
  okta.answer = MakeUser("00u1", 3000, "Oslo");
  EXPECT_FALSE(cache.Get("00u1", 0, okta.Fetch())->stale);
  EXPECT_EQ(okta.reads, 3);
}

TEST_F(CacheTest, ARefusedWaitServesTheCopyWithoutBackingOff) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());
  now += 61'000;
  // this process's own overload (base/park.h), not Okta's: the copy now, and Okta is asked
  // again on the very next request
  okta.answer = okta::Failure{park::BusyError("test"), std::nullopt, 2};
  EXPECT_TRUE(cache.Get("00u1", 0, okta.Fetch())->stale);
  okta.answer = MakeUser("00u1", 3000, "Oslo");
  auto got = cache.Get("00u1", 0, okta.Fetch());
  EXPECT_FALSE(got->stale);
  EXPECT_EQ(got->user->Attribute("city"), "Oslo");
  EXPECT_EQ(okta.reads, 3);
}

TEST_F(CacheTest, WithoutACopyTheFailureIsReturned) {
  okta.answer = Fail(ErrorCode::kDeadlineExceeded);
  auto got = cache.Get("00u1", 0, okta.Fetch());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().error.code, ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(CacheTest, AUserOktaNoLongerKnowsIsDroppedAndNotAskedForAgainWithinTheTtl) {
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());
  now += 61'000;
  okta.answer = Fail(ErrorCode::kNotFound);
  auto got = cache.Get("00u1", 0, okta.Fetch());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().error.code, ErrorCode::kNotFound);
  // a replayed cookie of the deleted user: the answer is remembered, Okta is not asked
  for (int i = 0; i < 3; i++) {
    got = cache.Get("00u1", 0, okta.Fetch());
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().error.code, ErrorCode::kNotFound);
  }
  EXPECT_EQ(okta.reads, 2);
  now += 60'000;  // after the TTL Okta is asked again
  okta.answer = MakeUser("00u1", 9000, "Back");
  EXPECT_EQ(cache.Get("00u1", 0, okta.Fetch())->user->Attribute("city"), "Back");
  EXPECT_EQ(okta.reads, 3);
}

TEST_F(CacheTest, KeepsAtMostMaxUsersDroppingTheLeastRecentlyUsed) {
  for (const char* id : {"00u1", "00u2", "00u3"}) {
    okta.answer = MakeUser(id, 1, id);
    ASSERT_TRUE(cache.Get(id, 0, okta.Fetch()).ok());
  }
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());  // 00u1 used again: 00u2 is oldest
  okta.answer = MakeUser("00u4", 1, "00u4");
  ASSERT_TRUE(cache.Get("00u4", 0, okta.Fetch()).ok());
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(okta.reads, 4);
  okta.answer = MakeUser("00u2", 1, "00u2");
  ASSERT_TRUE(cache.Get("00u2", 0, okta.Fetch()).ok());  // evicted: read again
  EXPECT_EQ(okta.reads, 5);
  ASSERT_TRUE(cache.Get("00u4", 0, okta.Fetch()).ok());  // still there
  EXPECT_EQ(okta.reads, 5);
}

TEST_F(CacheTest, ZeroTtlReadsEveryTimeButKeepsACopyForOutages) {
  ProfileCache uncached{CacheOptions{0, 10}, [this] { return now; }};
  ASSERT_TRUE(uncached.Get("00u1", 0, okta.Fetch()).ok());
  ASSERT_TRUE(uncached.Get("00u1", 0, okta.Fetch()).ok());
  EXPECT_EQ(okta.reads, 2);
  okta.answer = Fail(ErrorCode::kUnavailable);
  EXPECT_TRUE(uncached.Get("00u1", 0, okta.Fetch())->stale);
}

TEST(ProfileCacheConcurrency, ConcurrentMissesShareOneRead) {
  ProfileCache cache{CacheOptions{60, 10}};
  std::atomic<int> reads{0};
  std::atomic<bool> release{false};
  auto slow_fetch = [&]() -> okta::OktaResult<okta::User> {
    reads++;
    while (!release) std::this_thread::yield();
    return MakeUser("00u1", 1, "London");
  };
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; i++) {
    threads.emplace_back([&] {
      auto got = cache.Get("00u1", 0, slow_fetch);
      if (got.ok() && got->user->Attribute("city") == "London") ok++;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(reads.load(), 1);
  EXPECT_EQ(ok.load(), 8);
}

// Counts the waits that park (base/park.h); the cache calls Park under its lock, just before it
// counts the waiter.
struct CountingHost : park::Host {
  std::atomic<int> parked{0};
  bool Park() override {
    parked++;
    return true;
  }
  void Unpark() override {}
};

// One user's many tabs (or a script) must not fill the process's bound on waiting requests: past
// max_waiters_per_user, a request for a user whose read is in flight is answered at once, with the
// copy when there is one, the busy answer when there is none; the waiters get the read.
TEST(ProfileCacheConcurrency, OneUsersWaitersAreCapped) {
  int64_t now = 1'000'000;
  constexpr int kCap = 8;
  ProfileCache cache{CacheOptions{60, 10, kCap}, [&] { return now; }};
  auto answer = [](okta::OktaResult<okta::User> result) { return [result] { return result; }; };
  for (bool with_copy : {false, true}) {
    SCOPED_TRACE(with_copy ? "with a copy" : "first read");
    std::string sub = with_copy ? "00u2" : "00u1";
    if (with_copy) {
      ASSERT_TRUE(cache.Get(sub, 0, answer(MakeUser(sub, 1, "Old"))).ok());
      now += 61'000;
    }
    std::atomic<bool> reading{false}, release{false};
    auto slow_fetch = [&]() -> okta::OktaResult<okta::User> {
      reading = true;
      while (!release) std::this_thread::yield();
      return MakeUser(sub, 2, "New");
    };
    std::thread reader([&] { EXPECT_TRUE(cache.Get(sub, 0, slow_fetch).ok()); });
    while (!reading) std::this_thread::yield();
    CountingHost host;
    std::atomic<int> fresh{0};
    std::vector<std::thread> waiters;
    for (int i = 0; i < kCap; i++) {
      waiters.emplace_back([&] {
        park::SetThreadHost(&host);
        auto got = cache.Get(sub, 0, slow_fetch);
        if (got.ok() && !got->stale && got->user->Attribute("city") == "New") fresh++;
        park::SetThreadHost(nullptr);
      });
    }
    while (host.parked < kCap) std::this_thread::yield();
    // the share is taken: answered at once, without a read of its own
    auto asked = std::async(std::launch::async,
                            [&] { return cache.Get(sub, 0, answer(Fail(ErrorCode::kInternal))); });
    bool at_once = asked.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
    release = !at_once;  // a waiter past the share would wait for the read: let it end
    EXPECT_TRUE(at_once) << "a request past the user's share of waiters waited";
    auto extra = asked.get();
    if (with_copy) {
      ASSERT_TRUE(extra.ok());
      EXPECT_TRUE(extra->stale);
      EXPECT_EQ(extra->user->Attribute("city"), "Old");
    } else {
      ASSERT_FALSE(extra.ok());
      EXPECT_TRUE(park::IsBusy(extra.error().error));
      EXPECT_EQ(extra.error().retry_after_seconds, park::kBusyRetryAfterSeconds);
    }
    release = true;
    reader.join();
    for (auto& t : waiters) t.join();
    EXPECT_EQ(fresh.load(), kCap);
  }
}

}  // namespace
}  // namespace userdesk::profile

namespace userdesk::profile {
namespace {

// userdesk_profile_cache_* as served (the counters are process-wide: differences only).
double Served(const std::string& series) {
  auto text = userdesk::testing::ParsePrometheusText(metrics::Exposition());
  EXPECT_EQ(text.error, "");
  return text.Value(series).value_or(-1);
}

TEST_F(CacheTest, MetricsCountHitsMissesAndStaleCopies) {
  const std::string hit = R"(userdesk_profile_cache_lookups_total{result="hit"})";
  const std::string miss = R"(userdesk_profile_cache_lookups_total{result="miss"})";
  const std::string stale = "userdesk_profile_cache_stale_served_total";
  double hits = Served(hit), misses = Served(miss), stales = Served(stale);
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());  // read: a miss
  ASSERT_TRUE(cache.Get("00u1", 0, okta.Fetch()).ok());  // fresh copy: a hit
  EXPECT_EQ(Served(miss), misses + 1);
  EXPECT_EQ(Served(hit), hits + 1);
  EXPECT_EQ(Served(stale), stales);
  now += 61'000;  // expired, and Okta is down: asked (a miss), the old copy served (stale)
  okta.answer = Fail(ErrorCode::kUnavailable);
  auto got = cache.Get("00u1", 0, okta.Fetch());
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->stale);
  EXPECT_EQ(Served(miss), misses + 2);
  EXPECT_EQ(Served(stale), stales + 1);
  EXPECT_EQ(Served(hit), hits + 1);
}

}  // namespace
}  // namespace userdesk::profile
