// The session registry in one Redis server, shared by the responders of several hosts
// (SESSION_STORE=redis://...). Same contract as the SQLite store (registry.h); records expire by
// TTL instead of by Purge.
//
// Keys, all under "userdesk:" in the configured database:
//   userdesk:s:<record id>    a hash per session: sub, created_at, last_seen_at, device, address,
//                             ended_at, provider_sid (numbers as decimal text)
//   userdesk:u:<sub>          a set: the ids of the user's sessions not known to have ended
//   userdesk:p:<provider sid> a set: the ids of the sessions signed in during that provider session
//   userdesk:k:<key>          a used-once mark (UseOnce); its value is the mark's expires_at
// A record's key expires record_ttl seconds after sign-in (the longest a session cookie is
// honoured: SESSION_MAX_HOURS plus the clock skew) and again record_ttl after it ends, so an
// ended record outlives every copy of its cookie and then goes. The two sets expire with the
// last record they gained. A used-once mark expires at its expires_at.
//
// Every write that reads before it writes (Add's "never twice", End's "only sub's own and only
// once", EndAllOf, EndByProviderSession, UseOnce) is one Lua script (EVAL): Redis runs a script
// alone, so no other client's command lands between the read and the write, where MULTI/EXEC
// can only queue writes decided before the read (or retry around WATCH). The scripts name keys
// they read from the sets, which one Redis server allows and Redis Cluster does not: this store
// is for one server (with a replica at most), as hiredis 0.14 has no cluster client either.
//
// One connection per process, used by one thread at a time (like the SQLite store); a call waits
// at most connect_timeout to connect and command_timeout for each answer. Any failure drops the
// connection and the next call connects again (AUTH, SELECT). Every failure is kUnavailable with
// a detail naming redis://host:port/db and the reason, never the password. hiredis 0.14 has no
// TLS: the server belongs on loopback or a private network (docs/deploy.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "session/registry.h"

struct redisContext;
struct redisReply;

namespace userdesk::session {

struct RedisOptions {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string password;  // empty: no AUTH
  int64_t record_ttl_seconds = 8 * 3600 + 60;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
};

class RedisRegistry final : public Registry {
 public:
  // Connects once. A server that answers and refuses (a wrong password, a database it does not
  // have) is an error, a configuration mistake that retrying cannot fix. A server that cannot
  // be reached is not: the registry is returned, each call fails (kUnavailable) and tries
  // again, so a responder that starts before Redis serves as soon as Redis is up.
  static Result<std::unique_ptr<RedisRegistry>> Open(RedisOptions options);
  ~RedisRegistry() override;
  RedisRegistry(const RedisRegistry&) = delete;
  RedisRegistry& operator=(const RedisRegistry&) = delete;

  Status Add(const SessionRecord& record) override;
  Result<std::optional<SessionRecord>> Find(std::string_view id) override;
  Status Touch(std::string_view id, int64_t now) override;
  Result<std::vector<SessionRecord>> ActiveOf(std::string_view sub) override;
  Result<bool> End(std::string_view sub, std::string_view id, int64_t now) override;
  Result<int> EndAllOf(std::string_view sub, std::string_view keep_id, int64_t now) override;
  Result<int> EndByProviderSession(std::string_view sub, std::string_view provider_sid,
                                   int64_t now) override;
  Result<bool> UseOnce(std::string_view key, int64_t expires_at, int64_t now) override;
  // Not needed with the TTLs, but the contract's: walks the records (SCAN) and removes those
  // ended or last seen before cutoff, and the marks expired by then.
  Status Purge(int64_t cutoff) override;
  Result<bool> PutTokens(std::string_view id, std::string_view blob) override;
  Result<std::optional<std::string>> Tokens(std::string_view id) override;
  Status DropTokens(std::string_view id) override;

 private:
  struct ReplyDeleter {
    void operator()(redisReply* reply) const;
  };
  using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

  explicit RedisRegistry(RedisOptions options);
  // Connects, authenticates and selects the database unless connected; *refused tells a server
  // that answered "no" from one that could not be reached. Call with mutex_ held.
  Status Connect(bool* refused);
  // Runs one command on the connection. An error reply is an error too; any other failure drops
  // the connection, and *lost says whether it was lost rather than slow. Call with mutex_ held.
  Result<Reply> Run(std::string_view what, const std::vector<std::string>& args,
                    bool* lost = nullptr);
  // Run, connecting first if needed, and once more on a new connection when an open one turns
  // out closed. Call with mutex_ held.
  Result<Reply> Command(std::string_view what, const std::vector<std::string>& args);
  Result<Reply> Script(std::string_view what, std::string_view script,
                       const std::vector<std::string>& keys, const std::vector<std::string>& args);
  Error Failure(std::string_view what, std::string_view reason) const;
  Result<int> EndScript(std::string_view what, std::string_view script,
                        std::vector<std::string> keys, std::vector<std::string> args);
  Status PurgeMatching(std::string_view pattern, std::string_view script, int64_t cutoff);
  void Disconnect();

  std::mutex mutex_;
  redisContext* context_ = nullptr;
  RedisOptions options_;
  std::string label_;  // redis://host:port/db, for details
};

}  // namespace userdesk::session
