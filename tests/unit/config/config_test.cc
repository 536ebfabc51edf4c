#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <utility>

namespace userdesk::config {
namespace {

const KeyValues kValid = {
    {"HOST_URL", "http://localhost:3000"},  {"APP_SECRET", "0123456789abcdef0123"},
    {"ORG_URL", "https://dev-1.okta.com/"}, {"CLIENT_ID", "cid"},
    {"CLIENT_SECRET", "csecret-value"},     {"REGISTRATION_TOKEN", "reg"},
    {"USER_PROFILE_TOKEN", "prof"}};

TEST(ParseDotEnv, TutorialFormat) {
  std::vector<std::string> problems;
  auto kv = ParseDotEnv(
      "# Okta settings\n"
      "ORG_URL=https://dev-1.okta.com\n"
      "\n"
      "export HOST_URL=http://localhost:3000\r\n"
      "APP_SECRET=\"a long secret with # hash\"\n"
      "CLIENT_ID='single quoted'\n"
      "CLIENT_SECRET=plain # trailing comment\n"
      "EMPTY=\n"
      "ESCAPED=\"line\\nnext \\\"q\\\"\"\n",
      &problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(kv["ORG_URL"], "https://dev-1.okta.com");
  EXPECT_EQ(kv["HOST_URL"], "http://localhost:3000");
  EXPECT_EQ(kv["APP_SECRET"], "a long secret with # hash");
  EXPECT_EQ(kv["CLIENT_ID"], "single quoted");
  EXPECT_EQ(kv["CLIENT_SECRET"], "plain");
  EXPECT_EQ(kv["EMPTY"], "");
  EXPECT_EQ(kv["ESCAPED"], "line\nnext \"q\"");
}

TEST(ParseDotEnv, ReportsBadLinesByNumber) {
  std::vector<std::string> problems;
  auto kv = ParseDotEnv("GOOD=1\nno equals sign\nBAD KEY=2\nOPEN=\"never closed\n", &problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("line 2"), std::string::npos);
  EXPECT_NE(problems[1].find("line 3"), std::string::npos);
  EXPECT_NE(problems[2].find("OPEN"), std::string::npos);
  EXPECT_EQ(kv.size(), 1u);
}

TEST(Resolve, ValidConfigAndDerivedIssuer) {
  auto cfg = Resolve(kValid, {}, Requirements{true, true, true});
  ASSERT_TRUE(cfg.ok()) << cfg.error().detail;
  EXPECT_EQ(cfg->org_url, "https://dev-1.okta.com");  // trailing slash dropped
  EXPECT_EQ(cfg->issuer, "https://dev-1.okta.com/oauth2/default");
  EXPECT_FALSE(cfg->https());
  // twice the cores, at least 4 and at most 64
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(cfg->threads, std::clamp(2 * cores, 4, 64));
}

TEST(Resolve, EnvironmentWins) {
  auto cfg =
      Resolve(kValid, {{"HOST_URL", "https://id.example.com"}, {"ISSUER", "https://i.example"}},
              Requirements{});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->host_url, "https://id.example.com");
  EXPECT_TRUE(cfg->https());
  EXPECT_EQ(cfg->issuer, "https://i.example");
}

TEST(Resolve, CollectsEveryProblemNamingKeysNotValues) {
  KeyValues bad = {
      {"HOST_URL", "localhost:3000"}, {"APP_SECRET", "short-secret"}, {"USERDESK_THREADS", "lots"}};
  auto cfg = Resolve(bad, {}, Requirements{true, true, false});
  ASSERT_FALSE(cfg.ok());
  const std::string& d = cfg.error().detail;
  EXPECT_NE(d.find("HOST_URL must start with http"), std::string::npos);
  EXPECT_NE(d.find("APP_SECRET is too short"), std::string::npos);
  EXPECT_NE(d.find("openssl rand -base64 32"), std::string::npos);
  EXPECT_NE(d.find("ORG_URL is missing"), std::string::npos);
  EXPECT_NE(d.find("CLIENT_ID is missing"), std::string::npos);
  EXPECT_NE(d.find("CLIENT_SECRET is missing"), std::string::npos);
  EXPECT_NE(d.find("REGISTRATION_TOKEN is missing"), std::string::npos);
  EXPECT_NE(d.find("USERDESK_THREADS must be"), std::string::npos);
  EXPECT_EQ(d.find("USER_PROFILE_TOKEN"), std::string::npos);  // not required here
  EXPECT_EQ(d.find("short-secret"), std::string::npos);        // never echo a secret
}

TEST(Resolve, SessionStoreIsAnSqliteFileByItsAbsolutePath) {
  auto unset = Resolve(kValid, {}, Requirements{});
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->session_store_path, "");  // sessions in the cookie alone
  EXPECT_EQ(unset->session_check_seconds, 5);
  auto set = Resolve(
      kValid,
      {{"SESSION_STORE", "sqlite:/var/lib/userdesk/sessions.db"}, {"SESSION_CHECK_SECONDS", "0"}},
      Requirements{});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->session_store_path, "/var/lib/userdesk/sessions.db");
  EXPECT_EQ(set->session_check_seconds, 0);
  auto none = Resolve(kValid, {{"SESSION_STORE", "none"}, {"STATE_DIRECTORY", "/var/lib/userdesk"}},
                      Requirements{});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->session_store_path, "");
  for (const char* bad : {"sessions.db", "sqlite:sessions.db", "sqlite:", "redis:/x"}) {
    auto refused = Resolve(kValid, {{"SESSION_STORE", bad}}, Requirements{});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().detail.find("SESSION_STORE must be sqlite:"), std::string::npos);
  }
}

