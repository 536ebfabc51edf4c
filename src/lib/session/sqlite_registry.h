// The session registry in one SQLite file, shared by every responder process on the host.
//
// WAL mode, so readers never wait for the writer and the writer never waits for readers; writers
// wait for each other up to kBusyTimeoutMs (SQLite's busy handler). Each process holds one
// connection, used by one thread at a time: a registry call is a few microseconds of local I/O,
// and the responders ask it at most once per session per trust window.
#pragma once

#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>

#include "session/registry.h"

struct sqlite3;

namespace userdesk::session {

class SqliteRegistry final : public Registry {
 public:
  static constexpr int kBusyTimeoutMs = 2000;

  // Opens the database at path, creating the file and its table when missing. The error names
  // the path and SQLite's reason.
  static Result<std::unique_ptr<SqliteRegistry>> Open(const std::string& path);
  ~SqliteRegistry() override;
  SqliteRegistry(const SqliteRegistry&) = delete;
  SqliteRegistry& operator=(const SqliteRegistry&) = delete;

  Status Add(const SessionRecord& record) override;
  Result<std::optional<SessionRecord>> Find(std::string_view id) override;
  Status Touch(std::string_view id, int64_t now) override;
  Result<std::vector<SessionRecord>> ActiveOf(std::string_view sub) override;
  Result<bool> End(std::string_view sub, std::string_view id, int64_t now) override;
  Result<int> EndAllOf(std::string_view sub, std::string_view keep_id, int64_t now) override;
  Result<int> EndByProviderSession(std::string_view sub, std::string_view provider_sid,
                                   int64_t now) override;
  Result<bool> UseOnce(std::string_view key, int64_t expires_at, int64_t now) override;
  Status Purge(int64_t cutoff) override;
  Result<bool> PutTokens(std::string_view id, std::string_view blob) override;
  Result<std::optional<std::string>> Tokens(std::string_view id) override;
  Status DropTokens(std::string_view id) override;

 private:
  SqliteRegistry(sqlite3* db, std::string path);
  Error Failure(const std::string& what) const;  // kUnavailable with SQLite's message
  // Ends the active sessions that meet condition, a WHERE clause whose parameters are params.
  Result<int> EndWhere(std::string_view condition, std::initializer_list<std::string_view> params,
                       int64_t now);

  std::mutex mutex_;
  sqlite3* db_;
  std::string path_;
};

}  // namespace userdesk::session
