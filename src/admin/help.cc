#include "admin/help.h"

#include "admin/cli.h"

namespace userdesk::admin {
namespace {

constexpr std::string_view kEnvAndExit = R"(
Configuration: the responders' env file, named by USERDESK_ENV_FILE (default @ENV_FILE@); for
the dev stack, USERDESK_ENV_FILE=build/dev/.env. Okta is called with USER_PROFILE_TOKEN.

Exit codes:
  0   done; for check, all is well
  1   problems found (check), differences found (schema diff), nothing found (users find),
      or what was asked was refused, by Okta or by the command (the message says why)
  2   usage: a mistake on the command line, or --yes or --i-understand-this-deletes missing
  69  Okta unreachable, failing or rate-limited: try again later
  78  configuration: the env file is unusable, or Okta refuses its API token
)";

constexpr std::string_view kMain = R"(usage: userdesk-admin <command> [options]

Commands:
  check                         is the env file ready to serve? (as nginx -t)
  schema export|diff|apply      Okta's custom user attributes as a file in git
  users find|show|list          look users up
  users suspend|unsuspend|deactivate|reactivate|reset-password|delete
                                change a user's status
  sessions list|end             a user's sessions: list userdesk's, end userdesk's and Okta's

userdesk-admin <command> --help tells more.
)";

constexpr std::string_view kCheck = R"(usage: userdesk-admin check [--json]

Checks, one line each (ok, PROBLEM with the key and the fix, UNREACHABLE, note):
  every key of the env file is valid; the templates load; HOST_URL is an origin;
  the issuer's discovery answers and names ISSUER, and its keys load;
  the provider knows CLIENT_ID and sends sign-ins back to HOST_URL/authorization-code/callback;
  the token endpoint accepts CLIENT_ID and CLIENT_SECRET (asked to redeem a made-up code);
  Okta accepts REGISTRATION_TOKEN and USER_PROFILE_TOKEN (GET /api/v1/users?limit=1);
  the default user schema has the tutorial's attributes, editable by users.
No secret's value is ever printed. Exit 0 only when all is well; 1 when a problem was found,
69 when nothing was wrong but something could not be checked, 78 when the env file is unusable.

  --json   one JSON object: {"ok", "exitCode", "findings": [{"verdict", "subject", "text"}]}
)";

constexpr std::string_view kSchema = R"(usage: userdesk-admin schema export
       userdesk-admin schema diff FILE [--json]
       userdesk-admin schema apply FILE --yes [--allow-remove]

The custom attributes of Okta's default user schema as a file: a JSON object of attribute name
-> Okta's definition, keys sorted, one attribute per block. FILE "-" is standard input.

  export   prints the file
  diff     what apply would change: + add, ~ change (field: before -> after), - remove;
           exit 0 when nothing, 1 when something would change
  apply    makes Okta's attributes match the file, in one partial update; with nothing to
           change it changes nothing (exit 0). Prints the changes first; only --yes applies them.
             --yes           do it
             --allow-remove  also remove the attributes the file leaves out: Okta deletes
                             their values from every user, for good
The file is the truth: a field left out of an attribute is removed from it, except those Okta
fills in itself (master, mutability, permissions, scope), which then keep Okta's value.
  --json   diff as {"changes": [{"kind", "name", "fields": [{"field", "before", "after"}]}]}
)";

constexpr std::string_view kUsers =
    R"(usage: userdesk-admin users find LOGIN | --search EXPR [--format F] [--page-size N]
       userdesk-admin users show USER [--json]
       userdesk-admin users list [--status S] [--format F] [--page-size N]
       userdesk-admin users suspend|unsuspend|deactivate|reactivate|reset-password USER [--json]
       userdesk-admin users delete USER --i-understand-this-deletes [--json]

USER is a user id (00u...) or a login.

  find       by login, or with Okta's search expression (profile.lastName eq "Doe",
             profile.email sw "ada", status eq "SUSPENDED"); exit 1 when nothing is found
  show       one user: status, timestamps, profile
  list       every user, page after page (Okta's Link header); without --status, Okta leaves
             deactivated users out: --status DEPROVISIONED lists them
  --format   table (default), json (an array) or csv (spreadsheet cells that would start a
             formula get a leading ')
  --page-size  users per request, 1 to 200 (default 200)

Changing a user's status (Okta's lifecycle operations; prints before -> after):
  suspend         ACTIVE -> SUSPENDED: cannot sign in; profile, groups and apps are kept
  unsuspend       SUSPENDED -> ACTIVE
  deactivate      -> DEPROVISIONED: cannot sign in; Okta keeps the account, reactivate undoes it
  reactivate      a deactivated user -> ACTIVE (or PROVISIONED: Okta emails an activation
                  link); a user still PROVISIONED gets a new activation email
  reset-password  -> RECOVERY: Okta emails a reset link; the current password stops working
  delete          removes a deactivated user for good (needs --i-understand-this-deletes);
                  refused for any other status: deactivate first
A user already in the status asked for is left alone (exit 0). A session the user already has
in userdesk goes on until it expires (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS), or until
userdesk-admin sessions end USER ends it.
  --json   {"id", "login", "action", "before", "after"}
)";

constexpr std::string_view kSessions = R"(usage: userdesk-admin sessions list USER [--json]
       userdesk-admin sessions end USER [--json]

USER is a user id (00u...) or a login. userdesk's sessions are the records of the session
registry the responders share: SESSION_STORE (sqlite:PATH or redis://...), or, unset,
sessions.db in STATE_DIRECTORY (default /var/lib/userdesk, the units' StateDirectory=). Run it
as root or as the user the responders run as. A SQLite file that does not exist is not created.

  list   the user's active userdesk sessions: signed in, last seen, device, address, handle
           --json  {"id", "login", "registry", "sessions": [{"handle", "createdAt",
                   "lastSeenAt", "device", "address"}]}
  end    ends every userdesk session of the user (each responder refuses them within
         SESSION_CHECK_SECONDS) and their Okta sessions (DELETE /api/v1/users/{id}/sessions),
         so their next sign-in asks for the password. Both are tried even when one fails;
         ending what has already ended is not an error.
           --json  {"id", "login", "registry", "userdeskSessionsEnded", "oktaSessionsEnded"}
                   (registry and userdeskSessionsEnded are null without a registry)
Exit 69 when the registry cannot be opened or written (Redis down, a file not writable).
)";

// The text, then where the configuration comes from and the exit codes.
std::string WithEnv(std::string_view text) {
  std::string out(text);
  std::string tail(kEnvAndExit);
  tail.replace(tail.find("@ENV_FILE@"), 10, DefaultEnvFile());
  return out + tail;
}

}  // namespace

std::string_view Help(std::string_view topic) {
  static const std::string kMainText = WithEnv(kMain);
  static const std::string kCheckText = WithEnv(kCheck);
  static const std::string kSchemaText = WithEnv(kSchema);
  static const std::string kUsersText = WithEnv(kUsers);
  static const std::string kSessionsText = WithEnv(kSessions);
  if (topic == "check") return kCheckText;
  if (topic == "schema") return kSchemaText;
  if (topic == "users") return kUsersText;
  if (topic == "sessions") return kSessionsText;
  return kMainText;
}

bool WantsHelp(const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    if (word == "--") return false;
    if (word == "--help" || word == "-h") return true;
  }
  return false;
}

}  // namespace userdesk::admin
