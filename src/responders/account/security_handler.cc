#include "responders/account/security_handler.h"

#include <memory>
#include <string>

#include "account/password_change.h"
#include "app/csrf.h"
#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "app/return_to.h"
#include "base/iso_time.h"
#include "base/log.h"
#include "base/strings.h"
#include "http/cgi_parse.h"
#include "okta/users_client.h"
#include "session/registry.h"

namespace userdesk::responders::account {
namespace {

namespace mustache = view::mustache;
using userdesk::account::kPasswordChangeFields;

constexpr char kPath[] = "/security";

std::string When(int64_t unix_seconds) { return FormatUtc(unix_seconds * 1000, "%Y-%m-%d %H:%M UTC"); }

std::string Sessions(int count) {
  return std::to_string(count) + " other session" + (count == 1 ? "" : "s");
}

// What the page shows besides the sessions: the password form's state (its errors, whether
// "sign out everywhere else" stays ticked) and the notices above it.
struct PageState {
  int status = 200;
  form::FormState password;
  bool end_others = true;  // the default after a password change (ASVS 3.3.3)
};

class SecurityHandler {
 public:
  explicit SecurityHandler(const app::App& app)
      : app_(app), users_(std::make_shared<okta::UsersClient>(okta::OptionsFrom(app.config))) {}

  http::Response operator()(const http::Request& request) const {
    bool post = request.method == "POST";
    if (!post && request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD, POST");
    }
    app::Visitor visitor = app::Identify(app_, request);
    if (auto refusal = app::SignInRequired(app_, request, visitor)) return *refusal;
    http::Response response = post ? Act(request, &visitor)
                                   : Show(request, *visitor.session, NoticesFrom(request));
    visitor.Finish(&response);
    return response;
  }

 private:
  // The password form and "Sign out everywhere" (Okta's sessions too) need the API token.
  bool CanCallOkta() const { return !app_.config.user_profile_token.empty(); }

  // Ending sessions needs a sign-in with the password within REAUTH_MINUTES (ASVS 3.3.4 asks
  // for the credentials again); the password change asks for the current password itself.
  bool RecentlyAuthenticated(const session::Session& session) const {
    return session::NowSeconds() - session.authenticated_at <
           int64_t{app_.config.reauth_minutes} * 60;
  }

  // Notices after a redirect: only numbers and flags come from the query, never words.
  static PageState NoticesFrom(const http::Request& request) {
    PageState state;
    std::string notice;
    if (request.Query("changed").value_or("") == "1") notice = "Your password has been changed.";
    if (auto ended = ParseInteger<unsigned>(request.Query("ended").value_or(""))) {
      std::string count = *ended == 0 ? std::string("No other session was active.")
                                      : "Signed out of " + Sessions(static_cast<int>(*ended)) + ".";
      if (notice.empty() && *ended == 0) count = "That session had ended already.";
      notice = notice.empty() ? count : notice + " " + count;
    }
    state.password.notices.notice = notice;
    return state;
  }

  http::Response Show(const http::Request& request, const session::Session& session,
                      const PageState& state) const {
    app::Page page;
    page.status = state.status;
    page.title = "Security";
    page.template_name = "account/security";
    page.no_store = true;  // its forms hold the CSRF token
    page.data.set("csrf", session.csrf);
    state.password.notices.AddTo(&page.data);
    if (CanCallOkta()) {
      mustache::list fields;
      for (const form::FieldSpec& field : kPasswordChangeFields) {
        fields.push_back(form::FieldView(field, {}, state.password.errors));  // never a password back
      }
      view::Set(&page.data, "password_fields", view::List(std::move(fields)));
      page.data.set("can_change_password", true);
      page.data.set("end_others_checked", state.end_others);
    }
    page.data.set("can_end_all", CanCallOkta() || app_.session_gate != nullptr);
    bool fresh = RecentlyAuthenticated(session);
    page.data.set("fresh", fresh);
    if (!fresh) {
      page.data.set("reauth_url", app::FreshSignInPath(kPath));
      page.data.set("reauth_minutes", std::to_string(app_.config.reauth_minutes));
    }
    if (!app_.session_gate) {
      page.data.set("not_recorded", true);
      return app::RenderPage(app_, request, session, std::move(page));
    }
    auto active = app_.session_gate->registry().ActiveOf(session.sub);
    if (!active.ok()) {
      return app::ErrorResponse(app_, MakeError(ErrorCode::kInternal, active.error().detail),
                                request);
    }
    std::string own = session::RecordId(session.sid);
    mustache::list rows;
    bool others = false;
    for (const session::SessionRecord& r : *active) {
      mustache::data row{mustache::data::type::object};
      row.set("id", r.id);
      row.set("device", r.device.empty() ? std::string("Unknown device") : r.device);
      row.set("address", r.address.empty() ? std::string("unknown") : r.address);
      row.set("created", When(r.created_at));
      row.set("last_seen", When(r.last_seen_at));
      row.set("current", r.id == own);
      others = others || r.id != own;
      rows.push_back(std::move(row));
    }
    page.data.set("recorded", true);
    view::Set(&page.data, "sessions", view::List(std::move(rows)));
    page.data.set("has_others", others);
    return app::RenderPage(app_, request, session, std::move(page));
  }

