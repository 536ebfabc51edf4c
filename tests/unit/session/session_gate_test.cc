#include "session/session_gate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>

#include "session/sqlite_registry.h"

namespace userdesk::session {
namespace {

// Records in a map; counts the reads; can be made unreachable.
class FakeRegistry final : public Registry {
 public:
  std::map<std::string, SessionRecord, std::less<>> records;
  int finds = 0, touches = 0;
  bool down = false;

  Status Add(const SessionRecord& r) override {
    if (down) return MakeError(ErrorCode::kUnavailable, "down");
    records[r.id] = r;
    return OkStatus();
  }
  Result<std::optional<SessionRecord>> Find(std::string_view id) override {
    finds++;
    if (down) return MakeError(ErrorCode::kUnavailable, "down");
    auto it = records.find(id);
    if (it == records.end()) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(it->second);
  }
  Status Touch(std::string_view id, int64_t now) override {
    touches++;
    records.find(id)->second.last_seen_at = now;
    return OkStatus();
  }
  Result<std::vector<SessionRecord>> ActiveOf(std::string_view) override {
    return std::vector<SessionRecord>();
  }
  Result<bool> End(std::string_view sub, std::string_view id, int64_t now) override {
    auto it = records.find(id);
    if (it == records.end() || it->second.sub != sub) return false;
    it->second.ended_at = now;
    return true;
  }
  Result<int> EndAllOf(std::string_view, std::string_view, int64_t) override { return 0; }
  Result<int> EndByProviderSession(std::string_view, std::string_view, int64_t) override {
    return 0;
  }
  Result<bool> UseOnce(std::string_view, int64_t, int64_t) override { return true; }
  Status Purge(int64_t) override { return OkStatus(); }
  Result<bool> PutTokens(std::string_view, std::string_view) override { return false; }
  Result<std::optional<std::string>> Tokens(std::string_view) override {
    return std::optional<std::string>();
  }
  Status DropTokens(std::string_view) override { return OkStatus(); }
};

struct GateTest : ::testing::Test {
  int64_t now_ms = 0;
  std::shared_ptr<FakeRegistry> registry = std::make_shared<FakeRegistry>();
  SessionGate gate{registry, 5, [this] { return now_ms; }};
  Session session = [] {
    Session s;
    s.sub = "00u1";
    s.sid = "the-sid";
    return s;
  }();
};

TEST_F(GateTest, ARecordedSessionIsTrustedForTheWindowThenAskedAgain) {
  ASSERT_TRUE(gate.Begin(session, "Firefox on Linux", "192.0.2.1", 1000).ok());
  EXPECT_EQ(gate.Check(session, 1000), SessionGate::Verdict::kActive);
  now_ms += 4'999;
  EXPECT_EQ(gate.Check(session, 1004), SessionGate::Verdict::kActive);
  EXPECT_EQ(registry->finds, 1);
  now_ms += 1;
  EXPECT_EQ(gate.Check(session, 1005), SessionGate::Verdict::kActive);
  EXPECT_EQ(registry->finds, 2);
}

TEST_F(GateTest, AnEndedSessionIsRefusedOnceTheWindowHasPassedElsewhereAndAtOnceHere) {
  ASSERT_TRUE(gate.Begin(session, "", "", 1000).ok());
  ASSERT_EQ(gate.Check(session, 1000), SessionGate::Verdict::kActive);
  // ended by another process: this one trusts its last answer until the window ends
  registry->records[RecordId(session.sid)].ended_at = 1001;
  EXPECT_EQ(gate.Check(session, 1001), SessionGate::Verdict::kActive);
  now_ms += 5'000;
  EXPECT_EQ(gate.Check(session, 1006), SessionGate::Verdict::kEnded);
  // ended by this process: refused at once
  Session other = session;
  other.sid = "other-sid";
  ASSERT_TRUE(gate.Begin(other, "", "", 1006).ok());
  ASSERT_EQ(gate.Check(other, 1006), SessionGate::Verdict::kActive);
  ASSERT_TRUE(gate.End(other, 1007).ok());
  EXPECT_EQ(gate.Check(other, 1007), SessionGate::Verdict::kEnded);
}

TEST_F(GateTest, UnknownSessionsSessionsWithoutAnIdAndOtherUsersRecordsAreRefused) {
  EXPECT_EQ(gate.Check(session, 1000), SessionGate::Verdict::kEnded);  // never begun
  Session no_sid = session;
  no_sid.sid.clear();
  EXPECT_EQ(gate.Check(no_sid, 1000), SessionGate::Verdict::kEnded);
  ASSERT_TRUE(gate.Begin(session, "", "", 1000).ok());
  Session forged = session;
  forged.sub = "00u2";  // another user's cookie carrying this sid
  EXPECT_EQ(gate.Check(forged, 1000), SessionGate::Verdict::kEnded);
}

TEST_F(GateTest, AnUnreachableRegistryIsUnavailableNotActive) {
  ASSERT_TRUE(gate.Begin(session, "", "", 1000).ok());
  registry->down = true;
  EXPECT_EQ(gate.Check(session, 1000), SessionGate::Verdict::kUnavailable);
  EXPECT_FALSE(gate.Begin(session, "", "", 1000).ok());
}

TEST_F(GateTest, LastSeenIsWrittenAtMostOnceAMinute) {
  SessionGate untrusting{registry, 0, [this] { return now_ms; }};
  ASSERT_TRUE(untrusting.Begin(session, "", "", 1000).ok());
  for (int64_t t = 1000; t < 1060; t += 10)
    ASSERT_EQ(untrusting.Check(session, t), SessionGate::Verdict::kActive);
  EXPECT_EQ(registry->touches, 0);
  ASSERT_EQ(untrusting.Check(session, 1060), SessionGate::Verdict::kActive);
  EXPECT_EQ(registry->touches, 1);
  EXPECT_EQ(registry->records[RecordId(session.sid)].last_seen_at, 1060);
}

}  // namespace
}  // namespace userdesk::session

