// The session registry's contract (session/registry.h), run against every store behind it: the
// SQLite file here; a store added later (Redis) joins kStores and must pass the same tests. Plus
// what is SQLite's own: two processes' connections to one file see each other's writes.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include "session/registry.h"
#include "session/sqlite_registry.h"

namespace userdesk::session {
namespace {

std::string TempPath(const std::string& name) {
  return "/tmp/userdesk-registry-" + std::to_string(::getpid()) + "-" + name + ".db";
}

void RemoveDatabase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

struct Store {
  const char* name;
  std::function<std::unique_ptr<Registry>(const std::string& test_name)> open;
};

std::unique_ptr<Registry> OpenSqlite(const std::string& test_name) {
  std::string path = TempPath(test_name);
  RemoveDatabase(path);
  auto opened = SqliteRegistry::Open(path);
  if (!opened.ok()) return nullptr;
  return std::move(opened).value();
}

class RegistryContract : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    test_name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test_name_) c = c == '/' ? '-' : c;
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

const Store kStores[] = {{"sqlite", OpenSqlite}};
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

}  // namespace
}  // namespace userdesk::session
