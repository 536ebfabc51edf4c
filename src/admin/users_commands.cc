#include "admin/users_commands.h"

#include <algorithm>
#include <ostream>

#include "admin/cli.h"
#include "admin/help.h"
#include "admin/user_format.h"
#include "base/strings.h"
#include "okta/users_client.h"

namespace userdesk::admin {
namespace {

constexpr char kToken[] = "USER_PROFILE_TOKEN";
constexpr char kDeleteFlag[] = "--i-understand-this-deletes";
// Okta's user statuses (docs/okta-api.md §2.2), the values --status takes.
constexpr std::string_view kStatuses[] = {"STAGED",    "PROVISIONED",  "ACTIVE",
                                          "RECOVERY",  "LOCKED_OUT",   "PASSWORD_EXPIRED",
                                          "SUSPENDED", "DEPROVISIONED"};

struct Session {
  Context ctx;
  okta::UsersClient client;
  const std::string& token() const { return ctx.config.user_profile_token; }
};

std::optional<Session> Open(std::ostream& err) {
  config::Requirements needs;
  needs.user_profile = true;
  needs.user_profile_token = true;  // the Users API's token, in MyAccount mode too
  std::optional<Context> ctx = LoadContext(needs, err);
  if (!ctx) return std::nullopt;
  okta::UsersClient client(ctx->okta);
  return Session{std::move(*ctx), std::move(client)};
}

int Failed(const okta::Failure& failure, std::ostream& err) {
  Explained explained = Explain(failure, kToken);
  err << "userdesk-admin: " << explained.message << "\n";
  return explained.exit_code;
}

// The user named by id or login; nullopt after saying why not (exit code in *code).
std::optional<okta::User> Find(const Session& s, const std::string& who, std::ostream& err,
                               int* code) {
  okta::OktaResult<okta::User> user = s.client.GetUser(s.token(), who);
  if (user.ok()) return std::move(user).value();
  if (user.error().error.code == ErrorCode::kNotFound && user.error().okta) {
    err << "userdesk-admin: Okta has no user with the id or login " << ForTerminal(who) << "\n";
    *code = kExitProblems;
  } else {
    *code = Failed(user.error(), err);
  }
  return std::nullopt;
}

std::optional<ListFormat> FormatOf(const Args& args, std::ostream& err) {
  std::optional<ListFormat> format = ParseListFormat(args.Value("--format", "table"));
  if (!format) err << "userdesk-admin: --format is table, json or csv\n";
  return format;
}

std::optional<int> PageSizeOf(const Args& args, std::ostream& err) {
  std::optional<int> size = ParseInteger<int>(args.Value("--page-size", "200"));
  if (!size || *size < 1 || *size > 200) {
    err << "userdesk-admin: --page-size is a number from 1 to 200\n";
    return std::nullopt;
  }
  return size;
}

// Every page of the query, written as it arrives. Exit code; *found counts the users.
int ListAll(const Session& s, const okta::UserListQuery& query, ListFormat format,
            std::ostream& out, std::ostream& err, size_t* found) {
  UserListWriter writer(format, out);
  okta::OktaResult<okta::UsersPage> page = s.client.ListUsers(s.token(), query);
  for (std::string previous;;) {
    if (!page.ok()) return Failed(page.error(), err);
    writer.Write(page->users);
    if (page->next.empty()) break;
    if (page->next == previous) {
      err << "userdesk-admin: Okta named the same next page twice; stopping\n";
      return kExitUnavailable;
    }
    previous = page->next;
    page = s.client.NextUsers(s.token(), previous);
  }
  writer.Finish();
  *found = writer.count();
  return kExitOk;
}

int FindCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args =
      Args::Parse(words, {{}, {"--search", "--format", "--page-size"}, 0, 1}, err);
  if (!args) return kExitUsage;
  bool by_search = args->Has("--search");
  if (by_search == (args->positional().size() == 1)) {
    err << "userdesk-admin: users find takes a LOGIN or --search EXPR\n";
    return kExitUsage;
  }
  std::optional<ListFormat> format = FormatOf(*args, err);
  std::optional<int> page_size = PageSizeOf(*args, err);
  if (!format || !page_size) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  if (!by_search) {
    int code = kExitOk;
    std::optional<okta::User> user = Find(*s, args->positional()[0], err, &code);
    if (!user) return code;
    UserListWriter writer(*format, out);
    writer.Write({*user});
    writer.Finish();
    return kExitOk;
  }
  okta::UserListQuery query{args->Value("--search"), *page_size};
  size_t found = 0;
  int code = ListAll(*s, query, *format, out, err, &found);
  return code == kExitOk && found == 0 ? kExitProblems : code;
}

int ListCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args =
      Args::Parse(words, {{}, {"--status", "--format", "--page-size"}, 0, 0}, err);
  if (!args) return kExitUsage;
  std::optional<ListFormat> format = FormatOf(*args, err);
  std::optional<int> page_size = PageSizeOf(*args, err);
  if (!format || !page_size) return kExitUsage;
  okta::UserListQuery query{"", *page_size};
  if (args->Has("--status")) {
    std::string status = args->Value("--status");
    for (char& c : status) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
      err << "userdesk-admin: --status is one of STAGED, PROVISIONED, ACTIVE, RECOVERY, "
             "LOCKED_OUT, PASSWORD_EXPIRED, SUSPENDED, DEPROVISIONED\n";
      return kExitUsage;
    }
    query.search = "status eq \"" + status + "\"";
  }
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  size_t found = 0;
  return ListAll(*s, query, *format, out, err, &found);
}

int ShowCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--json"}, {}, 1, 1}, err);
  if (!args) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  int code = kExitOk;
  std::optional<okta::User> user = Find(*s, args->positional()[0], err, &code);
  if (!user) return code;
  if (args->Has("--json")) {
    json::Document doc;
    out << json::Write(UserJson(*user, doc.GetAllocator())) << "\n";
  } else {
    PrintUserDetails(*user, out);
  }
  return kExitOk;
}

// --- status changes ----------------------------------------------------------------------------

// One status change: the operation Okta is asked for, given the user's status now, or why
// nothing is asked (already there, or the status rules it out).
struct Plan {
  std::optional<okta::Lifecycle> operation;
  std::string nothing_to_do;  // set when already there: exit 0
  std::string refusal;        // set when refused here: exit 1
};

Plan PlanFor(const std::string& action, const std::string& status) {
  using L = okta::Lifecycle;
  if (action == "suspend") {
    if (status == "SUSPENDED") return {std::nullopt, "already SUSPENDED", ""};
    return {L::kSuspend, "", ""};  // Okta refuses anything but ACTIVE, in its own words
  }
  if (action == "unsuspend") {
    if (status == "ACTIVE") return {std::nullopt, "already ACTIVE (not suspended)", ""};
    return {L::kUnsuspend, "", ""};
  }
  if (action == "deactivate") {
    if (status == "DEPROVISIONED") return {std::nullopt, "already DEPROVISIONED", ""};
    return {L::kDeactivate, "", ""};
  }
  if (action == "reactivate") {
    if (status == "ACTIVE") return {std::nullopt, "already ACTIVE", ""};
    // Okta's names: "activate" brings back a deactivated user; "reactivate" mails a new
    // activation link to one who never finished activating
    if (status == "DEPROVISIONED" || status == "STAGED") return {L::kActivate, "", ""};
    if (status == "PROVISIONED") return {L::kReactivate, "", ""};
    if (status == "SUSPENDED") {
      return {std::nullopt, "", "is SUSPENDED, not deactivated: users unsuspend brings them back"};
    }
    return {std::nullopt, "", "is " + status + ", not deactivated: there is nothing to reactivate"};
  }
  return {L::kResetPassword, "", ""};  // reset-password
}

// What the change means for the person, after it.
std::string Meaning(const std::string& action, const okta::User& after, const Context& ctx) {
  std::string sessions = " A userdesk session they already have goes on until it expires (" +
                         std::to_string(ctx.config.session_idle_minutes) + " min idle, " +
                         std::to_string(ctx.config.session_max_hours) +
                         " h at most): userdesk-admin sessions end " + after.id + " ends it now.";
  if (action == "suspend") {
    return "They cannot sign in until unsuspended; their profile, groups and apps are kept." +
           sessions;
  }
  if (action == "deactivate") {
    return "They cannot sign in; Okta keeps the account, and users reactivate brings it back." +
           sessions;
  }
  if (action == "reset-password") {
    return "Okta emailed them a reset link; until they use it they cannot sign in (the current "
           "password no longer works).";
  }
  if (after.status == "PROVISIONED") {
    return "Okta emailed them an activation link; they can sign in once they have used it.";
  }
  return "They can sign in again.";
}

void PrintChange(const std::string& action, const okta::User& user, const std::string& before,
                 const std::string& after, bool as_json, const std::string& text,
                 std::ostream& out) {
  if (as_json) {
    json::Document doc(rapidjson::kObjectType);
    json::Allocator& a = doc.GetAllocator();
    doc.AddMember("id", json::Str(user.id, a), a);
    doc.AddMember("login", json::Str(user.Attribute("login"), a), a);
    doc.AddMember("action", json::Str(action, a), a);
    doc.AddMember("before", json::Str(before, a), a);
    doc.AddMember("after", after.empty() ? json::Value(rapidjson::kNullType) : json::Str(after, a),
                  a);
    out << json::Write(doc) << "\n";
    return;
  }
  out << UserLabel(user) << ": " << ForTerminal(before) << " -> "
      << (after.empty() ? "(deleted)" : ForTerminal(after)) << "\n";
  if (!text.empty()) out << text << "\n";
}