// A password change made elsewhere (a reset) ends, once, every session begun before it; one the
// Security page made and acknowledged ends nothing more. Two gates on one file: two processes.
namespace userdesk::session {
namespace {

class PasswordChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/userdesk-gate-" + std::to_string(::getpid()) + ".db";
    Remove();
    for (auto* gate : {&first_, &second_}) {
      auto opened = SqliteRegistry::Open(path_);
      ASSERT_TRUE(opened.ok());
      *gate = std::make_unique<SessionGate>(std::move(opened).value(), 5);
    }
  }
  void TearDown() override {
    first_.reset();
    second_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  Session Begun(const std::string& sid, int64_t at) {
    Session s;
    s.sub = "00u1";
    s.sid = sid;
    s.issued_at = at;
    EXPECT_TRUE(first_->Begin(s, "Firefox on Linux", "192.0.2.1", at).ok());
    return s;
  }

  std::string path_;
  std::unique_ptr<SessionGate> first_, second_;
};

TEST_F(PasswordChangeTest, AChangeElsewhereEndsTheSessionsBegunBeforeItOnce) {
  Session old_a = Begun("a", 1000), old_b = Begun("b", 1000), after = Begun("c", 2000);
  const int64_t kChangedMs = 1500 * 1000;
  auto ended = first_->EndIfPasswordChangedSince(old_a, kChangedMs, 2000);
  ASSERT_TRUE(ended.ok());
  EXPECT_TRUE(*ended);
  EXPECT_EQ(first_->Check(old_b, 2000), SessionGate::Verdict::kEnded);
  EXPECT_EQ(first_->Check(after, 2000), SessionGate::Verdict::kActive);
  // the other process finds the change handled: nothing is ended twice, nothing else ends
  EXPECT_FALSE(*second_->EndIfPasswordChangedSince(old_b, kChangedMs, 2001));
  EXPECT_FALSE(*second_->EndIfPasswordChangedSince(after, kChangedMs, 2001));
  EXPECT_EQ(second_->Check(after, 2001), SessionGate::Verdict::kActive);
}

TEST_F(PasswordChangeTest, TheUsersOwnChangeAndSessionsWithinTheSlackAreLeftAlone) {
  Session old_a = Begun("a", 1000), old_b = Begun("b", 1000);
  const int64_t kOwnMs = 1500 * 1000;
  ASSERT_TRUE(first_->AcknowledgePasswordChange("00u1", kOwnMs, 1500).ok());
  EXPECT_FALSE(*second_->EndIfPasswordChangedSince(old_b, kOwnMs, 1600));
  EXPECT_EQ(second_->Check(old_b, 1600), SessionGate::Verdict::kActive);
  // a change 4 s after sign-in: within the clock slack
  Session recent = Begun("r", 1700);
  EXPECT_FALSE(*first_->EndIfPasswordChangedSince(recent, 1704 * 1000, 1705));
  EXPECT_FALSE(*first_->EndIfPasswordChangedSince(old_a, 0, 1705)) << "never changed";
  EXPECT_EQ(first_->Check(old_a, 1705), SessionGate::Verdict::kActive);
}

}  // namespace
}  // namespace userdesk::session

