// The session registry's contract (session/registry.h), run against every store behind it
// (kStores): the SQLite file, and a real redis-server (tests/support/redis_server.h). Plus what
// is each store's own: two processes' connections to one SQLite file see each other's writes;
// Redis's password, its outages and its TTLs.
#include "session/registry.h"

#include <gtest/gtest.h>
#include <hiredis.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "session/redis_registry.h"
#include "session/sqlite_registry.h"
#include "support/redis_server.h"

namespace userdesk::session {
namespace {

std::string TempPath(const std::string& name) {
  return "/tmp/userdesk-registry-" + std::to_string(::getpid()) + "-" + name + ".db";
}

void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

using testing::RedisServer;

struct Store {
  const char* name;
  std::function<std::unique_ptr<Registry>(const std::string& test_name)> open;
  std::function<std::string()> missing;  // why the store cannot run here, or ""
};

std::unique_ptr<Registry> OpenSqlite(const std::string& test_name) {
  std::string path = TempPath(test_name);
  RemoveDatabase(path);
  auto opened = SqliteRegistry::Open(path);
  if (!opened.ok()) return nullptr;
  return std::move(opened).value();
}

constexpr int kContractDb = 1;  // not 0: SELECT is part of what runs

// One command on a database of server, beside the registry: what the contract cannot see (TTLs)
// and the clean slate each test starts from. The integer reply, or -100 on any failure.
long long RawRedis(const RedisServer& server, int db, const std::vector<std::string>& command) {
  redisContext* c = redisConnect("127.0.0.1", server.port());
  long long out = -100;
  auto run = [c](const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    return static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  };
  if (c != nullptr && c->err == 0) {
    for (const auto& step : {std::vector<std::string>{"AUTH", server.password()},
                             std::vector<std::string>{"SELECT", std::to_string(db)}, command}) {
      redisReply* reply = run(step);
      if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
        if (reply != nullptr) freeReplyObject(reply);
        out = -100;
        break;
      }
      out = reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0;
      freeReplyObject(reply);
    }
  }
  redisFree(c);
  return out;
}

RedisOptions OptionsFor(const RedisServer& server, int db) {
  RedisOptions options;
  options.host = "127.0.0.1";
  options.port = server.port();
  options.db = db;
  options.password = server.password();
  // These tests are about what the store answers, not how fast: under ThreadSanitizer, with the
  // rest of the suite running beside it, one first command once took longer than the 500 ms
  // default (the test that is about the timeout sets its own).
  options.connect_timeout = std::chrono::seconds(5);
  options.command_timeout = std::chrono::seconds(5);
  return options;
}

std::string RedisMissing() {
  if (!RedisServer::Installed()) return "redis-server is not installed (make deps)";
  return RedisServer::Shared() != nullptr ? "" : "redis-server did not start";
}

std::unique_ptr<Registry> OpenRedis(const std::string&) {
  RedisServer* server = RedisServer::Shared();
  if (server == nullptr || RawRedis(*server, kContractDb, {"FLUSHDB"}) != 0) return nullptr;
  auto opened = RedisRegistry::Open(OptionsFor(*server, kContractDb));
  if (!opened.ok()) return nullptr;
  return std::move(opened).value();
}

class RegistryContract : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    test_name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test_name_) c = c == '/' ? '-' : c;
    if (GetParam().missing) {
      if (std::string why = GetParam().missing(); !why.empty()) GTEST_SKIP() << why;
    }
    registry_ = GetParam().open(test_name_);
    ASSERT_NE(registry_, nullptr) << "the store did not open";
  }
  void TearDown() override {
    registry_.reset();
    RemoveDatabase(TempPath(test_name_));
  }

  SessionRecord Signed(const std::string& sid, const std::string& sub, int64_t at,
                       const std::string& provider_sid = "") {
    SessionRecord r;
    r.provider_sid = provider_sid;
    r.id = RecordId(sid);
    r.sub = sub;
    r.created_at = at;
    r.last_seen_at = at;
    r.device = "Firefox on Linux";
    r.address = "192.0.2.7";
    EXPECT_TRUE(registry_->Add(r).ok());
    return r;
  }
  bool Active(const std::string& sid) {
    auto found = registry_->Find(RecordId(sid));
    return found.ok() && found->has_value() && (*found)->active();
  }

  std::string test_name_;
  std::unique_ptr<Registry> registry_;
};

