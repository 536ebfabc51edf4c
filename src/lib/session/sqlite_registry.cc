#include "session/sqlite_registry.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace userdesk::session {
namespace {

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"  // WAL: durable at each checkpoint, never corrupt
    // a small page cache (256 KiB, not SQLite's 2 MiB default): each process reads a session's
    // record at most once per trust window, and every responder holds a connection, so the
    // default cache only grew each one's memory under load (tests/load, SteadyLoad)
    "PRAGMA cache_size=-256;"
    "CREATE TABLE IF NOT EXISTS sessions ("
    "  id TEXT PRIMARY KEY,"
    "  sub TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen_at INTEGER NOT NULL,"
    "  device TEXT NOT NULL,"
    "  address TEXT NOT NULL,"
    "  ended_at INTEGER NOT NULL DEFAULT 0,"
    "  provider_sid TEXT NOT NULL DEFAULT '',"
    "  tokens TEXT NOT NULL DEFAULT ''"
    ") WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS sessions_of_user ON sessions (sub, ended_at);"
    "CREATE TABLE IF NOT EXISTS used_keys ("
    "  key TEXT PRIMARY KEY,"
    "  expires_at INTEGER NOT NULL"
    ") WITHOUT ROWID;";

// A file written before sessions had provider_sid (when the registry was still opt-in) gains the
// column; the index on it is made after.
constexpr const char* kProviderSidColumn =
    "ALTER TABLE sessions ADD COLUMN provider_sid TEXT NOT NULL DEFAULT ''";
// A file written before MyAccount mode gains the column of the sealed token blob ('' = none).
constexpr const char* kTokensColumn =
    "ALTER TABLE sessions ADD COLUMN tokens TEXT NOT NULL DEFAULT ''";
constexpr const char* kProviderSidIndex =
    "CREATE INDEX IF NOT EXISTS sessions_of_provider_session ON sessions (provider_sid) "
    "WHERE provider_sid <> '';";

constexpr const char* kColumns =
    "id, sub, created_at, last_seen_at, device, address, ended_at, provider_sid";

// One prepared statement, its parameters bound in order.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return stmt_ != nullptr; }
  Statement& Bind(std::string_view text) {
    sqlite3_bind_text(stmt_, ++bound_, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Statement& Bind(int64_t value) {
    sqlite3_bind_int64(stmt_, ++bound_, value);
    return *this;
  }
  int Step() { return stmt_ != nullptr ? sqlite3_step(stmt_) : SQLITE_ERROR; }

  // The row Step just gave, read in kColumns' order.
  SessionRecord Record() const {
    SessionRecord r;
    r.id = Text(0);
    r.sub = Text(1);
    r.created_at = sqlite3_column_int64(stmt_, 2);
    r.last_seen_at = sqlite3_column_int64(stmt_, 3);
    r.device = Text(4);
    r.address = Text(5);
    r.ended_at = sqlite3_column_int64(stmt_, 6);
    r.provider_sid = Text(7);
    return r;
  }

  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int bound_ = 0;
};

int64_t EndTime(int64_t now) { return std::max<int64_t>(now, 1); }  // 0 means "active"

// Runs a statement that returns no rows: how many rows it changed, or -1 when it failed.
int Changes(sqlite3* db, Statement& statement) {
  return statement.Step() == SQLITE_DONE ? sqlite3_changes(db) : -1;
}

bool HasColumn(sqlite3* db, const std::string& column) {
  return Statement(db, "SELECT " + column + " FROM sessions").prepared();
}

int CreateSchema(sqlite3* db) {
  int rc = sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK && !HasColumn(db, "provider_sid")) {
    rc = sqlite3_exec(db, kProviderSidColumn, nullptr, nullptr, nullptr);
  }
  if (rc == SQLITE_OK && !HasColumn(db, "tokens")) {
    rc = sqlite3_exec(db, kTokensColumn, nullptr, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, kProviderSidIndex, nullptr, nullptr, nullptr);
  return rc;
}

// Every responder opens the one file at start-up, at the same moment. Switching a new file to
// WAL and creating its tables take locks SQLite does not always wait for with its busy handler
// (where waiting could deadlock it answers "database is locked" at once), so the whole step,
// which is idempotent, is tried again until the busy timeout has passed.
int CreateSchemaWaiting(sqlite3* db) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(SqliteRegistry::kBusyTimeoutMs);
  for (;;) {
    int rc = CreateSchema(db);
    bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    if (!busy || std::chrono::steady_clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

Result<std::unique_ptr<SqliteRegistry>> SqliteRegistry::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    rc = CreateSchemaWaiting(db);
  }
  if (rc != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return MakeError(ErrorCode::kUnavailable,
                     "session registry " + path + ": cannot open: " + reason);
  }
  return std::unique_ptr<SqliteRegistry>(new SqliteRegistry(db, path));
}

SqliteRegistry::SqliteRegistry(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

SqliteRegistry::~SqliteRegistry() { sqlite3_close(db_); }

Error SqliteRegistry::Failure(const std::string& what) const {
  return MakeError(ErrorCode::kUnavailable,
                   "session registry " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Status SqliteRegistry::Add(const SessionRecord& record) {
  std::lock_guard lock(mutex_);
  Statement insert(
      db_, std::string("INSERT INTO sessions (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, 0, ?)");
  insert.Bind(record.id).Bind(record.sub).Bind(record.created_at).Bind(record.last_seen_at);
  insert.Bind(record.device).Bind(record.address).Bind(record.provider_sid);
  int rc = insert.Step();
  if (rc == SQLITE_CONSTRAINT) {
    return MakeError(ErrorCode::kAlreadyExists, "session registry: a session with this id exists");
  }
  if (rc != SQLITE_DONE) return Failure("add");
  return OkStatus();
}

Result<std::optional<SessionRecord>> SqliteRegistry::Find(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, std::string("SELECT ") + kColumns + " FROM sessions WHERE id = ?");
  select.Bind(id);
  switch (select.Step()) {
    case SQLITE_ROW:
      return std::optional<SessionRecord>(select.Record());
    case SQLITE_DONE:
      return std::optional<SessionRecord>();
    default:
      return Failure("find");
  }
}

Status SqliteRegistry::Touch(std::string_view id, int64_t now) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at = 0");
  if (Changes(db_, update.Bind(now).Bind(id)) < 0) return Failure("touch");
  return OkStatus();
}

Result<std::vector<SessionRecord>> SqliteRegistry::ActiveOf(std::string_view sub) {
  std::lock_guard lock(mutex_);
  Statement select(db_, std::string("SELECT ") + kColumns +
                            " FROM sessions WHERE sub = ? AND ended_at = 0"
                            " ORDER BY last_seen_at DESC, created_at DESC, id");
  select.Bind(sub);
  std::vector<SessionRecord> out;
  int rc;
  while ((rc = select.Step()) == SQLITE_ROW) out.push_back(select.Record());
  if (rc != SQLITE_DONE) return Failure("list");
  return out;
}

Result<int> SqliteRegistry::EndWhere(std::string_view condition,
                                     std::initializer_list<std::string_view> params, int64_t now) {
  std::lock_guard lock(mutex_);
  // an ended session's tokens go with it: nothing may refresh them any more
  Statement update(db_, "UPDATE sessions SET ended_at = ?, tokens = '' WHERE ended_at = 0 AND " +
                            std::string(condition));
  update.Bind(EndTime(now));
  for (std::string_view param : params) update.Bind(param);
  int changed = Changes(db_, update);
  if (changed < 0) return Failure("end");
  return changed;
}

Result<bool> SqliteRegistry::End(std::string_view sub, std::string_view id, int64_t now) {
  auto ended = EndWhere("sub = ? AND id = ?", {sub, id}, now);
  if (!ended.ok()) return ended.error();
  return *ended > 0;
}

Result<int> SqliteRegistry::EndAllOf(std::string_view sub, std::string_view keep_id, int64_t now) {
  return EndWhere("sub = ? AND id <> ?", {sub, keep_id}, now);
}

Result<int> SqliteRegistry::EndByProviderSession(std::string_view sub,
                                                 std::string_view provider_sid, int64_t now) {
  if (provider_sid.empty()) return 0;  // sessions without one are never named this way
  if (sub.empty()) return EndWhere("provider_sid = ?", {provider_sid}, now);
  return EndWhere("provider_sid = ? AND sub = ?", {provider_sid, sub}, now);
}

Result<bool> SqliteRegistry::UseOnce(std::string_view key, int64_t expires_at, int64_t now) {
  std::lock_guard lock(mutex_);
  // A mark past its expiry counts as absent, so it is replaced rather than refused.
  Statement upsert(db_,
                   "INSERT INTO used_keys (key, expires_at) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at "
                   "WHERE used_keys.expires_at <= ?");
  int changed = Changes(db_, upsert.Bind(key).Bind(expires_at).Bind(now));
  if (changed < 0) return Failure("use once");
  return changed > 0;
}

Status SqliteRegistry::Purge(int64_t cutoff) {
  std::lock_guard lock(mutex_);
  Statement remove(
      db_, "DELETE FROM sessions WHERE (ended_at <> 0 AND ended_at < ?) OR last_seen_at < ?");
  if (Changes(db_, remove.Bind(cutoff).Bind(cutoff)) < 0) return Failure("purge");
  Statement forget(db_, "DELETE FROM used_keys WHERE expires_at <= ?");
  if (Changes(db_, forget.Bind(cutoff)) < 0) return Failure("purge");
  return OkStatus();
}

Result<bool> SqliteRegistry::PutTokens(std::string_view id, std::string_view blob) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE sessions SET tokens = ? WHERE id = ? AND ended_at = 0");
  int changed = Changes(db_, update.Bind(blob).Bind(id));
  if (changed < 0) return Failure("store tokens");
  return changed > 0;
}

Result<std::optional<std::string>> SqliteRegistry::Tokens(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT tokens FROM sessions WHERE id = ? AND ended_at = 0");
  select.Bind(id);
  switch (select.Step()) {
    case SQLITE_ROW: {
      std::string blob = select.Text(0);
      if (blob.empty()) return std::optional<std::string>();
      return std::optional<std::string>(std::move(blob));
    }
    case SQLITE_DONE:
      return std::optional<std::string>();
    default:
      return Failure("read tokens");
  }
}

Status SqliteRegistry::DropTokens(std::string_view id) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE sessions SET tokens = '' WHERE id = ?");
  if (Changes(db_, update.Bind(id)) < 0) return Failure("drop tokens");
  return OkStatus();
}

}  // namespace userdesk::session