TEST(Resolve, SessionStoreIsARedisServerByItsUrl) {
  auto full = Resolve(
      kValid,
      {{"SESSION_STORE", "redis://10.0.0.5:6380/2"}, {"STATE_DIRECTORY", "/var/lib/userdesk"}},
      Requirements{});
  ASSERT_TRUE(full.ok()) << full.error().detail;
  EXPECT_EQ(full->session_store_path, "");  // Redis instead of the state directory's file
  ASSERT_TRUE(full->session_store_redis.has_value());
  EXPECT_EQ(full->session_store_redis->host, "10.0.0.5");
  EXPECT_EQ(full->session_store_redis->port, 6380);
  EXPECT_EQ(full->session_store_redis->db, 2);
  EXPECT_EQ(full->session_store_redis->password, "");
  auto bare = Resolve(kValid, {{"SESSION_STORE", "redis://redis.internal"}}, Requirements{});
  ASSERT_TRUE(bare.ok()) << bare.error().detail;
  EXPECT_EQ(bare->session_store_redis->host, "redis.internal");
  EXPECT_EQ(bare->session_store_redis->port, 6379);
  EXPECT_EQ(bare->session_store_redis->db, 0);
  auto v6 = Resolve(kValid, {{"SESSION_STORE", "redis://[::1]:6379/1"}}, Requirements{});
  ASSERT_TRUE(v6.ok()) << v6.error().detail;
  EXPECT_EQ(v6->session_store_redis->host, "::1");
  EXPECT_EQ(v6->session_store_redis->db, 1);
  auto sqlite = Resolve(kValid, {{"SESSION_STORE", "sqlite:/srv/sessions.db"}}, Requirements{});
  ASSERT_TRUE(sqlite.ok());
  EXPECT_FALSE(sqlite->session_store_redis.has_value());
}

// In the URL (percent-encoded, '+' being a plus sign), or in REDIS_PASSWORD; not both.
TEST(Resolve, TheRedisPasswordComesFromTheUrlOrItsOwnKey) {
  auto in_url = Resolve(kValid, {{"SESSION_STORE", "redis://:s3cr%40t+x%2F@127.0.0.1:6379/0"}},
                        Requirements{});
  ASSERT_TRUE(in_url.ok()) << in_url.error().detail;
  EXPECT_EQ(in_url->session_store_redis->password, "s3cr@t+x/");
  EXPECT_EQ(in_url->session_store_redis->host, "127.0.0.1");
  auto own_key = Resolve(
      kValid,
      {{"SESSION_STORE", "redis://127.0.0.1:6379/0"}, {"REDIS_PASSWORD", "from-its-own-key"}},
      Requirements{});
  ASSERT_TRUE(own_key.ok()) << own_key.error().detail;
  EXPECT_EQ(own_key->session_store_redis->password, "from-its-own-key");
  auto both = Resolve(kValid,
                      {{"SESSION_STORE", "redis://:hunter2-in-url@127.0.0.1:6379/0"},
                       {"REDIS_PASSWORD", "hunter2-in-key"}},
                      Requirements{});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().detail.find("give it once"), std::string::npos);
  EXPECT_EQ(both.error().detail.find("hunter2"), std::string::npos);
}