TEST_P(RegistryContract, KeepsWhatWasAddedUnderTheHashOfTheSid) {
  SessionRecord added = Signed("sid-one", "00u1", 1000);
  EXPECT_NE(added.id, "sid-one");
  EXPECT_EQ(added.id.size(), 43u);
  auto found = registry_->Find(added.id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const SessionRecord& r = **found;
  EXPECT_EQ(r.sub, "00u1");
  EXPECT_EQ(r.created_at, 1000);
  EXPECT_EQ(r.last_seen_at, 1000);
  EXPECT_EQ(r.device, "Firefox on Linux");
  EXPECT_EQ(r.address, "192.0.2.7");
  EXPECT_TRUE(r.active());
  auto missing = registry_->Find(RecordId("never-added"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(RegistryContract, ASessionIdIsNeverAddedTwice) {
  SessionRecord first = Signed("sid-one", "00u1", 1000);
  first.sub = "00u2";  // someone else's sign-in must not take over the record
  auto again = registry_->Add(first);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ((*registry_->Find(first.id))->sub, "00u1");
}

TEST_P(RegistryContract, TouchMovesLastSeenOfActiveSessionsOnly) {
  Signed("a", "00u1", 1000);
  Signed("b", "00u1", 1000);
  ASSERT_TRUE(registry_->Touch(RecordId("a"), 1500).ok());
  EXPECT_EQ((*registry_->Find(RecordId("a")))->last_seen_at, 1500);
  ASSERT_TRUE(*registry_->End("00u1", RecordId("b"), 1200));
  ASSERT_TRUE(registry_->Touch(RecordId("b"), 1600).ok());
  EXPECT_EQ((*registry_->Find(RecordId("b")))->last_seen_at, 1000);
  EXPECT_TRUE(registry_->Touch(RecordId("unknown"), 1600).ok());
}

TEST_P(RegistryContract, ListsOneUsersActiveSessionsMostRecentlySeenFirst) {
  Signed("old", "00u1", 1000);
  Signed("new", "00u1", 2000);
  Signed("mid", "00u1", 1500);
  Signed("ended", "00u1", 2500);
  Signed("other", "00u2", 3000);
  ASSERT_TRUE(*registry_->End("00u1", RecordId("ended"), 2600));
  auto listed = registry_->ActiveOf("00u1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].id, RecordId("new"));
  EXPECT_EQ((*listed)[1].id, RecordId("mid"));
  EXPECT_EQ((*listed)[2].id, RecordId("old"));
  EXPECT_TRUE(registry_->ActiveOf("00u3")->empty());
}

TEST_P(RegistryContract, EndsOnlyTheCallersOwnSession) {
  Signed("mine", "00u1", 1000);
  Signed("theirs", "00u2", 1000);
  // a handle taken from someone else's page, posted by 00u1: nothing happens
  auto other = registry_->End("00u1", RecordId("theirs"), 1100);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  EXPECT_TRUE(Active("theirs"));
  auto own = registry_->End("00u1", RecordId("mine"), 1100);
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(*own);
  EXPECT_FALSE(Active("mine"));
  EXPECT_EQ((*registry_->Find(RecordId("mine")))->ended_at, 1100);
  EXPECT_FALSE(*registry_->End("00u1", RecordId("mine"), 1200));  // ended once, not again
  EXPECT_EQ((*registry_->Find(RecordId("mine")))->ended_at, 1100);
}

TEST_P(RegistryContract, EndsAllOfAUsersSessionsButTheOneKept) {
  for (const char* sid : {"a", "b", "c"}) Signed(sid, "00u1", 1000);
  Signed("x", "00u2", 1000);
  auto others = registry_->EndAllOf("00u1", RecordId("b"), 1100);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(*others, 2);
  EXPECT_FALSE(Active("a"));
  EXPECT_TRUE(Active("b"));
  EXPECT_FALSE(Active("c"));
  EXPECT_TRUE(Active("x"));
  auto all = registry_->EndAllOf("00u1", "", 1200);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 1);
  EXPECT_FALSE(Active("b"));
  EXPECT_TRUE(Active("x"));
}

TEST_P(RegistryContract, PurgeForgetsSessionsEndedOrIdleBeforeTheCutoff) {
  Signed("ended-long-ago", "00u1", 1000);
  Signed("idle-long-ago", "00u1", 1000);
  Signed("recent", "00u1", 1000);
  Signed("ended-recently", "00u1", 1000);
  ASSERT_TRUE(*registry_->End("00u1", RecordId("ended-long-ago"), 1100));
  ASSERT_TRUE(registry_->Touch(RecordId("recent"), 5000).ok());
  ASSERT_TRUE(registry_->Touch(RecordId("ended-recently"), 5000).ok());
  ASSERT_TRUE(*registry_->End("00u1", RecordId("ended-recently"), 5000));
  ASSERT_TRUE(registry_->Purge(2000).ok());
  EXPECT_FALSE(registry_->Find(RecordId("ended-long-ago"))->has_value());
  EXPECT_FALSE(registry_->Find(RecordId("idle-long-ago"))->has_value());
  EXPECT_TRUE(Active("recent"));
  auto kept = registry_->Find(RecordId("ended-recently"));
  ASSERT_TRUE(kept->has_value());
  EXPECT_FALSE((*kept)->active());
}

TEST_P(RegistryContract, KeepsTheProviderSessionAndEndsTheSessionsItNamed) {
  Signed("a", "00u1", 1000, "op-1");
  Signed("b", "00u1", 1000, "op-2");
  Signed("c", "00u2", 1000, "op-1");  // another user in one provider session: a shared browser
  Signed("none", "00u1", 1000);
  EXPECT_EQ((*registry_->Find(RecordId("a")))->provider_sid, "op-1");
  auto by_both = registry_->EndByProviderSession("00u1", "op-1", 1100);
  ASSERT_TRUE(by_both.ok());
  EXPECT_EQ(*by_both, 1);
  EXPECT_FALSE(Active("a"));
  EXPECT_TRUE(Active("c"));
  auto by_sid = registry_->EndByProviderSession("", "op-1", 1100);
  ASSERT_TRUE(by_sid.ok());
  EXPECT_EQ(*by_sid, 1);
  EXPECT_FALSE(Active("c"));
  auto empty = registry_->EndByProviderSession("", "", 1100);  // names nothing, ends nothing
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, 0);
  EXPECT_TRUE(Active("b"));
  EXPECT_TRUE(Active("none"));
}

TEST_P(RegistryContract, AKeyIsUsedOnceUntilItExpires) {
  auto first = registry_->UseOnce("jti-1", 2000, 1000);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*registry_->UseOnce("jti-1", 2000, 1500));
  EXPECT_TRUE(*registry_->UseOnce("jti-2", 2000, 1500));
  EXPECT_TRUE(*registry_->UseOnce("jti-1", 3000, 2000));  // expired: a fresh mark
  EXPECT_FALSE(*registry_->UseOnce("jti-1", 3000, 2500));
  ASSERT_TRUE(registry_->Purge(3000).ok());
  EXPECT_TRUE(*registry_->UseOnce("jti-1", 4000, 2500));  // purged marks are gone
}

TEST_P(RegistryContract, KeepsATokenBlobWithAnActiveSessionOnly) {
  Signed("a", "00u1", 1000);
  auto none = registry_->Tokens(RecordId("a"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto put = registry_->PutTokens(RecordId("a"), "v1.sealed-one");
  ASSERT_TRUE(put.ok());
  EXPECT_TRUE(*put);
  EXPECT_EQ(*registry_->Tokens(RecordId("a")), "v1.sealed-one");
  ASSERT_TRUE(*registry_->PutTokens(RecordId("a"), "v1.sealed-two"));  // a rotation replaces it
  EXPECT_EQ(*registry_->Tokens(RecordId("a")), "v1.sealed-two");
  ASSERT_TRUE(registry_->DropTokens(RecordId("a")).ok());
  EXPECT_FALSE(registry_->Tokens(RecordId("a"))->has_value());
  EXPECT_TRUE(Active("a"));  // dropping the tokens leaves the session
  EXPECT_TRUE(registry_->DropTokens(RecordId("a")).ok());
  // no record, no blob: a blob is never kept for a session that is not there
  EXPECT_FALSE(*registry_->PutTokens(RecordId("unknown"), "v1.x"));
  EXPECT_FALSE(registry_->Tokens(RecordId("unknown"))->has_value());
  EXPECT_TRUE(registry_->DropTokens(RecordId("unknown")).ok());
}

TEST_P(RegistryContract, EndingASessionInAnyWayRemovesItsTokens) {
  for (const char* sid : {"signed-out", "ended-elsewhere", "kept", "by-provider"}) {
    Signed(sid, "00u1", 1000, std::string(sid) == "by-provider" ? "op-1" : "");
    ASSERT_TRUE(*registry_->PutTokens(RecordId(sid), std::string("v1.") + sid));
  }
  ASSERT_TRUE(*registry_->End("00u1", RecordId("signed-out"), 1100));
  EXPECT_FALSE(registry_->Tokens(RecordId("signed-out"))->has_value());
  EXPECT_EQ(*registry_->EndByProviderSession("", "op-1", 1100), 1);
  EXPECT_FALSE(registry_->Tokens(RecordId("by-provider"))->has_value());
  EXPECT_EQ(*registry_->EndAllOf("00u1", RecordId("kept"), 1100), 1);
  EXPECT_FALSE(registry_->Tokens(RecordId("ended-elsewhere"))->has_value());
  EXPECT_EQ(*registry_->Tokens(RecordId("kept")), "v1.kept");
  // an ended session takes no new tokens
  EXPECT_FALSE(*registry_->PutTokens(RecordId("signed-out"), "v1.late"));
  EXPECT_FALSE(registry_->Tokens(RecordId("signed-out"))->has_value());
  ASSERT_TRUE(registry_->Purge(5000).ok());
  EXPECT_FALSE(registry_->Tokens(RecordId("kept"))->has_value());  // purged with its record
}

const Store kStores[] = {{"sqlite", OpenSqlite, nullptr}, {"redis", OpenRedis, RedisMissing}};
INSTANTIATE_TEST_SUITE_P(Stores, RegistryContract, ::testing::ValuesIn(kStores),
                         [](const auto& store) { return std::string(store.param.name); });

// Every responder process opens the file for itself: what one ends, the others see.
TEST(SqliteRegistry, ConnectionsToOneFileSeeEachOthersWrites) {
  std::string path = TempPath("shared");
  RemoveDatabase(path);
  auto a = SqliteRegistry::Open(path);
  auto b = SqliteRegistry::Open(path);
  ASSERT_TRUE(a.ok() && b.ok());
  SessionRecord r;
  r.id = RecordId("sid");
  r.sub = "00u1";
  r.created_at = r.last_seen_at = 1000;
  ASSERT_TRUE((*a)->Add(r).ok());
  ASSERT_TRUE((*(*b)->Find(r.id)).has_value());
  ASSERT_TRUE(*(*b)->End("00u1", r.id, 1100));
  EXPECT_FALSE((*(*a)->Find(r.id))->active());
  a->reset();
  b->reset();
  RemoveDatabase(path);
}

// Every responder opens the one file at start-up, at the same moment: a new file's switch to WAL
// and its tables must not fail any of them ("database is locked"). Eight connections open a fresh
// file at once, twenty times over.
TEST(SqliteRegistry, ConnectionsOpeningANewFileAtOnceAllSucceed) {
  for (int round = 0; round < 20; round++) {
    std::string path = TempPath("at-once");
    RemoveDatabase(path);
    std::vector<std::string> failures(8);
    std::vector<std::thread> openers;
    std::atomic<bool> go{false};
    for (size_t i = 0; i < failures.size(); i++) {
      openers.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        auto opened = SqliteRegistry::Open(path);
        if (!opened.ok()) failures[i] = opened.error().detail;
      });
    }
    go = true;
    for (std::thread& t : openers) t.join();
    for (const std::string& failure : failures) EXPECT_EQ(failure, "") << "round " << round;
    RemoveDatabase(path);
    if (HasFailure()) break;
  }
}

// A file from before sessions kept the provider's session id is upgraded on open, its rows kept.
TEST(SqliteRegistry, AnOlderFileGainsTheProviderSessionColumn) {
  std::string path = TempPath("older");
  RemoveDatabase(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE sessions (id TEXT PRIMARY KEY, sub TEXT NOT NULL,"
                         " created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL,"
                         " device TEXT NOT NULL, address TEXT NOT NULL,"
                         " ended_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
                         "INSERT INTO sessions VALUES ('old', '00u1', 1, 1, 'd', 'a', 0);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto opened = SqliteRegistry::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  auto old = (*opened)->Find("old");
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->sub, "00u1");
  EXPECT_EQ((*old)->provider_sid, "");
  SessionRecord r;
  r.id = "new";
  r.sub = "00u1";
  r.provider_sid = "op-1";
  ASSERT_TRUE((*opened)->Add(r).ok());
  EXPECT_EQ(*(*opened)->EndByProviderSession("", "op-1", 2), 1);
  // and the column of the sealed tokens, for the rows it had too
  ASSERT_TRUE(*(*opened)->PutTokens("old", "v1.sealed"));
  EXPECT_EQ(*(*opened)->Tokens("old"), "v1.sealed");
  opened->reset();
  RemoveDatabase(path);
}

TEST(SqliteRegistry, AnUnwritablePathIsAClearError) {
  auto opened = SqliteRegistry::Open("/nonexistent-dir/userdesk/sessions.db");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().detail.find("/nonexistent-dir/userdesk/sessions.db"), std::string::npos)
      << opened.error().detail;
}

class RedisRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = RedisMissing(); !why.empty()) GTEST_SKIP() << why;
  }

  static SessionRecord Record(const std::string& sid, const std::string& sub) {
    SessionRecord r;
    r.id = RecordId(sid);
    r.sub = sub;
    r.created_at = r.last_seen_at = 1000;
    return r;
  }
  static int64_t Ms(std::chrono::steady_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  }
};