  // Every action is a POST with the session's CSRF token from the same origin:
  //   end (id=<record id>): sign out one other session; end_others: all the others;
  //   end_all: every session, this one too, and the user's Okta sessions;
  //   change_password: the password form.
  // A record id that is not one of this user's sessions ends nothing.
  http::Response Act(const http::Request& request, app::Visitor* visitor) const {
    const session::Session& session = *visitor->session;
    if (Status csrf = app::CheckFormPost(app_, request, session); !csrf.ok()) {
      return app::ErrorResponse(app_, csrf.error(), request);
    }
    std::string action = request.Form("action").value_or("");
    if (action == "change_password" && CanCallOkta()) return ChangePassword(request, session);
    bool ends_sessions = action == "end" || action == "end_others" || action == "end_all";
    if (ends_sessions && !RecentlyAuthenticated(session)) {
      log::Info(app_.name, "a session action needs a fresh sign-in first sub=" + session.sub +
                               log::IdTag(request.request_id));
      return http::Response::Redirect(app::FreshSignInPath(kPath), 303);
    }
    if (action == "end_all" && (CanCallOkta() || app_.session_gate)) {
      visitor->renewal.reset();  // the cookie is cleared, not renewed
      return EndAll(request, session);
    }
    if (!app_.session_gate) return http::Response::Redirect(kPath, 303);
    std::string own = session::RecordId(session.sid);
    int64_t now = session::NowSeconds();
    session::Registry& registry = app_.session_gate->registry();
    Result<int> done = MakeError(ErrorCode::kInvalidArgument, "unknown action");
    if (action == "end") {
      std::string id = request.Form("id").value_or("");
      if (id == own) return http::Response::Redirect(kPath, 303);  // the header's Sign out does that
      auto one = registry.End(session.sub, id, now);
      done = one.ok() ? Result<int>(*one ? 1 : 0) : Result<int>(one.error());
      // that browser's Okta session too, or single sign-on would let it straight back in
      if (one.ok() && *one) (void)EndProviderSessions(request, session.sub);
    } else if (action == "end_others") {
      done = registry.EndAllOf(session.sub, own, now);
      // the other browsers' provider sessions too, or single sign-on would let them straight
      // back in; a failure is logged, and their userdesk sessions have ended anyway
      if (done.ok()) (void)EndProviderSessions(request, session.sub);
    }
    if (!done.ok()) return RegistryFailed(request, done.error());
    log::Info(app_.name, "ended " + Sessions(*done) + " sub=" + session.sub +
                             log::IdTag(request.request_id));
    return http::Response::Redirect(std::string(kPath) + "?ended=" + std::to_string(*done), 303);
  }

  http::Response RegistryFailed(const http::Request& request, Error error) const {
    if (error.code != ErrorCode::kInvalidArgument) error.code = ErrorCode::kInternal;
    return app::ErrorResponse(app_, error, request);
  }