TEST(Resolve, ARedisStoreProblemNeverQuotesThePassword) {
  for (const char* bad : {"redis://:hunter2-secret@host:notaport/0", "redis://:hunter2-secret@/0",
                          "redis://:hunter2-secret@host:6379/x", "redis://:hunter2%zz@host:6379",
                          "redis://:hunter2-secret@host:70000", "redis://:hunter2-secret@[::1/0",
                          "redis://:hunter2-secret@host:6379/0?timeout=1"}) {
    auto refused = Resolve(kValid, {{"SESSION_STORE", bad}}, Requirements{});
    ASSERT_FALSE(refused.ok()) << bad;
    const std::string& d = refused.error().detail;
    EXPECT_NE(d.find("SESSION_STORE must be redis://[:password@]host[:port][/db]"),
              std::string::npos)
        << d;
    EXPECT_EQ(d.find("hunter2"), std::string::npos) << d;
  }
  auto user = Resolve(kValid, {{"SESSION_STORE", "redis://admin:hunter2-secret@host:6379"}},
                      Requirements{});
  ASSERT_FALSE(user.ok());
  EXPECT_NE(user.error().detail.find("user name is not supported"), std::string::npos);
  EXPECT_EQ(user.error().detail.find("hunter2"), std::string::npos);
  auto tls =
      Resolve(kValid, {{"SESSION_STORE", "rediss://:hunter2-secret@host:6379"}}, Requirements{});
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.error().detail.find("TLS"), std::string::npos);
  EXPECT_EQ(tls.error().detail.find("hunter2"), std::string::npos);
  // neither form: the message names both
  auto neither = Resolve(kValid, {{"SESSION_STORE", "memcached://host"}}, Requirements{});
  ASSERT_FALSE(neither.ok());
  EXPECT_NE(neither.error().detail.find("sqlite:"), std::string::npos);
  EXPECT_NE(neither.error().detail.find("redis://"), std::string::npos);
}

// Under systemd (StateDirectory=userdesk) the registry is on with no key in the env file.
TEST(Resolve, SessionStoreDefaultsToTheStateDirectory) {
  auto systemd =
      Resolve(kValid, {{"STATE_DIRECTORY", "/var/lib/userdesk:/var/lib/other"}}, Requirements{});
  ASSERT_TRUE(systemd.ok());
  EXPECT_EQ(systemd->session_store_path, "/var/lib/userdesk/sessions.db");
  auto relative = Resolve(kValid, {{"STATE_DIRECTORY", "var/lib/userdesk"}}, Requirements{});
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(relative->session_store_path, "");  // not systemd's: ignored
  auto chosen = Resolve(
      kValid,
      {{"STATE_DIRECTORY", "/var/lib/userdesk"}, {"SESSION_STORE", "sqlite:/srv/sessions.db"}},
      Requirements{});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->session_store_path, "/srv/sessions.db");
}

TEST(Resolve, LogLevelIsCheckedLikeEveryOtherKey) {
  auto unset = Resolve(kValid, {}, Requirements{});
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->log_level, log::Level::kInfo);

  KeyValues from_file = kValid;
  from_file["LOG_LEVEL"] = "debug";
  auto debug = Resolve(from_file, {}, Requirements{});
  ASSERT_TRUE(debug.ok());
  EXPECT_EQ(debug->log_level, log::Level::kDebug);
  auto env_wins = Resolve(from_file, {{"LOG_LEVEL", "warn"}}, Requirements{});
  ASSERT_TRUE(env_wins.ok());
  EXPECT_EQ(env_wins->log_level, log::Level::kWarn);

  auto bad = Resolve(kValid, {{"LOG_LEVEL", "verbose"}}, Requirements{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "LOG_LEVEL must be one of debug, info, warn, error");
}

