// userdesk's configuration: the tutorial's .env keys (ORG_URL, HOST_URL, APP_SECRET, CLIENT_ID,
// CLIENT_SECRET, REGISTRATION_TOKEN, USER_PROFILE_TOKEN) plus optional userdesk keys. Values come
// from the .env file and the process environment; the environment wins. Validation collects every
// problem at once, names the key, and never echoes a value (most of them are secrets).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/log.h"

namespace userdesk::config {

using KeyValues = std::map<std::string, std::string, std::less<>>;

// Parses the dotenv format: KEY=VALUE lines, blank lines and # comments, an optional `export `
// prefix, values optionally in single or double quotes (double quotes allow \n \" \\ escapes),
// and a trailing " # comment" after an unquoted value. Bad lines are reported by line number.
KeyValues ParseDotEnv(std::string_view text, std::vector<std::string>* problems);

// PROFILE_API: how the dashboard and profile pages read and write the user's profile.
enum class ProfileApi {
  kUsers,      // "users" (the default, the tutorial's): Okta's Users API with USER_PROFILE_TOKEN
  kMyAccount,  // "myaccount": Okta's MyAccount API with the user's own access token, kept
               // sealed in the session registry (session/token_vault.h); no admin token needed
};

struct Config {
  std::string org_url;
  std::string host_url;             // public origin of the app, e.g. https://id.example.com
  std::string app_secret;           // signs session cookies
  std::string app_secret_previous;  // still accepted while rotating APP_SECRET
  std::string client_id;
  std::string client_secret;
  std::string registration_token;
  std::string user_profile_token;               // optional in MyAccount mode
  ProfileApi profile_api = ProfileApi::kUsers;  // PROFILE_API
  std::string issuer;                           // ISSUER, default ORG_URL + "/oauth2/default"
  std::string templates_dir;                    // USERDESK_TEMPLATES
  int threads = 4;  // USERDESK_THREADS, worker threads per responder (2 x cores)
  // OKTA_MAX_CONCURRENT_CALLS: requests of one responder process that may wait for Okta at once
  // (base/park.h); past it a page that needs Okta is a 503 with Retry-After, at once
  int okta_max_concurrent_calls = 256;
  size_t max_body_bytes = 64 * 1024;  // USERDESK_MAX_BODY
  // ID_TOKEN_ALGS: comma-separated signature algorithms accepted on ID tokens. Only RS256,
  // RS384 and RS512 can be listed; "none" and HS* are refused (RFC 8725 §3.1).
  std::vector<std::string> id_token_algs{"RS256"};
  int clock_skew_seconds = 60;         // CLOCK_SKEW_SECONDS: tolerance on token and cookie times
  int session_idle_minutes = 30;       // SESSION_IDLE_MINUTES: sliding idle timeout
  int session_max_hours = 8;           // SESSION_MAX_HOURS: absolute session lifetime
  int http_connect_timeout_ms = 2000;  // HTTP_CONNECT_TIMEOUT_MS: calls to the identity provider
  int http_timeout_ms = 5000;          // HTTP_TIMEOUT_MS: whole call, connect included
  int profile_cache_seconds = 60;      // PROFILE_CACHE_SECONDS: how long a read profile is reused
  int profile_cache_max_users = 1000;  // PROFILE_CACHE_MAX_USERS: profiles kept per responder
  // SCHEMA_CACHE_SECONDS: how long a responder reuses the user schema it read from Okta (the
  // profile form and the dashboard are drawn from it); an attribute added in Okta shows after this
  int schema_cache_seconds = 300;
  // PROFILE_FIELDS: the attributes the profile form shows, in this order (comma-separated Okta
  // attribute names); empty: the tutorial's eight, then every other attribute the schema lets
  // the user see
  std::vector<std::string> profile_fields;
  // OKTA_RATE_LIMIT_WAIT_MS: a 429 on a read is retried when Okta's window resets within this
  int okta_rate_limit_wait_ms = 2000;
  // RESET_EMAIL_COOLDOWN_MINUTES: at most one password-reset email per address this often, per
  // account responder process; 0 turns the cooldown off (for trying things out, not production)
  int reset_email_cooldown_minutes = 15;
  // REAUTH_MINUTES: the Security page's actions on sessions need a sign-in (with the password)
  // at most this long ago; an older one is asked to sign in again first (prompt=login)
  int reauth_minutes = 15;
  log::Level log_level = log::Level::kInfo;  // LOG_LEVEL: debug, info, warn or error
  // LOG_FORMAT: text (the default, for people) or json (one object per line, base/log.h)
  log::Format log_format = log::Format::kText;
  // SESSION_STORE: where the session registry lives (session/registry.h): "sqlite:<absolute
  // path>" (one host), or "redis://[:password@]host[:port][/db]" (several hosts; port 6379 and
  // db 0 by default). Unset, it is sessions.db in systemd's STATE_DIRECTORY when there is one;
  // "none" (or unset outside systemd) keeps sessions in the signed cookie alone, and the path is
  // empty and there is no Redis.
  std::string session_store_path;
  struct RedisStore {
    std::string host;  // a name, an IPv4 address, or an IPv6 address without its brackets
    int port = 6379;
    int db = 0;
    // percent-decoded from the URL, or REDIS_PASSWORD (one of the two, not both); a secret
    std::string password;
  };
  std::optional<RedisStore> session_store_redis;
  // SESSION_CHECK_SECONDS: a process trusts a session it found active this recently, so an
  // ended session is refused everywhere within this time
  int session_check_seconds = 5;

  // True when HOST_URL is https: cookies get Secure and the __Host- prefix.
  bool https() const { return host_url.rfind("https://", 0) == 0; }
};

// Which tutorial keys a responder needs: each responder asks only for what it uses, so the home
// page runs even before the Okta application is set up.
struct Requirements {
  bool okta_client = false;   // ORG_URL, CLIENT_ID, CLIENT_SECRET
  bool registration = false;  // REGISTRATION_TOKEN
  bool user_profile = false;  // USER_PROFILE_TOKEN (only with PROFILE_API=users)
  // USER_PROFILE_TOKEN whatever PROFILE_API says: userdesk-admin's users, schema and sessions
  // commands work on every user, which only the API token may
  bool user_profile_token = false;
};

// Builds the configuration from .env values and environment values (environment wins).
// On failure the Error's detail lists every problem, one per line.
Result<Config> Resolve(const KeyValues& dotenv, const KeyValues& environment,
                       const Requirements& needs);

// Checks the text of the .env file at path together with the environment: the file's bad lines
// and the keys left missing or invalid are reported in one go, so one edit can fix them all.
Result<Config> ResolveFile(std::string_view path, std::string_view dotenv_text,
                           const KeyValues& environment, const Requirements& needs);

// Reads the .env file named by USERDESK_ENV_FILE (default ./.env; a missing default file is fine)
// and the process environment, then calls ResolveFile.
Result<Config> Load(const Requirements& needs);

}  // namespace userdesk::config