  http::Response ChangePassword(const http::Request& request,
                                const session::Session& session) const {
    form::Filled filled = form::ReadFields(kPasswordChangeFields, request.form,
                                           FormatUtc(NowUnixMs(), "%Y-%m-%d"));
    userdesk::account::CheckNewPassword(&filled);
    PageState state;
    state.end_others = request.Form("end_others").value_or("") == "1";
    if (!filled.ok()) {
      state.status = 422;
      state.password.errors = filled.errors;
      state.password.notices.problem =
          "Your password was not changed. Please correct the fields marked below.";
      return Show(request, session, state);
    }
    okta::OktaResult<bool> changed =
        users_->ChangePassword(app_.config.user_profile_token, session.sub,
                               filled.values.at("oldPassword"), filled.values.at("newPassword"));
    if (!changed.ok()) {
      const okta::Failure& failure = changed.error();
      if (auto problem = userdesk::account::AssignPasswordChangeCauses(failure,
                                                                       &state.password.errors)) {
        log::Info(app_.name, log::Event("password.change_refused",
                                        "Okta refused a password change sub=" + session.sub +
                                            ": " + failure.error.detail)
                                 .Id(request.request_id)
                                 .Add("sub", session.sub)
                                 .Add("detail", failure.error.detail));
        state.status = 422;
        state.password.notices.problem = *problem;
        state.password.notices.problem_details.clear();
        return Show(request, session, state);
      }
      log::Warn(app_.name, log::Event("password.change_failed",
                                      "could not change a password: " +
                                          std::string(ToString(failure.error.code)) + " " +
                                          failure.error.detail)
                               .Id(request.request_id)
                               .Add("sub", session.sub)
                               .Add("error", ToString(failure.error.code))
                               .Add("detail", failure.error.detail));
      app::ErrorView view = app::ViewOf(failure.error);
      state.status = view.status;
      state.password.notices.problem = "Your password was not changed. " + view.message.message;
      http::Response response = Show(request, session, state);
      app::AddRetryAfter(failure.retry_after_seconds, &response);
      return response;
    }
    log::Info(app_.name, log::Event("password.changed", "password changed sub=" + session.sub)
                             .Id(request.request_id)
                             .Add("sub", session.sub));
    Acknowledge(request, session.sub);
    std::string location = std::string(kPath) + "?changed=1";
    if (state.end_others && app_.session_gate) {
      auto ended = app_.session_gate->registry().EndAllOf(
          session.sub, session::RecordId(session.sid), session::NowSeconds());
      if (!ended.ok()) return RegistryFailed(request, ended.error());
      log::Info(app_.name, "ended " + Sessions(*ended) + " after the password change sub=" +
                               session.sub + log::IdTag(request.request_id));
      (void)EndProviderSessions(request, session.sub);
      location += "&ended=" + std::to_string(*ended);
    }
    return http::Response::Redirect(location, 303);
  }

  // Marks the change as the user's own, so it is not taken for a reset, which would end every
  // session begun before it (SessionGate::EndIfPasswordChangedSince). Okta's passwordChanged
  // names the change; if it cannot be read, the sessions the user kept end at their next
  // profile read: the safe side.
  void Acknowledge(const http::Request& request, const std::string& sub) const {
    if (!app_.session_gate) return;
    okta::OktaResult<okta::User> user = users_->GetUser(app_.config.user_profile_token, sub);
    Status marked = user.ok() ? app_.session_gate->AcknowledgePasswordChange(
                                    sub, user->password_changed_ms, session::NowSeconds())
                              : Status(user.error().error);
    if (!marked.ok()) {
      log::Warn(app_.name, "password change not marked as the user's own (the other sessions "
                           "end at their next profile read): " +
                               marked.error().detail + log::IdTag(request.request_id));
    }
  }

  // Ends the user's sessions at Okta, so no browser is signed back in by single sign-on without
  // the password. All of them: Okta's API ends one session by its id, the ID token's sid, but
  // the registry keeps only a hash of that (it may be the provider's cookie value). This
  // browser's userdesk session, when kept, goes on; its next sign-in asks for the password.
  Status EndProviderSessions(const http::Request& request, const std::string& sub) const {
    if (!CanCallOkta()) return OkStatus();
    okta::OktaResult<bool> cleared = users_->ClearSessions(app_.config.user_profile_token, sub);
    if (cleared.ok()) return OkStatus();
    log::Warn(app_.name, "could not end the Okta sessions: " + cleared.error().error.detail +
                             log::IdTag(request.request_id));
    return cleared.error().error;
  }

  // Every userdesk session of the user ends (this one too: its cookie is cleared), and so do the
  // user's Okta sessions, so no browser is signed in again without the password.
  http::Response EndAll(const http::Request& request, const session::Session& session) const {
    int64_t now = session::NowSeconds();
    if (app_.session_gate) {
      // this one through the gate, so this process forgets its trust in it at once
      if (Status ended = app_.session_gate->End(session, now); !ended.ok()) {
        return RegistryFailed(request, ended.error());
      }
      auto others = app_.session_gate->registry().EndAllOf(session.sub, "", now);
      if (!others.ok()) return RegistryFailed(request, others.error());
    }
    if (Status cleared = EndProviderSessions(request, session.sub); !cleared.ok()) {
      // userdesk's sessions have ended; Okta's would let a browser sign in without a password
      http::Response response = app::ErrorResponse(app_, cleared.error(), request);
      response.Cookie(app_.sessions.ClearCookie());
      return response;
    }
    log::Info(app_.name, "signed out everywhere sub=" + session.sub +
                             log::IdTag(request.request_id));
    http::Response response = http::Response::Redirect("/", 303);
    response.Cookie(app_.sessions.ClearCookie());
    return response;
  }

  const app::App& app_;
  std::shared_ptr<okta::UsersClient> users_;
};

}  // namespace

fcgi::Handler MakeSecurityHandler(const app::App& app) { return SecurityHandler(app); }

}  // namespace userdesk::responders::account