TEST(Resolve, LogFormatIsTextUnlessSetToJson) {
  auto unset = Resolve(kValid, {}, Requirements{});
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->log_format, log::Format::kText);

  KeyValues from_file = kValid;
  from_file["LOG_FORMAT"] = "json";
  auto json = Resolve(from_file, {}, Requirements{});
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->log_format, log::Format::kJson);
  auto env_wins = Resolve(from_file, {{"LOG_FORMAT", "text"}}, Requirements{});
  ASSERT_TRUE(env_wins.ok());
  EXPECT_EQ(env_wins->log_format, log::Format::kText);

  // the problem names the key, never echoes the value
  auto bad = Resolve(kValid, {{"LOG_FORMAT", "JSON-lines"}}, Requirements{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "LOG_FORMAT must be text or json");
}

// A bad line in .env and the keys it leaves missing come back together, file lines first.
TEST(ResolveFile, ReportsTheFilesLinesAndTheMissingKeysAtOnce) {
  auto cfg = ResolveFile("/etc/userdesk/userdesk.env",
                         "HOST_URL=http://127.0.0.1:3000\nAPP_SECRET \"0123456789abcdef\"\n", {},
                         Requirements{true, false, false});
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().detail,
            "/etc/userdesk/userdesk.env: .env line 2 is not KEY=VALUE\n"
            "APP_SECRET is missing: generate one with: openssl rand -base64 32\n"
            "ORG_URL is missing: your Okta org URL, e.g. https://dev-123.okta.com\n"
            "CLIENT_ID is missing: the Okta application's client ID\n"
            "CLIENT_SECRET is missing: the Okta application's client secret");
}

TEST(ResolveFile, AFileWithBadLinesFailsEvenWhenEveryKeyIsThere) {
  auto cfg = ResolveFile(".env",
                         "HOST_URL=http://127.0.0.1:3000\nAPP_SECRET=0123456789abcdef\n"
                         "OOPS=\"unclosed\n",
                         {}, Requirements{});
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().detail, ".env: .env line 3 (OOPS) has an unclosed quote");
  EXPECT_TRUE(ResolveFile(".env", "HOST_URL=http://127.0.0.1:3000\nAPP_SECRET=0123456789abcdef\n",
                          {}, Requirements{})
                  .ok());
}

TEST(Resolve, HomeNeedsOnlyHostAndSecret) {
  auto cfg = Resolve({{"HOST_URL", "http://127.0.0.1:3000"}, {"APP_SECRET", "0123456789abcdef"}},
                     {}, Requirements{});
  EXPECT_TRUE(cfg.ok());
}

TEST(Resolve, MissingAppSecretHasHint) {
  auto cfg = Resolve({{"HOST_URL", "http://127.0.0.1:3000"}}, {}, Requirements{});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().detail.find("APP_SECRET is missing: generate one with: openssl rand"),
            std::string::npos);
}

TEST(Resolve, SignInDefaults) {
  auto cfg = Resolve(kValid, {}, Requirements{true, false, false});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->id_token_algs, std::vector<std::string>{"RS256"});
  EXPECT_EQ(cfg->clock_skew_seconds, 60);
  EXPECT_EQ(cfg->session_idle_minutes, 30);
  EXPECT_EQ(cfg->session_max_hours, 8);
  EXPECT_EQ(cfg->http_connect_timeout_ms, 2000);
  EXPECT_EQ(cfg->http_timeout_ms, 5000);
  EXPECT_EQ(cfg->profile_cache_seconds, 60);
  EXPECT_EQ(cfg->profile_cache_max_users, 1000);
  EXPECT_EQ(cfg->okta_rate_limit_wait_ms, 2000);
}

TEST(Resolve, ProfileCacheKeys) {
  auto cfg = Resolve(kValid, {{"PROFILE_CACHE_SECONDS", "0"}, {"PROFILE_CACHE_MAX_USERS", "5"}},
                     Requirements{});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->profile_cache_seconds, 0);
  EXPECT_EQ(cfg->profile_cache_max_users, 5);
  auto bad = Resolve(kValid, {{"PROFILE_CACHE_MAX_USERS", "0"}, {"OKTA_RATE_LIMIT_WAIT_MS", "-1"}},
                     Requirements{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().detail.find("PROFILE_CACHE_MAX_USERS"), std::string::npos);
  EXPECT_NE(bad.error().detail.find("OKTA_RATE_LIMIT_WAIT_MS"), std::string::npos);
}

