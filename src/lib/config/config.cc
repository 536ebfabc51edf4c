#include "config/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "base/file.h"
#include "base/strings.h"

extern char** environ;

namespace userdesk::config {
namespace {

constexpr size_t kMinSecretLength = 16;

// Twice the cores, at least 4: serving is CPU work once the waits for Okta park (base/park.h)
// and idle kept connections hold no thread (fcgi_server.h), and more threads than cores only
// share the same CPUs, at the cost of memory and of latency for the requests they interleave.
int DefaultThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(2 * cores, 4u, 64u));
}

bool ValidKeyName(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Unquotes a value; returns false when a quote is left open.
bool ParseValue(std::string_view raw, std::string* out) {
  raw = TrimSpace(raw);
  if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
    char quote = raw.front();
    size_t end = raw.find(quote, 1);
    while (quote == '"' && end != std::string_view::npos && raw[end - 1] == '\\') {
      end = raw.find(quote, end + 1);
    }
    if (end == std::string_view::npos) return false;
    std::string_view inner = raw.substr(1, end - 1);
    out->clear();
    for (size_t i = 0; i < inner.size(); i++) {
      if (quote == '"' && inner[i] == '\\' && i + 1 < inner.size()) {
        char next = inner[++i];
        out->push_back(next == 'n' ? '\n' : next);
      } else {
        out->push_back(inner[i]);
      }
    }
    return true;
  }
  size_t hash = raw.find(" #");
  *out = std::string(TrimSpace(raw.substr(0, hash)));
  return true;
}

class Checker {
 public:
  Checker(const KeyValues& dotenv, const KeyValues& env) : dotenv_(dotenv), env_(env) {}

  std::string Get(std::string_view key) const {
    if (auto it = env_.find(key); it != env_.end()) return it->second;
    if (auto it = dotenv_.find(key); it != dotenv_.end()) return it->second;
    return "";
  }

  std::string Required(std::string_view key, std::string_view hint) {
    std::string v = Get(key);
    if (v.empty()) Problem(std::string(key) + " is missing: " + std::string(hint));
    return v;
  }

  std::string Url(std::string_view key, bool required, std::string_view hint) {
    std::string v = required ? Required(key, hint) : Get(key);
    if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
      Problem(std::string(key) + " must start with http:// or https://");
    }
    while (!v.empty() && v.back() == '/') v.pop_back();
    return v;
  }

  int Int(std::string_view key, int fallback, int lo, int hi) {
    std::string v = Get(key);
    if (v.empty()) return fallback;
    if (v[0] == '+') v.erase(0, 1);  // a plus sign has always been accepted
    std::optional<int> n = ParseInteger<int>(v);
    if (!n || *n < lo || *n > hi) {
      Problem(std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " +
              std::to_string(hi));
      return fallback;
    }
    return *n;
  }

  void Problem(std::string text) { problems_.push_back(std::move(text)); }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  const KeyValues& dotenv_;
  const KeyValues& env_;
  std::vector<std::string> problems_;
};

void CheckSecretLength(Checker& c, std::string_view key, const std::string& value) {
  if (!value.empty() && value.size() < kMinSecretLength) {
    c.Problem(std::string(key) + " is too short (at least " + std::to_string(kMinSecretLength) +
              " characters); generate one with: openssl rand -base64 32");
  }
}

constexpr std::string_view kRedisForm =
    "redis://[:password@]host[:port][/db], e.g. redis://10.0.0.5:6379/0";

// RFC 3986 percent-decoding ('+' is a plus sign here, not a space); nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  auto hex = [](char h) {
    return h >= '0' && h <= '9'   ? h - '0'
           : h >= 'a' && h <= 'f' ? h - 'a' + 10
           : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                  : -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || hex(text[i + 1]) < 0 || hex(text[i + 2]) < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
    i += 2;
  }
  return out;
}

bool ValidHost(std::string_view host, bool bracketed) {
  if (host.empty()) return false;
  for (char ch : host) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == '_' || (bracketed && ch == ':');
    if (!ok) return false;
  }
  return true;
}

