#include "session/redis_registry.h"

#include <hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "base/log.h"
#include "base/strings.h"

namespace userdesk::session {
namespace {

// Key names; the scripts below spell the same prefixes.
constexpr std::string_view kRecordKey = "userdesk:s:";
constexpr std::string_view kUserKey = "userdesk:u:";
constexpr std::string_view kProviderKey = "userdesk:p:";
constexpr std::string_view kMarkKey = "userdesk:k:";

// A record's fields, in the order Find and ActiveOf ask for them (HMGET) and RecordFrom reads
// them: sub first and ended_at sixth, as kActiveOfScript counts on.
constexpr std::array<const char*, 7> kFields = {"sub",     "created_at", "last_seen_at", "device",
                                                "address", "ended_at",   "provider_sid"};

// KEYS: the record, sub's set, and the provider session's set when there is one.
// ARGV: id, ttl, sub, created_at, last_seen_at, device, address, provider_sid.
// 0 when the id is taken. Each set first forgets the ids whose records have expired.
constexpr const char* kAddScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'sub', ARGV[3], 'created_at', ARGV[4], 'last_seen_at', ARGV[5],
           'device', ARGV[6], 'address', ARGV[7], 'ended_at', '0', 'provider_sid', ARGV[8])
redis.call('EXPIRE', KEYS[1], ARGV[2])
for i = 2, #KEYS do
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    if redis.call('EXISTS', 'userdesk:s:' .. id) == 0 then redis.call('SREM', KEYS[i], id) end
  end
  redis.call('SADD', KEYS[i], ARGV[1])
  -- a set lives as long as its longest-lived record (a shorter TTL since never cuts it)
  if redis.call('TTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
end
return 1
)lua";

// KEYS: the record. ARGV: now.
constexpr const char* kTouchScript = R"lua(
if redis.call('HGET', KEYS[1], 'ended_at') == '0' then
  redis.call('HSET', KEYS[1], 'last_seen_at', ARGV[1])
end
return 0
)lua";

// KEYS: sub's set. ARGV: sub, then kFields. The active records, each as its id then its fields;
// the ids whose records have ended or expired leave the set.
constexpr const char* kActiveOfScript = R"lua(
local fields = {unpack(ARGV, 2)}
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local r = redis.call('HMGET', 'userdesk:s:' .. id, unpack(fields))
  if r[1] == ARGV[1] and r[6] == '0' then
    out[#out + 1] = id
    for i = 1, #r do out[#out + 1] = r[i] end
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return out
)lua";

// KEYS: the record, sub's set. ARGV: ended_at, ttl, sub, id. 1 when it ended it.
constexpr const char* kEndScript = R"lua(
local r = redis.call('HMGET', KEYS[1], 'sub', 'ended_at')
if r[1] ~= ARGV[3] or r[2] ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'ended_at', ARGV[1])
redis.call('HDEL', KEYS[1], 'tokens')
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SREM', KEYS[2], ARGV[4])
return 1
)lua";

// KEYS: a set of ids (a user's, a provider session's). ARGV: ended_at, ttl, an id to keep (''
// for none: no id is empty), and optionally the only sub whose records end. How many it ended.
constexpr const char* kEndMembersScript = R"lua(
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = 'userdesk:s:' .. id
  local r = redis.call('HMGET', key, 'sub', 'ended_at')
  if not r[1] then
    redis.call('SREM', KEYS[1], id)
  elseif id ~= ARGV[3] and r[2] == '0' and (ARGV[4] == nil or r[1] == ARGV[4]) then
    redis.call('HSET', key, 'ended_at', ARGV[1])
    redis.call('HDEL', key, 'tokens')
    redis.call('EXPIRE', key, ARGV[2])
    redis.call('SREM', 'userdesk:u:' .. r[1], id)
    n = n + 1
  end
end
return n
)lua";

// KEYS: the record. ARGV: the sealed token blob. A field of the record, so it has the record's
// TTL and goes with it; kept only while the session is active. 1 when kept.
constexpr const char* kPutTokensScript = R"lua(
if redis.call('HGET', KEYS[1], 'ended_at') ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'tokens', ARGV[1])
return 1
)lua";