namespace userdesk::session {
namespace {

// Sign-ins forget what no cookie can use any more, at most once an hour per process.
TEST_F(PasswordChangeTest, SignInsPurgeRecordsPastTheSessionLifetimeHourly) {
  Begun("idle", 1000);
  first_->PurgeAfter(8 * 3600);
  const int64_t kLater = 1000 + 8 * 3600 + 1;
  auto registry = SqliteRegistry::Open(path_);
  ASSERT_TRUE(registry.ok());
  auto present = [&](const std::string& sid) {
    return (*registry)->Find(RecordId(sid))->has_value();
  };
  Begun("new", kLater);  // "idle" was last seen more than 8 hours ago: forgotten
  EXPECT_FALSE(present("idle"));
  EXPECT_TRUE(present("new"));
  Begun("old", 1000);
  Begun("within-the-hour", kLater + 10);
  EXPECT_TRUE(present("old")) << "one purge an hour";
  Begun("an-hour-later", kLater + SessionGate::kPurgeEverySeconds);
  EXPECT_FALSE(present("old"));
  EXPECT_TRUE(present("within-the-hour"));
}

}  // namespace
}  // namespace userdesk::session

// Back-channel logout through the gate: the sessions begun in one provider session (its sid,
// kept only as a hash), only the named user's when the token names one; or every session of a
// user.
namespace userdesk::session {
namespace {

class ProviderLogoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/userdesk-gate-bcl-" + std::to_string(::getpid()) + ".db";
    Remove();
    auto opened = SqliteRegistry::Open(path_);
    ASSERT_TRUE(opened.ok());
    registry_ = std::shared_ptr<SqliteRegistry>(std::move(opened).value());
    gate_ = std::make_unique<SessionGate>(registry_, 0);  // no trust window: every Check asks
  }
  void TearDown() override {
    gate_.reset();
    registry_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  Session Begun(const std::string& sub, const std::string& sid, const std::string& provider_sid) {
    Session s;
    s.sub = sub;
    s.sid = sid;
    EXPECT_TRUE(gate_->Begin(s, "Firefox on Linux", "192.0.2.1", 1000, provider_sid).ok());
    return s;
  }
  SessionGate::Verdict Check(const Session& s) { return gate_->Check(s, 1001); }

  std::string path_;
  std::shared_ptr<SqliteRegistry> registry_;
  std::unique_ptr<SessionGate> gate_;
};

TEST_F(ProviderLogoutTest, TheProvidersSessionIdIsKeptOnlyAsAHash) {
  Session s = Begun("00u1", "a", "op-session-1");
  auto record = registry_->Find(RecordId(s.sid));
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->provider_sid, SessionGate::ProviderSessionKey("op-session-1"));
  EXPECT_EQ((*record)->provider_sid.find("op-session-1"), std::string::npos);
  EXPECT_EQ(SessionGate::ProviderSessionKey(""), "");
  Session none = Begun("00u1", "b", "");
  EXPECT_EQ((*registry_->Find(RecordId(none.sid)))->provider_sid, "");
}

TEST_F(ProviderLogoutTest, BySidEndsThatProviderSessionOnlyAndBySubEveryOneOfTheUser) {
  Session a = Begun("00u1", "a", "op-1"), b = Begun("00u1", "b", "op-2");
  Session c = Begun("00u2", "c", "op-1"), d = Begun("00u1", "d", "");
  auto ended = gate_->EndForProvider("00u1", "op-1", 1001);  // sid and sub
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(Check(a), SessionGate::Verdict::kEnded);
  EXPECT_EQ(Check(c), SessionGate::Verdict::kActive) << "another user's";
  EXPECT_EQ(*gate_->EndForProvider("", "op-1", 1001), 1);  // sid alone
  EXPECT_EQ(Check(c), SessionGate::Verdict::kEnded);
  EXPECT_EQ(*gate_->EndForProvider("", "unknown", 1001), 0);
  EXPECT_EQ(*gate_->EndForProvider("", "", 1001), 0) << "names no one";
  EXPECT_EQ(Check(b), SessionGate::Verdict::kActive);
  EXPECT_EQ(*gate_->EndForProvider("00u1", "", 1001), 2);  // sub alone: every one left
  EXPECT_EQ(Check(b), SessionGate::Verdict::kEnded);
  EXPECT_EQ(Check(d), SessionGate::Verdict::kEnded);
}

}  // namespace
}  // namespace userdesk::session