// SESSION_STORE=redis://[:password@]host[:port][/db]. The password may instead be REDIS_PASSWORD
// (kept out of the URL, which is easier to show to someone); both at once is a mistake. No
// problem quotes the value: it may hold the password.
std::optional<Config::RedisStore> ParseRedisStore(Checker& c, std::string_view url,
                                                  const std::string& separate_password) {
  auto malformed = [&c] {
    c.Problem("SESSION_STORE must be " + std::string(kRedisForm) +
              " (a password in it percent-encoded, or in REDIS_PASSWORD)");
    return std::nullopt;
  };
  if (url.rfind("rediss://", 0) == 0) {
    c.Problem(
        "SESSION_STORE: rediss:// (Redis over TLS) is not supported: hiredis 0.14 has no "
        "TLS; keep Redis on a private network or loopback (docs/deploy.md)");
    return std::nullopt;
  }
  constexpr std::string_view kScheme = "redis://";
  if (url.rfind(kScheme, 0) != 0) return malformed();
  url.remove_prefix(kScheme.size());
  Config::RedisStore redis;
  if (size_t at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    url.remove_prefix(at + 1);
    if (userinfo.empty() || userinfo[0] != ':') {
      c.Problem(
          "SESSION_STORE: a Redis user name is not supported, only a password: "
          "redis://:password@host:port/db");
      return std::nullopt;
    }
    std::optional<std::string> password = PercentDecode(userinfo.substr(1));
    if (!password) return malformed();
    redis.password = std::move(*password);
  }
  std::string_view authority = url.substr(0, url.find('/'));
  if (authority.size() < url.size()) {
    std::string_view db = url.substr(authority.size() + 1);
    std::optional<int> number = db.empty() ? std::optional<int>(0) : ParseInteger<int>(db);
    if (!number || *number < 0) return malformed();
    redis.db = *number;
  }
  bool bracketed = !authority.empty() && authority[0] == '[';  // an IPv6 address
  size_t host_end = bracketed ? authority.find(']') : authority.find(':');
  if (bracketed && host_end == std::string_view::npos) return malformed();
  redis.host = std::string(authority.substr(bracketed ? 1 : 0, host_end - (bracketed ? 1 : 0)));
  if (!ValidHost(redis.host, bracketed)) return malformed();
  if (host_end != std::string_view::npos && host_end + (bracketed ? 1 : 0) < authority.size()) {
    std::string_view port = authority.substr(host_end + (bracketed ? 1 : 0));
    std::optional<int> number = port[0] == ':' ? ParseInteger<int>(port.substr(1)) : std::nullopt;
    if (!number || *number < 1 || *number > 65535) return malformed();
    redis.port = *number;
  }
  if (!separate_password.empty()) {
    if (!redis.password.empty()) {
      c.Problem("SESSION_STORE has a password and REDIS_PASSWORD is set too: give it once");
      return std::nullopt;
    }
    redis.password = separate_password;
  }
  return redis;
}

// The ID-token algorithm allow-list. The verifier implements the RSA PKCS#1 family only; "none"
// and the HMAC algorithms are named in the message because allowing them is the classic mistake.
// A comma-separated list of Okta attribute names (letters, digits, '_', as Okta's names are),
// each once; spaces around a name are allowed.
std::vector<std::string> ParseAttributeList(Checker& c, std::string_view key) {
  std::vector<std::string> names;
  std::string text = c.Get(key);
  size_t at = 0;
  while (!text.empty() && at <= text.size()) {
    size_t comma = std::min(text.find(',', at), text.size());
    std::string name(TrimSpace(std::string_view(text).substr(at, comma - at)));
    at = comma + 1;
    bool plain =
        !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
        });
    if (!plain) {
      c.Problem(std::string(key) +
                " must be Okta attribute names separated by commas, e.g. firstName,lastName");
      return {};
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<std::string> ParseAlgorithmList(Checker& c, const std::string& text) {
  std::vector<std::string> algs;
  std::istringstream in(text);
  std::string alg;
  while (std::getline(in, alg, ',')) {
    std::string_view a = TrimSpace(alg);
    if (a.empty()) continue;
    if (a == "RS256" || a == "RS384" || a == "RS512") {
      algs.emplace_back(a);
    } else {
      c.Problem("ID_TOKEN_ALGS may list only RS256, RS384 and RS512 (never none or HS*)");
      return {"RS256"};
    }
  }
  if (algs.empty()) c.Problem("ID_TOKEN_ALGS is empty");
  return algs;
}

std::string DefaultTemplatesDir() {
#ifdef USERDESK_DEFAULT_TEMPLATES
  return USERDESK_DEFAULT_TEMPLATES;
#else
  return "/usr/share/userdesk/templates";
#endif
}

}  // namespace

