#include "admin/sessions_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

#include "admin/cli.h"
#include "admin/help.h"
#include "admin/user_format.h"
#include "app/app.h"
#include "base/iso_time.h"
#include "base/strings.h"
#include "json/json.h"
#include "okta/users_client.h"
#include "session/registry.h"
#include "session/session_cookie.h"

namespace userdesk::admin {
namespace {

constexpr char kToken[] = "USER_PROFILE_TOKEN";

// The registry the responders use, as the command found it.
struct Store {
  std::shared_ptr<session::Registry> registry;  // null: none (see absent)
  std::string name;    // "sqlite:/var/lib/userdesk/sessions.db", "redis://host:6379/0" (never a
                       // password), or "" when SESSION_STORE=none
  std::string absent;  // why there is no registry, when there is none
};

std::string StoreName(const config::Config& cfg) {
  if (cfg.session_store_redis) {
    const config::Config::RedisStore& r = *cfg.session_store_redis;
    bool v6 = r.host.find(':') != std::string::npos;
    return "redis://" + (v6 ? "[" + r.host + "]" : r.host) + ":" + std::to_string(r.port) + "/" +
           std::to_string(r.db);
  }
  return cfg.session_store_path.empty() ? "" : "sqlite:" + cfg.session_store_path;
}

// Opens the registry as app::OpenRegistry does for the responders, except that a SQLite file
// that does not exist is not created: no responder has recorded a session there. nullopt after
// saying why it cannot be opened (exit code in *code).
std::optional<Store> OpenStore(const config::Config& cfg, std::ostream& err, int* code) {
  Store store;
  store.name = StoreName(cfg);
  if (store.name.empty()) {
    store.absent =
        "no session registry (SESSION_STORE is none, or unset without STATE_DIRECTORY): userdesk "
        "sessions live in the cookie alone and end when it expires";
    return store;
  }
  if (!cfg.session_store_path.empty() && ::access(cfg.session_store_path.c_str(), F_OK) != 0) {
    store.absent = "no session registry at " + cfg.session_store_path +
                   " (no responder has recorded a session there; SESSION_STORE or "
                   "STATE_DIRECTORY names another?)";
    return store;
  }
  Result<std::shared_ptr<session::Registry>> opened = app::OpenRegistry(cfg);
  if (!opened.ok()) {
    err << "userdesk-admin: the session registry " << store.name
        << " cannot be used: " << ForTerminal(opened.error().detail) << " (SESSION_STORE)\n";
    *code = kExitUnavailable;
    return std::nullopt;
  }
  store.registry = std::move(opened).value();
  return store;
}

// The configuration, with the units' STATE_DIRECTORY when this shell has none, so SESSION_STORE
// unset means what it means for the responders.
std::optional<Context> Load(std::ostream& err) {
  const char* state = std::getenv("STATE_DIRECTORY");
  if (state == nullptr || state[0] == '\0') {
    ::setenv("STATE_DIRECTORY", kDefaultStateDirectory, 1);
  } else if (state[0] != '/') {
    // systemd always names an absolute path; a shell's STATE_DIRECTORY=build/dev means this one
    std::error_code ignored;
    std::filesystem::path absolute = std::filesystem::absolute(state, ignored);
    if (!absolute.empty()) ::setenv("STATE_DIRECTORY", absolute.c_str(), 1);
  }
  config::Requirements needs;
  needs.user_profile = true;
  needs.user_profile_token = true;  // the Users API's token, in MyAccount mode too
  return LoadContext(needs, err);
}

// The user named by id or login; nullopt after saying why not (exit code in *code).
std::optional<okta::User> Find(const okta::UsersClient& client, const Context& ctx,
                               const std::string& who, std::ostream& err, int* code) {
  okta::OktaResult<okta::User> user = client.GetUser(ctx.config.user_profile_token, who);
  if (user.ok()) return std::move(user).value();
  if (user.error().error.code == ErrorCode::kNotFound && user.error().okta) {
    err << "userdesk-admin: Okta has no user with the id or login " << ForTerminal(who) << "\n";
    *code = kExitProblems;
    return std::nullopt;
  }
  Explained explained = Explain(user.error(), kToken);
  err << "userdesk-admin: " << explained.message << "\n";
  *code = explained.exit_code;
  return std::nullopt;
}

// What both subcommands start from: their words parsed, the configuration, and the user named.
struct Subject {
  Args args;
  Context ctx;
  okta::User user;
};

// nullopt after saying why not (the exit code in *code).
std::optional<Subject> Resolve(const std::vector<std::string>& words, std::ostream& err,
                               int* code) {
  std::optional<Args> args = Args::Parse(words, {{"--json"}, {}, 1, 1}, err);
  if (!args) {
    *code = kExitUsage;
    return std::nullopt;
  }
  std::optional<Context> ctx = Load(err);
  if (!ctx) {
    *code = kExitConfig;
    return std::nullopt;
  }
  std::optional<okta::User> user =
      Find(okta::UsersClient(ctx->okta), *ctx, args->positional()[0], err, code);
  if (!user) return std::nullopt;
  return Subject{std::move(*args), std::move(*ctx), std::move(*user)};
}

// Columns padded to their widest cell (in characters), two spaces apart.
void PrintTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); i++) widths[i] = std::max(widths[i], Utf8CharCount(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); i++) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - Utf8CharCount(row[i]) + 2, ' ');
    }
    out << line << "\n";
  }
}

std::string When(int64_t unix_seconds) {
  return unix_seconds > 0 ? FormatIsoTimestampMs(unix_seconds * 1000) : "-";
}

int ListCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  int code = kExitOk;
  std::optional<Subject> subject = Resolve(words, err, &code);
  if (!subject) return code;
  const Args& args = subject->args;
  const Context& ctx = subject->ctx;
  const okta::User& user = subject->user;
  std::optional<Store> store = OpenStore(ctx.config, err, &code);
  if (!store) return code;
  std::vector<session::SessionRecord> sessions;
  if (store->registry) {
    Result<std::vector<session::SessionRecord>> active = store->registry->ActiveOf(user.id);
    if (!active.ok()) {
      err << "userdesk-admin: the session registry " << store->name
          << " cannot be read: " << ForTerminal(active.error().detail) << "\n";
      return kExitUnavailable;
    }
    sessions = std::move(active).value();
  }
  if (args.Has("--json")) {
    json::Document doc(rapidjson::kObjectType);
    json::Allocator& a = doc.GetAllocator();
    doc.AddMember("id", json::Str(user.id, a), a);
    doc.AddMember("login", json::Str(user.Attribute("login"), a), a);
    doc.AddMember("registry",
                  store->registry ? json::Str(store->name, a) : json::Value(rapidjson::kNullType),
                  a);
    json::Value list(rapidjson::kArrayType);
    for (const session::SessionRecord& r : sessions) {
      json::Value item(rapidjson::kObjectType);
      item.AddMember("handle", json::Str(r.id, a), a);
      item.AddMember("createdAt", json::Str(When(r.created_at), a), a);
      item.AddMember("lastSeenAt", json::Str(When(r.last_seen_at), a), a);
      item.AddMember("device", json::Str(r.device, a), a);
      item.AddMember("address", json::Str(r.address, a), a);
      list.PushBack(item, a);
    }
    doc.AddMember("sessions", list, a);
    out << json::Write(doc) << "\n";
    return kExitOk;
  }
  out << UserLabel(user) << ": ";
  if (!store->registry) {
    out << store->absent << "\n";
    return kExitOk;
  }
  out << sessions.size() << " active userdesk session" << (sessions.size() == 1 ? "" : "s")
      << " in " << store->name << "\n";
  if (sessions.empty()) return kExitOk;
  std::vector<std::vector<std::string>> rows = {
      {"SIGNED IN", "LAST SEEN", "DEVICE", "ADDRESS", "HANDLE"}};
  for (const session::SessionRecord& r : sessions) {
    rows.push_back({When(r.created_at), When(r.last_seen_at), ForTerminal(r.device),
                    ForTerminal(r.address), r.id});
  }
  PrintTable(rows, out);
  return kExitOk;
}

int EndCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  int code = kExitOk;
  std::optional<Subject> subject = Resolve(words, err, &code);
  if (!subject) return code;
  const Args& args = subject->args;
  const Context& ctx = subject->ctx;
  const okta::User& user = subject->user;

  // userdesk's first, then Okta's; a failure of one does not stop the other
  std::optional<int> ended;  // userdesk sessions ended; nullopt when none could be
  std::optional<Store> store = OpenStore(ctx.config, err, &code);
  if (store && store->registry) {
    Result<int> done = store->registry->EndAllOf(user.id, "", session::NowSeconds());
    if (done.ok()) {
      ended = *done;
    } else {
      err << "userdesk-admin: userdesk's sessions were not ended: the session registry "
          << store->name << " failed: " << ForTerminal(done.error().detail) << "\n";
      code = kExitUnavailable;
    }
  }
  okta::OktaResult<bool> cleared =
      okta::UsersClient(ctx.okta).ClearSessions(ctx.config.user_profile_token, user.id);
  if (!cleared.ok()) {
    Explained explained = Explain(cleared.error(), kToken);
    err << "userdesk-admin: Okta's sessions were not ended: " << explained.message << "\n";
    if (code == kExitOk) code = explained.exit_code;
  }

  if (args.Has("--json")) {
    json::Document doc(rapidjson::kObjectType);
    json::Allocator& a = doc.GetAllocator();
    doc.AddMember("id", json::Str(user.id, a), a);
    doc.AddMember("login", json::Str(user.Attribute("login"), a), a);
    doc.AddMember(
        "registry",
        store && store->registry ? json::Str(store->name, a) : json::Value(rapidjson::kNullType),
        a);
    doc.AddMember("userdeskSessionsEnded",
                  ended ? json::Value(*ended) : json::Value(rapidjson::kNullType), a);
    doc.AddMember("oktaSessionsEnded", cleared.ok(), a);
    out << json::Write(doc) << "\n";
    return code;
  }
  out << UserLabel(user) << ":\n";
  if (ended) {
    out << "  userdesk: " << *ended << " session" << (*ended == 1 ? "" : "s") << " ended in "
        << store->name << "; every responder refuses them within SESSION_CHECK_SECONDS ("
        << ctx.config.session_check_seconds << " s)\n";
  } else if (store && !store->registry) {
    out << "  userdesk: " << store->absent << "\n";
  }
  if (cleared.ok()) {
    out << "  Okta: the user's sessions ended; their next sign-in asks for the password\n";
  }
  return code;
}

}  // namespace

int SessionsCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    err << Help("sessions");
    return kExitUsage;
  }
  if (WantsHelp(words)) {
    out << Help("sessions");
    return kExitOk;
  }
  const std::string& action = words[0];
  std::vector<std::string> rest(words.begin() + 1, words.end());
  if (action == "list") return ListCommand(rest, out, err);
  if (action == "end") return EndCommand(rest, out, err);
  err << "userdesk-admin: unknown command sessions " << ForTerminal(action)
      << " (userdesk-admin sessions --help)\n";
  return kExitUsage;
}

}  // namespace userdesk::admin