// KEYS: the mark. ARGV: expires_at, now, ttl. The caller's now decides whether a mark has
// expired (the contract's clock, as in the SQLite store), and the key's TTL is relative
// (expires_at - now), so the hosts' clocks need not agree with the Redis server's. A bare
// SET NX EXAT would judge expiry by the server's clock alone.
constexpr const char* kUseOnceScript = R"lua(
local v = redis.call('GET', KEYS[1])
if v and tonumber(v) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
)lua";

// KEYS: records (a SCAN batch). ARGV: cutoff. Removes those ended or last seen before cutoff.
constexpr const char* kPurgeRecordsScript = R"lua(
local cutoff = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local r = redis.call('HMGET', key, 'sub', 'last_seen_at', 'ended_at', 'provider_sid')
  if r[1] then
    local ended = tonumber(r[3]) or 0
    if (ended ~= 0 and ended < cutoff) or (tonumber(r[2]) or 0) < cutoff then
      local id = string.sub(key, 12)
      redis.call('DEL', key)
      redis.call('SREM', 'userdesk:u:' .. r[1], id)
      if r[4] and r[4] ~= '' then redis.call('SREM', 'userdesk:p:' .. r[4], id) end
    end
  end
end
return 0
)lua";

// KEYS: marks (a SCAN batch). ARGV: cutoff. Removes those expired by cutoff.
constexpr const char* kPurgeMarksScript = R"lua(
for _, key in ipairs(KEYS) do
  local v = redis.call('GET', key)
  if v and tonumber(v) <= tonumber(ARGV[1]) then redis.call('DEL', key) end
end
return 0
)lua";

std::string Key(std::string_view prefix, std::string_view name) {
  return std::string(prefix) + std::string(name);
}

int64_t EndTime(int64_t now) { return std::max<int64_t>(now, 1); }  // 0 means "active"

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string_view Text(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS &&
      reply->type != REDIS_REPLY_ERROR) {
    return {};
  }
  return std::string_view(reply->str, reply->len);
}

// The record whose fields (kFields' order) are elements [first, first + 7) of an array reply;
// nullopt when it has no sub (no such record); an error text when a number is not one.
std::optional<SessionRecord> RecordFrom(std::string id, const redisReply* array, size_t first,
                                        std::string* malformed) {
  const redisReply* const* f = array->element + first;
  if (f[0]->type != REDIS_REPLY_STRING) return std::nullopt;
  SessionRecord r;
  r.id = std::move(id);
  r.sub = std::string(Text(f[0]));
  r.device = std::string(Text(f[3]));
  r.address = std::string(Text(f[4]));
  r.provider_sid = std::string(Text(f[6]));
  std::optional<int64_t> created = ParseInteger<int64_t>(Text(f[1]));
  std::optional<int64_t> seen = ParseInteger<int64_t>(Text(f[2]));
  std::optional<int64_t> ended = ParseInteger<int64_t>(Text(f[5]));
  if (!created || !seen || !ended) {
    *malformed = "record " + r.id + " has a field that is not a number";
    return std::nullopt;
  }
  r.created_at = *created;
  r.last_seen_at = *seen;
  r.ended_at = *ended;
  return r;
}