TEST(Resolve, ResetEmailCooldownMinutes) {
  auto defaults = Resolve(kValid, {}, Requirements{});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->reset_email_cooldown_minutes, 15);
  for (const auto& [text, minutes] : {std::pair{"0", 0}, {"1", 1}, {"1440", 1440}}) {
    auto cfg = Resolve(kValid, {{"RESET_EMAIL_COOLDOWN_MINUTES", text}}, Requirements{});
    ASSERT_TRUE(cfg.ok()) << text;
    EXPECT_EQ(cfg->reset_email_cooldown_minutes, minutes);
  }
  for (const char* bad : {"-1", "1441", "15m", "ten"}) {
    auto refused = Resolve(kValid, {{"RESET_EMAIL_COOLDOWN_MINUTES", bad}}, Requirements{});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().detail,
              "RESET_EMAIL_COOLDOWN_MINUTES must be a whole number from 0 to 1440");
  }
}

TEST(Resolve, TheAccountResponderNeedsNoProfileToken) {
  // registration and the self-service reset: ORG_URL and REGISTRATION_TOKEN only
  KeyValues dotenv = kValid;
  dotenv.erase("USER_PROFILE_TOKEN");
  auto cfg = Resolve(dotenv, {}, Requirements{false, true, false});
  ASSERT_TRUE(cfg.ok()) << cfg.error().detail;
  EXPECT_EQ(cfg->user_profile_token, "");
  // given, it is kept (the Security page's password change uses it)
  auto with_token = Resolve(kValid, {}, Requirements{false, true, false});
  ASSERT_TRUE(with_token.ok());
  EXPECT_EQ(with_token->user_profile_token, kValid.at("USER_PROFILE_TOKEN"));
  dotenv.erase("ORG_URL");
  auto no_org = Resolve(dotenv, {}, Requirements{false, true, false});
  ASSERT_FALSE(no_org.ok());
  EXPECT_NE(no_org.error().detail.find("ORG_URL is missing"), std::string::npos);
}

TEST(Resolve, IdTokenAlgorithmAllowList) {
  KeyValues env = {{"ID_TOKEN_ALGS", " RS256, RS512 "}};
  auto cfg = Resolve(kValid, env, Requirements{});
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(cfg->id_token_algs, (std::vector<std::string>{"RS256", "RS512"}));
  for (const char* bad : {"none", "HS256", "RS256,HS256", "ES256", ","}) {
    auto refused = Resolve(kValid, {{"ID_TOKEN_ALGS", bad}}, Requirements{});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().detail.find("ID_TOKEN_ALGS"), std::string::npos);
  }
}

TEST(Resolve, SessionLifetimesAreBounded) {
  auto cfg =
      Resolve(kValid, {{"SESSION_IDLE_MINUTES", "0"}, {"SESSION_MAX_HOURS", "x"}}, Requirements{});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().detail.find("SESSION_IDLE_MINUTES"), std::string::npos);
  EXPECT_NE(cfg.error().detail.find("SESSION_MAX_HOURS"), std::string::npos);
}

TEST(Resolve, ProfileWorkNeedsTheOrgAndItsToken) {
  KeyValues only_host = {{"HOST_URL", "http://127.0.0.1:3000"},
                         {"APP_SECRET", "0123456789abcdef0123"}};
  auto cfg = Resolve(only_host, {}, Requirements{false, false, true});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().detail.find("ORG_URL"), std::string::npos);
  EXPECT_NE(cfg.error().detail.find("USER_PROFILE_TOKEN"), std::string::npos);
  EXPECT_EQ(cfg.error().detail.find("CLIENT_ID"), std::string::npos);
}

TEST(Resolve, ProfileApiIsTheUsersApiUnlessSetToMyAccount) {
  auto cfg = Resolve(kValid, {}, Requirements{false, false, true});
  ASSERT_TRUE(cfg.ok()) << cfg.error().detail;
  EXPECT_EQ(cfg->profile_api, ProfileApi::kUsers);
  auto users = Resolve(kValid, {{"PROFILE_API", "users"}}, Requirements{false, false, true});
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->profile_api, ProfileApi::kUsers);
  for (const char* bad : {"MyAccount", "admin", " users"}) {
    auto refused = Resolve(kValid, {{"PROFILE_API", bad}}, Requirements{});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().detail, "PROFILE_API must be users or myaccount");
  }
}