int LifecycleCommand(const std::string& action, const std::vector<std::string>& words,
                     std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--json"}, {}, 1, 1}, err);
  if (!args) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  int code = kExitOk;
  std::optional<okta::User> user = Find(*s, args->positional()[0], err, &code);
  if (!user) return code;
  bool as_json = args->Has("--json");
  Plan plan = PlanFor(action, user->status);
  if (!plan.refusal.empty()) {
    err << "userdesk-admin: " << UserLabel(*user) << " " << ForTerminal(plan.refusal) << "\n";
    return kExitProblems;
  }
  if (!plan.operation) {
    PrintChange(action, *user, user->status, user->status, as_json,
                "Nothing to do: " + plan.nothing_to_do + ".", out);
    return kExitOk;
  }
  okta::OktaResult<bool> changed = s->client.ChangeStatus(s->token(), user->id, *plan.operation);
  if (!changed.ok()) {
    Explained explained = Explain(changed.error(), kToken);
    err << "userdesk-admin: " << action << " " << UserLabel(*user) << ", who is "
        << ForTerminal(user->status) << ": " << explained.message << "\n";
    return explained.exit_code;
  }
  std::optional<okta::User> now = Find(*s, user->id, err, &code);
  if (!now) return code;
  PrintChange(action, *user, user->status, now->status, as_json, Meaning(action, *now, s->ctx),
              out);
  return kExitOk;
}

int DeleteCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--json", kDeleteFlag}, {}, 1, 1}, err);
  if (!args) return kExitUsage;
  if (!args->Has(kDeleteFlag)) {
    err << "userdesk-admin: not deleted. Deleting is permanent: Okta removes the account, its "
           "profile and its history, and its login becomes free for someone else. Deactivating "
           "(users deactivate) stops every sign-in, keeps the record, and can be undone; that is "
           "usually what is needed. To delete anyway: deactivate first, then run this again with "
        << kDeleteFlag << "\n";
    return kExitUsage;
  }
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  int code = kExitOk;
  std::optional<okta::User> user = Find(*s, args->positional()[0], err, &code);
  if (!user) return code;
  if (user->status != "DEPROVISIONED") {
    err << "userdesk-admin: not deleted: " << UserLabel(*user) << " is "
        << ForTerminal(user->status)
        << ". Okta deletes only deactivated users (asked now, it would only deactivate them). "
           "Deactivating is usually enough: it stops every sign-in and can be undone. To delete, "
           "first run: userdesk-admin users deactivate "
        << ForTerminal(user->id) << "\n";
    return kExitProblems;
  }
  okta::OktaResult<bool> deleted = s->client.DeleteUser(s->token(), user->id);
  if (!deleted.ok()) return Failed(deleted.error(), err);
  // a user reactivated meanwhile would only have been deactivated by that DELETE
  okta::OktaResult<okta::User> after = s->client.GetUser(s->token(), user->id);
  if (after.ok()) {
    err << "userdesk-admin: Okta still has " << UserLabel(*after) << ", now "
        << ForTerminal(after->status) << " (was it reactivated meanwhile?)\n";
    return kExitProblems;
  }
  if (after.error().error.code != ErrorCode::kNotFound) return Failed(after.error(), err);
  PrintChange("delete", *user, user->status, "", args->Has("--json"), "Deleted for good.", out);
  return kExitOk;
}

}  // namespace

int UsersCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    err << Help("users");
    return kExitUsage;
  }
  if (WantsHelp(words)) {
    out << Help("users");
    return kExitOk;
  }
  const std::string& action = words[0];
  std::vector<std::string> rest(words.begin() + 1, words.end());
  if (action == "find") return FindCommand(rest, out, err);
  if (action == "list") return ListCommand(rest, out, err);
  if (action == "show") return ShowCommand(rest, out, err);
  if (action == "delete") return DeleteCommand(rest, out, err);
  for (const char* lifecycle :
       {"suspend", "unsuspend", "deactivate", "reactivate", "reset-password"}) {
    if (action == lifecycle) return LifecycleCommand(action, rest, out, err);
  }
  err << "userdesk-admin: unknown command users " << ForTerminal(action)
      << " (userdesk-admin users --help)\n";
  return kExitUsage;
}

}  // namespace userdesk::admin