// hiredis writes with write(2): to a connection the server has closed, that raises SIGPIPE,
// whose default action ends the process. This blocks it on the calling thread for one command
// and discards one it raised, whatever the process does with SIGPIPE otherwise.
class QuietSigpipe {
 public:
  QuietSigpipe() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~QuietSigpipe() {
    sigset_t pending;
    if (!was_pending_ && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec none{};
      sigtimedwait(&pipe_, nullptr, &none);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  QuietSigpipe(const QuietSigpipe&) = delete;
  QuietSigpipe& operator=(const QuietSigpipe&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

}  // namespace

void RedisRegistry::ReplyDeleter::operator()(redisReply* reply) const { freeReplyObject(reply); }

RedisRegistry::RedisRegistry(RedisOptions options)
    : options_(std::move(options)),
      label_("redis://" +
             (options_.host.find(':') != std::string::npos ? "[" + options_.host + "]"
                                                           : options_.host) +
             ":" + std::to_string(options_.port) + "/" + std::to_string(options_.db)) {}

RedisRegistry::~RedisRegistry() { Disconnect(); }

Result<std::unique_ptr<RedisRegistry>> RedisRegistry::Open(RedisOptions options) {
  std::unique_ptr<RedisRegistry> registry(new RedisRegistry(std::move(options)));
  {
    std::lock_guard lock(registry->mutex_);
    bool refused = false;
    Status connected = registry->Connect(&refused);
    if (connected.ok()) {
      // a server that wants a password nobody gave answers NOAUTH here, not at first use
      auto ping = registry->Run("ping (is a password needed?)", {"PING"});
      refused = !ping.ok() && registry->context_ != nullptr;  // an error reply, not a timeout
      if (!ping.ok()) connected = ping.error();
    }
    if (!connected.ok()) {
      if (refused) return connected.error();
      log::Warn("session", connected.error().detail + "; sessions are refused until it answers");
    }
  }
  return registry;
}

void RedisRegistry::Disconnect() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

Error RedisRegistry::Failure(std::string_view what, std::string_view reason) const {
  return MakeError(ErrorCode::kUnavailable, "session registry " + label_ + ": " +
                                                std::string(what) + ": " + std::string(reason));
}

Status RedisRegistry::Connect(bool* refused) {
  *refused = false;
  if (context_ != nullptr) return OkStatus();
  redisContext* context = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                  ToTimeval(options_.connect_timeout));
  if (context == nullptr) return Failure("connect", "out of memory");
  if (context->err != 0) {
    std::string reason = context->errstr;
    redisFree(context);
    return Failure("connect", reason);
  }
  if (redisSetTimeout(context, ToTimeval(options_.command_timeout)) != REDIS_OK) {
    std::string reason = context->errstr;
    redisFree(context);
    return Failure("connect", reason);
  }
  redisEnableKeepAlive(context);  // keeps an idle connection known to firewalls on the way
  context_ = context;
  // Run keeps the connection after an error reply: still connected means the server said no.
  if (!options_.password.empty()) {
    auto auth = Run("authenticate (AUTH; check the password)", {"AUTH", options_.password});
    if (!auth.ok()) {
      *refused = context_ != nullptr;
      Disconnect();
      return auth.error();
    }
  }
  if (options_.db != 0) {
    auto select = Run("select database", {"SELECT", std::to_string(options_.db)});
    if (!select.ok()) {
      *refused = context_ != nullptr;
      Disconnect();
      return select.error();
    }
  }
  return OkStatus();
}

Result<RedisRegistry::Reply> RedisRegistry::Run(std::string_view what,
                                                const std::vector<std::string>& args, bool* lost) {
  if (lost != nullptr) *lost = false;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  Reply reply;
  {
    QuietSigpipe quiet;
    reply.reset(static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  }
  if (reply == nullptr) {
    std::string reason = context_->errstr;
    if (context_->err == REDIS_ERR_IO && reason == std::strerror(EAGAIN)) {
      reason = "no answer within " + std::to_string(options_.command_timeout.count()) + " ms";
    } else if (lost != nullptr) {
      *lost = context_->err == REDIS_ERR_EOF || context_->err == REDIS_ERR_IO;
    }
    Disconnect();
    return Failure(what, reason);
  }
  if (reply->type == REDIS_REPLY_ERROR) return Failure(what, Text(reply.get()));
  return reply;
}

Result<RedisRegistry::Reply> RedisRegistry::Command(std::string_view what,
                                                    const std::vector<std::string>& args) {
  bool reused = context_ != nullptr;
  bool refused = false;
  if (Status connected = Connect(&refused); !connected.ok()) return connected.error();
  bool lost = false;
  auto reply = Run(what, args, &lost);
  // A connection the server closed while it sat idle (a restart, a failover) fails its next
  // command at once: that command never ran, so it is sent once more on a new connection. A
  // command that timed out may have run, and the server is slow anyway: not sent again.
  if (!reply.ok() && reused && lost) {
    if (Status again = Connect(&refused); !again.ok()) return again.error();
    reply = Run(what, args);
  }
  return reply;
}

Result<RedisRegistry::Reply> RedisRegistry::Script(std::string_view what, std::string_view script,
                                                   const std::vector<std::string>& keys,
                                                   const std::vector<std::string>& args) {
  std::vector<std::string> command = {"EVAL", std::string(script), std::to_string(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return Command(what, command);
}

Status RedisRegistry::Add(const SessionRecord& record) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys = {Key(kRecordKey, record.id), Key(kUserKey, record.sub)};
  if (!record.provider_sid.empty()) keys.push_back(Key(kProviderKey, record.provider_sid));
  auto added = Script("add", kAddScript, keys,
                      {record.id, std::to_string(options_.record_ttl_seconds), record.sub,
                       std::to_string(record.created_at), std::to_string(record.last_seen_at),
                       record.device, record.address, record.provider_sid});
  if (!added.ok()) return added.error();
  if ((*added)->integer == 0) {
    return MakeError(ErrorCode::kAlreadyExists, "session registry: a session with this id exists");
  }
  return OkStatus();
}

Result<std::optional<SessionRecord>> RedisRegistry::Find(std::string_view id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> command = {"HMGET", Key(kRecordKey, id)};
  command.insert(command.end(), kFields.begin(), kFields.end());
  auto found = Command("find", command);
  if (!found.ok()) return found.error();
  const redisReply* reply = found->get();
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != kFields.size()) {
    return Failure("find", "unexpected reply");
  }
  std::string malformed;
  std::optional<SessionRecord> record = RecordFrom(std::string(id), reply, 0, &malformed);
  if (!malformed.empty()) return Failure("find", malformed);
  return record;
}

Status RedisRegistry::Touch(std::string_view id, int64_t now) {
  std::lock_guard lock(mutex_);
  auto touched = Script("touch", kTouchScript, {Key(kRecordKey, id)}, {std::to_string(now)});
  if (!touched.ok()) return touched.error();
  return OkStatus();
}

Result<std::vector<SessionRecord>> RedisRegistry::ActiveOf(std::string_view sub) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> args = {std::string(sub)};
  args.insert(args.end(), kFields.begin(), kFields.end());
  auto listed = Script("list", kActiveOfScript, {Key(kUserKey, sub)}, args);
  if (!listed.ok()) return listed.error();
  const redisReply* reply = listed->get();
  const size_t stride = kFields.size() + 1;
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements % stride != 0) {
    return Failure("list", "unexpected reply");
  }
  std::vector<SessionRecord> out;
  for (size_t i = 0; i < reply->elements; i += stride) {
    std::string malformed;
    auto record = RecordFrom(std::string(Text(reply->element[i])), reply, i + 1, &malformed);
    if (!malformed.empty()) return Failure("list", malformed);
    if (record) out.push_back(std::move(*record));
  }
  // the order of the SQLite store's ORDER BY last_seen_at DESC, created_at DESC, id
  std::sort(out.begin(), out.end(), [](const SessionRecord& a, const SessionRecord& b) {
    if (a.last_seen_at != b.last_seen_at) return a.last_seen_at > b.last_seen_at;
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.id < b.id;
  });
  return out;
}

Result<int> RedisRegistry::EndScript(std::string_view what, std::string_view script,
                                     std::vector<std::string> keys, std::vector<std::string> args) {
  std::lock_guard lock(mutex_);
  auto ended = Script(what, script, keys, args);
  if (!ended.ok()) return ended.error();
  if ((*ended)->type != REDIS_REPLY_INTEGER) return Failure(what, "unexpected reply");
  return static_cast<int>((*ended)->integer);
}

Result<bool> RedisRegistry::End(std::string_view sub, std::string_view id, int64_t now) {
  auto ended = EndScript("end", kEndScript, {Key(kRecordKey, id), Key(kUserKey, sub)},
                         {std::to_string(EndTime(now)), std::to_string(options_.record_ttl_seconds),
                          std::string(sub), std::string(id)});
  if (!ended.ok()) return ended.error();
  return *ended > 0;
}

Result<int> RedisRegistry::EndAllOf(std::string_view sub, std::string_view keep_id, int64_t now) {
  return EndScript("end", kEndMembersScript, {Key(kUserKey, sub)},
                   {std::to_string(EndTime(now)), std::to_string(options_.record_ttl_seconds),
                    std::string(keep_id), std::string(sub)});
}

Result<int> RedisRegistry::EndByProviderSession(std::string_view sub, std::string_view provider_sid,
                                                int64_t now) {
  if (provider_sid.empty()) return 0;  // sessions without one are never named this way
  std::vector<std::string> args = {std::to_string(EndTime(now)),
                                   std::to_string(options_.record_ttl_seconds), ""};
  if (!sub.empty()) args.emplace_back(sub);
  return EndScript("end", kEndMembersScript, {Key(kProviderKey, provider_sid)}, std::move(args));
}

Result<bool> RedisRegistry::UseOnce(std::string_view key, int64_t expires_at, int64_t now) {
  std::lock_guard lock(mutex_);
  int64_t ttl = std::max<int64_t>(expires_at - now, 1);
  auto used = Script("use once", kUseOnceScript, {Key(kMarkKey, key)},
                     {std::to_string(expires_at), std::to_string(now), std::to_string(ttl)});
  if (!used.ok()) return used.error();
  return (*used)->integer == 1;
}

Status RedisRegistry::PurgeMatching(std::string_view pattern, std::string_view script,
                                    int64_t cutoff) {
  std::string cursor = "0";
  do {
    auto scanned =
        Command("purge", {"SCAN", cursor, "MATCH", std::string(pattern), "COUNT", "500"});
    if (!scanned.ok()) return scanned.error();
    const redisReply* reply = scanned->get();
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[1]->type != REDIS_REPLY_ARRAY) {
      return Failure("purge", "unexpected reply");
    }
    cursor = std::string(Text(reply->element[0]));
    std::vector<std::string> keys;
    for (size_t i = 0; i < reply->element[1]->elements; i++) {
      keys.emplace_back(Text(reply->element[1]->element[i]));
    }
    if (keys.empty()) continue;
    if (auto purged = Script("purge", script, keys, {std::to_string(cutoff)}); !purged.ok()) {
      return purged.error();
    }
  } while (cursor != "0" && !cursor.empty());
  return OkStatus();
}