// The error names the server and the reason, never the password given or the server's.
TEST_F(RedisRegistryTest, AWrongOrMissingPasswordIsAClearErrorThatNeverShowsAPassword) {
  const RedisServer& server = *RedisServer::Shared();
  RedisOptions wrong = OptionsFor(server, 0);
  wrong.password = "not-the-password-31337";
  auto refused = RedisRegistry::Open(wrong);
  ASSERT_FALSE(refused.ok());
  const std::string& detail = refused.error().detail;
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(detail.find("redis://127.0.0.1:" + std::to_string(server.port()) + "/0"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("AUTH"), std::string::npos) << detail;
  EXPECT_NE(detail.find("WRONGPASS"), std::string::npos) << detail;  // Redis's own word
  EXPECT_EQ(detail.find("not-the-password-31337"), std::string::npos) << detail;
  EXPECT_EQ(detail.find(server.password()), std::string::npos) << detail;

  RedisOptions none = OptionsFor(server, 0);
  none.password.clear();
  auto unauthenticated = RedisRegistry::Open(none);
  ASSERT_FALSE(unauthenticated.ok());
  EXPECT_EQ(unauthenticated.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(unauthenticated.error().detail.find("NOAUTH"), std::string::npos)
      << unauthenticated.error().detail;
}

// Redis down: every call is kUnavailable at once (the connection is refused), and the first call
// after it is back works, on a new connection. A responder may also start before Redis.
TEST_F(RedisRegistryTest, AServerDownIsUnavailableAndTheNextCallAfterItIsBackWorks) {
  RedisServer server("outage-password");
  ASSERT_TRUE(server.Start());
  auto opened = RedisRegistry::Open(OptionsFor(server, 0));
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  RedisRegistry& registry = **opened;
  ASSERT_TRUE(registry.Add(Record("before", "00u1")).ok());

  server.Stop();
  auto start = std::chrono::steady_clock::now();
  auto down = registry.Find(RecordId("before"));
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(Ms(std::chrono::steady_clock::now() - start), 2000);
  EXPECT_EQ(down.error().detail.find("outage-password"), std::string::npos);
  auto still_down = registry.Add(Record("during", "00u1"));  // a new connection is refused too
  ASSERT_FALSE(still_down.ok());
  EXPECT_EQ(still_down.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(still_down.error().detail.find("connect"), std::string::npos)
      << still_down.error().detail;

  ASSERT_TRUE(server.Start());  // the same port, empty (no persistence)
  auto back = registry.Find(RecordId("before"));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_FALSE(back->has_value());
  ASSERT_TRUE(registry.Add(Record("after", "00u1")).ok());
  EXPECT_TRUE((*registry.Find(RecordId("after"))).has_value());

  server.Stop();  // opened while down: returned all the same, and serving once Redis is up
  auto early = RedisRegistry::Open(OptionsFor(server, 0));
  ASSERT_TRUE(early.ok()) << early.error().detail;
  EXPECT_FALSE((*early)->Find(RecordId("after")).ok());
  ASSERT_TRUE(server.Start());
  EXPECT_TRUE((*early)->Find(RecordId("after")).ok());
}

// A server that accepts but never answers (stopped with SIGSTOP) costs one command timeout, not
// a hang; the next call after it answers again works.
TEST_F(RedisRegistryTest, AServerThatDoesNotAnswerIsUnavailableAfterTheTimeout) {
  RedisServer server("silent-password");
  ASSERT_TRUE(server.Start());
  RedisOptions options = OptionsFor(server, 0);
  options.command_timeout = std::chrono::milliseconds(300);
  auto opened = RedisRegistry::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  ASSERT_TRUE((*opened)->Add(Record("sid", "00u1")).ok());

  server.Pause();
  auto start = std::chrono::steady_clock::now();
  auto silent = (*opened)->Find(RecordId("sid"));
  int64_t waited = Ms(std::chrono::steady_clock::now() - start);
  server.Resume();
  ASSERT_FALSE(silent.ok());
  EXPECT_EQ(silent.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(silent.error().detail.find("no answer within 300 ms"), std::string::npos)
      << silent.error().detail;
  EXPECT_GE(waited, 250);
  EXPECT_LT(waited, 2000);

  auto back = (*opened)->Find(RecordId("sid"));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_TRUE(back->has_value());
}

// Records go by TTL: record_ttl after sign-in, and record_ttl again after they end; a used-once
// mark at its expiry. The sets of ids last as long as their records.
TEST_F(RedisRegistryTest, RecordsAndMarksExpireByTtl) {
  const RedisServer& server = *RedisServer::Shared();
  constexpr int kDb = 2;
  ASSERT_EQ(RawRedis(server, kDb, {"FLUSHDB"}), 0);
  RedisOptions options = OptionsFor(server, kDb);
  options.record_ttl_seconds = 100;
  auto opened = RedisRegistry::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  RedisRegistry& registry = **opened;
  SessionRecord r = Record("sid", "00u1");
  r.provider_sid = "op-1";
  ASSERT_TRUE(registry.Add(r).ok());
  std::string key = "userdesk:s:" + r.id;
  for (const std::string& k :
       {key, std::string("userdesk:u:00u1"), std::string("userdesk:p:op-1")}) {
    long long ttl = RawRedis(server, kDb, {"TTL", k});
    EXPECT_GT(ttl, 0) << k;
    EXPECT_LE(ttl, 100) << k;
  }

  // the tokens are a field of the record: they expire with it, and End removes them
  ASSERT_TRUE(*registry.PutTokens(r.id, "v1.sealed"));
  EXPECT_EQ(RawRedis(server, kDb, {"HEXISTS", key, "tokens"}), 1);
  EXPECT_GT(RawRedis(server, kDb, {"TTL", key}), 0);

  ASSERT_EQ(RawRedis(server, kDb, {"PERSIST", key}), 1);  // no TTL now: End must set one
  ASSERT_TRUE(*registry.End("00u1", r.id, 1100));
  long long ended_ttl = RawRedis(server, kDb, {"TTL", key});
  EXPECT_GT(ended_ttl, 0);
  EXPECT_LE(ended_ttl, 100);
  EXPECT_FALSE((*registry.Find(r.id))->active());
  EXPECT_EQ(RawRedis(server, kDb, {"HEXISTS", key, "tokens"}), 0);

  ASSERT_TRUE(*registry.UseOnce("jti-1", 1030, 1000));
  long long mark_ttl = RawRedis(server, kDb, {"TTL", "userdesk:k:jti-1"});
  EXPECT_GT(mark_ttl, 0);
  EXPECT_LE(mark_ttl, 30);
}

// A record whose key has expired is gone from its user's list, and a set that outlived it forgets
// it on the next sign-in.
TEST_F(RedisRegistryTest, AnExpiredRecordLeavesItsUsersSessions) {
  const RedisServer& server = *RedisServer::Shared();
  constexpr int kDb = 3;
  ASSERT_EQ(RawRedis(server, kDb, {"FLUSHDB"}), 0);
  auto opened = RedisRegistry::Open(OptionsFor(server, kDb));
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  RedisRegistry& registry = **opened;
  ASSERT_TRUE(registry.Add(Record("old", "00u1")).ok());
  ASSERT_EQ(RawRedis(server, kDb, {"DEL", "userdesk:s:" + RecordId("old")}), 1);  // as a TTL would
  ASSERT_TRUE(registry.Add(Record("new", "00u1")).ok());
  EXPECT_EQ(RawRedis(server, kDb, {"SCARD", "userdesk:u:00u1"}), 1);
  auto listed = registry.ActiveOf("00u1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, RecordId("new"));
  EXPECT_EQ(*registry.EndAllOf("00u1", "", 1100), 1);
}

}  // namespace
}  // namespace userdesk::session
