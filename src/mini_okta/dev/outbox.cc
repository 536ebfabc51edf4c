// mini-okta's own pages for the email flows: GET /dev/outbox lists the emails that would have
// been sent; the links in them open a set-password form, /reset_password/<token> (password
// reset) or /welcome/<token> (activation). The token is single-use and expires; a valid
// submission sets the password (default policy enforced) and makes the user ACTIVE.
#include <httplib.h>

#include <algorithm>

#include "crypto/password_hash.h"
#include "mini_okta/management/common.h"
#include "mini_okta/management/password_policy.h"
#include "mini_okta/server/html.h"
#include "mini_okta/server/request_params.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {
namespace {

std::string OutboxRows(const std::vector<OutboxEmail>& emails) {
  std::string rows;
  for (auto it = emails.rbegin(); it != emails.rend(); ++it) {  // newest first
    rows += "<tr><td>" + HtmlEscape(it->to) + "</td><td>" + HtmlEscape(it->subject) + "</td><td>" +
            HtmlEscape(it->sent_at) + "</td><td><a href=\"" + HtmlEscape(it->link) + "\">" +
            HtmlEscape(it->link) + "</a></td></tr>\n";
  }
  return rows;
}

json::Document OutboxJson(const std::vector<OutboxEmail>& emails) {
  json::Document doc(rapidjson::kArrayType);
  auto& a = doc.GetAllocator();
  for (auto it = emails.rbegin(); it != emails.rend(); ++it) {
    json::Value e(rapidjson::kObjectType);
    e.AddMember("id", json::Str(it->id, a), a);
    e.AddMember("to", json::Str(it->to, a), a);
    e.AddMember("subject", json::Str(it->subject, a), a);
    e.AddMember("sentAt", json::Str(it->sent_at, a), a);
    e.AddMember("link", json::Str(it->link, a), a);
    e.AddMember("body", json::Str(it->body, a), a);
    doc.PushBack(e, a);
  }
  return doc;
}

void HandleOutbox(const httplib::Request& req, httplib::Response& res, Context& ctx) {
  std::vector<OutboxEmail> emails = ctx.store->outbox().List();
  if (req.get_header_value("Accept").find("application/json") != std::string::npos) {
    return SendJson(res, 200, OutboxJson(emails));
  }
  std::string body = emails.empty()
                         ? "<p>No emails sent yet.</p>"
                         : "<table><thead><tr><th>To</th><th>Subject</th><th>Sent</th><th>Link</th>"
                           "</tr></thead><tbody>\n" +
                               OutboxRows(emails) + "</tbody></table>";
  SendPage(res, 200, "Outbox", body);
}

// The two flows that end in the same form.
struct PasswordFlow {
  UserTokenKind kind;
  const char* title;
};

constexpr PasswordFlow kResetFlow{UserTokenKind::kResetPassword, "Reset your password"};
constexpr PasswordFlow kActivationFlow{UserTokenKind::kActivation, "Activate your account"};

std::string FormHtml(std::string_view error) {
  std::string html;
  if (!error.empty()) html += "<p class=\"error\" role=\"alert\">" + HtmlEscape(error) + "</p>\n";
  html +=
      "<p>" + HtmlEscape(PasswordRequirementsText()) +
      "</p>\n"
      "<form method=\"post\"><label>New password <input type=\"password\" name=\"newPassword\" "
      "autocomplete=\"new-password\" required></label><label>Repeat new password <input "
      "type=\"password\" name=\"confirmPassword\" autocomplete=\"new-password\" required></label>"
      "<button type=\"submit\">Set password</button></form>";
  return html;
}

void SendLinkInvalid(httplib::Response& res) {
  SendPage(res, 404, "Link expired",
           "<p>This link has expired or has already been used. Ask for a new one.</p>");
}

void ShowPasswordForm(const httplib::Request& req, httplib::Response& res, Context& ctx,
                      const PasswordFlow& flow) {
  if (!ctx.store->links().PeekUserToken(req.matches[1].str(), flow.kind)) return SendLinkInvalid(res);
  SendPage(res, 200, flow.title, FormHtml(""));
}

// Why the submitted password cannot be used, or "" when it can.
std::string PasswordProblem(const httplib::Request& req, const UserRecord& user) {
  std::string password = Param(req, "newPassword");
  if (password != Param(req, "confirmPassword")) return "The passwords do not match.";
  auto profile = json::ParseObject(user.profile_json);
  std::string login = profile ? json::GetString(*profile, "login").value_or("") : "";
  if (CheckPasswordPolicy(password, login)) return "Password requirements were not met.";
  return "";
}

void SubmitPasswordForm(const httplib::Request& req, httplib::Response& res, Context& ctx,
                        const PasswordFlow& flow) {
  std::string token = req.matches[1];
  std::optional<std::string> user_id = ctx.store->links().PeekUserToken(token, flow.kind);
  std::optional<UserRecord> user = user_id ? ctx.store->users().Find(*user_id) : std::nullopt;
  if (!user) return SendLinkInvalid(res);
  if (std::string problem = PasswordProblem(req, *user); !problem.empty()) {
    return SendPage(res, 400, flow.title, FormHtml(problem));
  }
  if (!ctx.store->links().RedeemUserToken(token, flow.kind)) return SendLinkInvalid(res);  // lost a race
  std::string hash = crypto::HashPassword(Param(req, "newPassword"));
  std::string now = NowTimestamp(ctx);
  Result<UserRecord> updated = ctx.store->users().Update(user->id, [&](UserRecord& u) {
    u.password_hash = hash;
    u.password_changed = u.last_updated = u.status_changed = now;
    if (u.activated.empty()) u.activated = now;
    u.status = "ACTIVE";
    return OkStatus();
  });
  if (!updated) return SendLinkInvalid(res);
  SendPage(res, 200, "Password set", "<p>Your password has been set. You can now sign in.</p>");
}

void RegisterFlow(httplib::Server& server, Context& ctx, const char* pattern,
                  const PasswordFlow& flow) {
  server.Get(pattern, [&ctx, &flow](const httplib::Request& req, httplib::Response& res) {
    ShowPasswordForm(req, res, ctx, flow);
  });
  server.Post(pattern, [&ctx, &flow](const httplib::Request& req, httplib::Response& res) {
    SubmitPasswordForm(req, res, ctx, flow);
  });
}

}  // namespace

void RegisterOutboxRoutes(httplib::Server& server, Context& ctx) {
  server.Get("/dev/outbox", [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandleOutbox(req, res, ctx);
  });
  RegisterFlow(server, ctx, "/reset_password/([A-Za-z0-9]+)", kResetFlow);
  RegisterFlow(server, ctx, "/reset-password/([A-Za-z0-9]+)", kResetFlow);  // the spelling
  RegisterFlow(server, ctx, "/welcome/([A-Za-z0-9]+)", kActivationFlow);
}

}  // namespace userdesk::mini_okta
