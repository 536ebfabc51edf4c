// What every part of mini-okta's HTTP server shares: the resolved options, the store, the
// fault knobs and the signing keys. Built once in main.cc; route modules take it by reference.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace userdesk::mini_okta {

class Store;
class Faults;
class SigningKeys;
class RateLimiter;

struct Options {
  std::string host = "127.0.0.1";
  int port = 3001;
  std::string base_url;                // public base URL; default http://<host>:<port>
  std::string data_file;               // JSON state; empty = in memory only
  std::string seed_file;               // JSON seed applied when the data file does not exist yet
  bool developer_rate_limits = false;  // Okta's developer-org limits instead of none
  // Connection handling (docs/mini-okta.md, "Slow clients"): each connection holds one worker
  // thread while it is open, so there are enough workers for many idle or slow ones, and a
  // request that stops arriving is dropped after read_timeout_ms without a byte.
  int worker_threads = 64;
  int read_timeout_ms = 2000;
  int keep_alive_timeout_seconds = 5;  // idle wait for the next request on a connection
};

struct Context {
  Options options;
  Store* store = nullptr;
  Faults* faults = nullptr;             // latency, error rate, forced 429s, clock offset
  SigningKeys* keys = nullptr;          // RS256 keys for the OIDC server (owned by oidc code)
  RateLimiter* rate_limiter = nullptr;  // per-minute buckets (owned by MiniOktaServer)
  // Ends every sign-in session (mini-okta's own cookie) of a user id; how many it ended. Set by
  // the OIDC routes, which keep those sessions; the Users API's clear-sessions call uses it.
  std::function<size_t(const std::string& user_id)> end_sign_in_sessions;
  // Ends the one sign-in session whose public id (the ID token's `sid`) is session_id; whether
  // there was one.
  std::function<bool(const std::string& session_id)> end_sign_in_session;
};

}  // namespace userdesk::mini_okta