// What MyAccount mode needs: the org authorization server and the registry, not the API token.
const KeyValues kMyAccount = {{"PROFILE_API", "myaccount"},
                              {"ISSUER", "https://dev-1.okta.com"},
                              {"SESSION_STORE", "sqlite:/var/lib/userdesk/sessions.db"}};

TEST(Resolve, MyAccountModeNeedsNoProfileToken) {
  KeyValues dotenv = kValid;
  dotenv.erase("USER_PROFILE_TOKEN");
  auto cfg = Resolve(dotenv, kMyAccount, Requirements{false, false, true});
  ASSERT_TRUE(cfg.ok()) << cfg.error().detail;
  EXPECT_EQ(cfg->profile_api, ProfileApi::kMyAccount);
  EXPECT_EQ(cfg->user_profile_token, "");
  // given anyway (the Security page's password change uses it), it is kept
  auto with_token = Resolve(kValid, kMyAccount, Requirements{false, false, true});
  ASSERT_TRUE(with_token.ok());
  EXPECT_EQ(with_token->user_profile_token, "prof");
  // userdesk-admin's users, schema and sessions commands still need it
  Requirements admin;
  admin.user_profile = admin.user_profile_token = true;
  auto for_admin = Resolve(dotenv, kMyAccount, admin);
  ASSERT_FALSE(for_admin.ok());
  EXPECT_NE(for_admin.error().detail.find("USER_PROFILE_TOKEN is missing"), std::string::npos);
  // and so does the users API
  auto users = Resolve(dotenv, {}, Requirements{false, false, true});
  ASSERT_FALSE(users.ok());
  EXPECT_NE(users.error().detail.find("USER_PROFILE_TOKEN is missing"), std::string::npos);
}

TEST(Resolve, MyAccountModeNeedsTheOrgAuthorizationServer) {
  KeyValues env = kMyAccount;
  env.erase("ISSUER");  // the default: ORG_URL/oauth2/default, a custom server
  auto by_default = Resolve(kValid, env, Requirements{true, false, true});
  ASSERT_FALSE(by_default.ok());
  EXPECT_EQ(by_default.error().detail,
            "PROFILE_API=myaccount needs ISSUER to be ORG_URL (the org authorization server: only "
            "it grants the MyAccount scopes)");
  env["ISSUER"] = "https://dev-1.okta.com/oauth2/aus-secret-id";
  auto custom = Resolve(kValid, env, Requirements{true, false, true});
  ASSERT_FALSE(custom.ok());
  EXPECT_EQ(custom.error().detail.find("aus-secret-id"), std::string::npos);  // never a value
  env["ISSUER"] = "https://dev-1.okta.com/";  // a trailing slash is the same URL
  EXPECT_TRUE(Resolve(kValid, env, Requirements{true, false, true}).ok());
}

TEST(Resolve, MyAccountModeNeedsTheSessionRegistry) {
  KeyValues env = kMyAccount;
  env["SESSION_STORE"] = "none";
  auto none = Resolve(kValid, env, Requirements{true, false, true});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().detail.find("PROFILE_API=myaccount needs the session registry"),
            std::string::npos);
  EXPECT_NE(none.error().detail.find("SESSION_STORE"), std::string::npos);
  env.erase("SESSION_STORE");  // unset outside systemd: none as well
  EXPECT_FALSE(Resolve(kValid, env, Requirements{true, false, true}).ok());
  env["STATE_DIRECTORY"] = "/var/lib/userdesk";
  EXPECT_TRUE(Resolve(kValid, env, Requirements{true, false, true}).ok());
  env.erase("STATE_DIRECTORY");
  env["SESSION_STORE"] = "redis://:pw-not-shown@10.0.0.5:6379/0";
  EXPECT_TRUE(Resolve(kValid, env, Requirements{true, false, true}).ok());
}

}  // namespace
}  // namespace userdesk::config