Status RedisRegistry::Purge(int64_t cutoff) {
  std::lock_guard lock(mutex_);
  if (Status records = PurgeMatching(Key(kRecordKey, "*"), kPurgeRecordsScript, cutoff);
      !records.ok()) {
    return records;
  }
  return PurgeMatching(Key(kMarkKey, "*"), kPurgeMarksScript, cutoff);
}

Result<bool> RedisRegistry::PutTokens(std::string_view id, std::string_view blob) {
  std::lock_guard lock(mutex_);
  auto put = Script("store tokens", kPutTokensScript, {Key(kRecordKey, id)}, {std::string(blob)});
  if (!put.ok()) return put.error();
  if ((*put)->type != REDIS_REPLY_INTEGER) return Failure("store tokens", "unexpected reply");
  return (*put)->integer == 1;
}

Result<std::optional<std::string>> RedisRegistry::Tokens(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto read = Command("read tokens", {"HMGET", Key(kRecordKey, id), "ended_at", "tokens"});
  if (!read.ok()) return read.error();
  const redisReply* reply = read->get();
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) {
    return Failure("read tokens", "unexpected reply");
  }
  if (Text(reply->element[0]) != "0" || reply->element[1]->type != REDIS_REPLY_STRING ||
      reply->element[1]->len == 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::string(Text(reply->element[1])));
}

Status RedisRegistry::DropTokens(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto dropped = Command("drop tokens", {"HDEL", Key(kRecordKey, id), "tokens"});
  if (!dropped.ok()) return dropped.error();
  return OkStatus();
}

}  // namespace userdesk::session