KeyValues ParseDotEnv(std::string_view text, std::vector<std::string>* problems) {
  KeyValues out;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); number++) {
    std::string_view l = TrimSpace(line);
    if (l.empty() || l.front() == '#') continue;
    if (l.rfind("export ", 0) == 0) l = TrimSpace(l.substr(7));
    size_t eq = l.find('=');
    std::string_view key = eq == std::string_view::npos ? l : TrimSpace(l.substr(0, eq));
    std::string value;
    if (eq == std::string_view::npos || !ValidKeyName(key)) {
      if (problems)
        problems->push_back(".env line " + std::to_string(number) + " is not KEY=VALUE");
      continue;
    }
    if (!ParseValue(l.substr(eq + 1), &value)) {
      if (problems)
        problems->push_back(".env line " + std::to_string(number) + " (" + std::string(key) +
                            ") has an unclosed quote");
      continue;
    }
    out[std::string(key)] = std::move(value);
  }
  return out;
}

Result<Config> Resolve(const KeyValues& dotenv, const KeyValues& environment,
                       const Requirements& needs) {
  Checker c(dotenv, environment);
  Config cfg;
  cfg.host_url = c.Url("HOST_URL", true, "the app's public URL, e.g. http://localhost:3000");
  cfg.app_secret = c.Required("APP_SECRET", "generate one with: openssl rand -base64 32");
  CheckSecretLength(c, "APP_SECRET", cfg.app_secret);
  cfg.app_secret_previous = c.Get("APP_SECRET_PREVIOUS");
  CheckSecretLength(c, "APP_SECRET_PREVIOUS", cfg.app_secret_previous);
  cfg.org_url = c.Url(
      "ORG_URL",
      needs.okta_client || needs.registration || needs.user_profile || needs.user_profile_token,
      "your Okta org URL, e.g. https://dev-123.okta.com");
  if (std::string api = c.Get("PROFILE_API"); api == "myaccount") {
    cfg.profile_api = ProfileApi::kMyAccount;
  } else if (!api.empty() && api != "users") {
    c.Problem("PROFILE_API must be users or myaccount");
  }
  // in MyAccount mode the profile pages refresh the user's tokens: a client's own grant
  if (needs.okta_client || (needs.user_profile && cfg.profile_api == ProfileApi::kMyAccount)) {
    cfg.client_id = c.Required("CLIENT_ID", "the Okta application's client ID");
    cfg.client_secret = c.Required("CLIENT_SECRET", "the Okta application's client secret");
  }
  if (needs.registration) {
    cfg.registration_token = c.Required("REGISTRATION_TOKEN", "an Okta API token");
  }
  // MyAccount mode reads and writes with the user's own token: the admin token is not needed
  if ((needs.user_profile && cfg.profile_api == ProfileApi::kUsers) || needs.user_profile_token) {
    cfg.user_profile_token = c.Required("USER_PROFILE_TOKEN", "an Okta API token");
  } else {
    cfg.user_profile_token =
        c.Get("USER_PROFILE_TOKEN");  // optional: what it enables is said where used
  }
  cfg.issuer = c.Url("ISSUER", false, "");
  if (cfg.issuer.empty() && !cfg.org_url.empty()) cfg.issuer = cfg.org_url + "/oauth2/default";
  cfg.templates_dir = c.Get("USERDESK_TEMPLATES");
  if (cfg.templates_dir.empty()) cfg.templates_dir = DefaultTemplatesDir();
  cfg.threads = c.Int("USERDESK_THREADS", DefaultThreads(), 1, 256);
  cfg.okta_max_concurrent_calls = c.Int("OKTA_MAX_CONCURRENT_CALLS", 256, 1, 4096);
  cfg.max_body_bytes = static_cast<size_t>(c.Int("USERDESK_MAX_BODY", 64 * 1024, 1024, 16 << 20));
  if (std::string algs = c.Get("ID_TOKEN_ALGS"); !algs.empty()) {
    cfg.id_token_algs = ParseAlgorithmList(c, algs);
  }
  cfg.clock_skew_seconds = c.Int("CLOCK_SKEW_SECONDS", 60, 0, 600);
  std::string store = c.Get("SESSION_STORE");
  if (store.empty()) {
    // systemd's StateDirectory= (the units say userdesk) names /var/lib/userdesk here; the
    // first of its colon-separated list is ours
    std::string state = c.Get("STATE_DIRECTORY");
    state = state.substr(0, state.find(':'));
    if (!state.empty() && state[0] == '/') store = "sqlite:" + state + "/sessions.db";
  }
  constexpr std::string_view kSqlite = "sqlite:";
  if (store.rfind("redis://", 0) == 0 || store.rfind("rediss://", 0) == 0) {
    cfg.session_store_redis = ParseRedisStore(c, store, c.Get("REDIS_PASSWORD"));
  } else if (!store.empty() && store != "none") {
    if (store.rfind(kSqlite, 0) != 0 || store.size() <= kSqlite.size() ||
        store[kSqlite.size()] != '/') {
      c.Problem(
          "SESSION_STORE must be sqlite: followed by an absolute path, e.g. "
          "sqlite:/var/lib/userdesk/sessions.db, or " +
          std::string(kRedisForm) + ", or none");
    } else {
      cfg.session_store_path = store.substr(kSqlite.size());
    }
  }
  if (cfg.profile_api == ProfileApi::kMyAccount) {
    // Okta grants the okta.myAccount.* scopes only through the org authorization server, whose
    // issuer is the org URL itself (docs/okta-api.md §1.1); a custom server's token is refused
    if (!cfg.org_url.empty() && cfg.issuer != cfg.org_url) {
      c.Problem(
          "PROFILE_API=myaccount needs ISSUER to be ORG_URL (the org authorization server: only "
          "it grants the MyAccount scopes)");
    }
    // the user's tokens live sealed in the session registry, never in the cookie
    if (cfg.session_store_path.empty() && !cfg.session_store_redis) {
      c.Problem(
          "PROFILE_API=myaccount needs the session registry (SESSION_STORE sqlite: or redis://, "
          "not none): the user's tokens are kept there");
    }
  }
  cfg.session_check_seconds = c.Int("SESSION_CHECK_SECONDS", 5, 0, 60);
  cfg.session_idle_minutes = c.Int("SESSION_IDLE_MINUTES", 30, 1, 24 * 60);
  cfg.session_max_hours = c.Int("SESSION_MAX_HOURS", 8, 1, 30 * 24);
  cfg.http_connect_timeout_ms = c.Int("HTTP_CONNECT_TIMEOUT_MS", 2000, 100, 60000);
  cfg.http_timeout_ms = c.Int("HTTP_TIMEOUT_MS", 5000, 100, 120000);
  cfg.profile_cache_seconds = c.Int("PROFILE_CACHE_SECONDS", 60, 0, 3600);
  cfg.profile_cache_max_users = c.Int("PROFILE_CACHE_MAX_USERS", 1000, 1, 1000000);
  cfg.schema_cache_seconds = c.Int("SCHEMA_CACHE_SECONDS", 300, 0, 86400);
  cfg.profile_fields = ParseAttributeList(c, "PROFILE_FIELDS");
  cfg.okta_rate_limit_wait_ms = c.Int("OKTA_RATE_LIMIT_WAIT_MS", 2000, 0, 30000);
  cfg.reset_email_cooldown_minutes = c.Int("RESET_EMAIL_COOLDOWN_MINUTES", 15, 0, 24 * 60);
  cfg.reauth_minutes = c.Int("REAUTH_MINUTES", 15, 1, 24 * 60);
  if (std::string level = c.Get("LOG_LEVEL");
      !level.empty() && !log::ParseLevel(level, &cfg.log_level)) {
    c.Problem("LOG_LEVEL must be one of debug, info, warn, error");
  }
  if (std::string format = c.Get("LOG_FORMAT");
      !format.empty() && !log::ParseFormat(format, &cfg.log_format)) {
    c.Problem("LOG_FORMAT must be text or json");
  }
  if (!c.problems().empty()) {
    std::string detail;
    for (const auto& p : c.problems()) detail += (detail.empty() ? "" : "\n") + p;
    return MakeError(ErrorCode::kInvalidArgument, detail);
  }
  return cfg;
}

Result<Config> ResolveFile(std::string_view path, std::string_view dotenv_text,
                           const KeyValues& environment, const Requirements& needs) {
  std::vector<std::string> file_problems;
  KeyValues dotenv = ParseDotEnv(dotenv_text, &file_problems);
  Result<Config> resolved = Resolve(dotenv, environment, needs);
  if (file_problems.empty()) return resolved;
  std::string detail;
  for (const auto& p : file_problems) {
    detail += (detail.empty() ? "" : "\n") + std::string(path) + ": " + p;
  }
  if (!resolved) detail += "\n" + resolved.error().detail;
  return MakeError(ErrorCode::kInvalidArgument, detail);
}

Result<Config> Load(const Requirements& needs) {
  KeyValues environment;
  for (char** e = environ; *e != nullptr; e++) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos)
      environment[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  const char* named = std::getenv("USERDESK_ENV_FILE");
  std::string path = named != nullptr ? named : ".env";
  std::optional<std::string> text = file::Read(path);
  if (!text && named != nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "USERDESK_ENV_FILE names " + path + ", which cannot be read");
  }
  return ResolveFile(path, text ? *text : std::string(), environment, needs);
}

}  // namespace userdesk::config
