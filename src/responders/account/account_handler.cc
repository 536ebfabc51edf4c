#include "responders/account/account_handler.h"

#include "responders/account/security_handler.h"

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "account/password_resets.h"
#include "account/registration.h"
#include "app/csrf.h"
#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "app/return_to.h"
#include "base/iso_time.h"
#include "base/log.h"
#include "http/cgi_parse.h"
#include "metrics/events.h"
#include "okta/authn_client.h"

namespace userdesk::responders::account {
namespace {

namespace mustache = view::mustache;

// The account module's vocabulary (src/lib/account), which this responder is the pages of.
using userdesk::account::AssignRegistrationCauses;
using userdesk::account::kRegistrationFields;
using userdesk::account::kResetFields;
using userdesk::account::NewUserFrom;
using userdesk::account::PasswordResets;
using userdesk::account::ResetOptions;
using userdesk::account::ResetRequest;

// Reset requests waiting for the background thread; beyond this they are dropped (logged and
// counted). nginx lets one address send 20 at once, so this holds a few such bursts, and the
// cooldown keeps repeats for one address out of it.
constexpr size_t kMaxPendingResets = 64;

// Addresses whose reset cooldown the process remembers; at the cap the oldest is forgotten
// (account/reset_cooldown.h). About 200 bytes each, so a few MB at most.
constexpr size_t kMaxCooledAddresses = 10000;

ResetOptions ResetOptionsFrom(const config::Config& config) {
  ResetOptions options;
  options.max_pending = kMaxPendingResets;
  options.cooldown_ms = int64_t{config.reset_email_cooldown_minutes} * 60 * 1000;
  options.max_cooled_addresses = kMaxCooledAddresses;
  return options;
}

// One of the two forms.
struct FormSpec {
  const char* title;
  const char* template_name;
  std::span<const form::FieldSpec> fields;
};

constexpr FormSpec kRegisterForm{"Register", "account/register", kRegistrationFields};
constexpr FormSpec kResetForm{"Reset password", "account/reset_password", kResetFields};

using form::FormState;

// Where a new account goes: sign in, the address already filled in (OpenID's login_hint), and
// then the dashboard with a welcome.
std::string SignInAfterRegistration(const std::string& email) {
  return http::AppendQuery(app::SignInPath("/dashboard?welcome=1"), {{"login_hint", email}});
}

class AccountHandler {
 public:
  explicit AccountHandler(const app::App& app)
      : app_(app),
        tokens_(std::make_shared<app::FormTokens>(app.config)),
        client_(std::make_shared<okta::UsersClient>(okta::OptionsFrom(app.config))) {
    // The worker owns its client, so nothing it uses depends on a request. The reset is Okta's
    // self-service recovery, which needs no API token and leaves the account as it is.
    auto authn = std::make_shared<okta::AuthnClient>(okta::OptionsFrom(app.config));
    resets_ = std::make_shared<PasswordResets>(
        [authn](const ResetRequest& r) { SendResetEmail(*authn, r); },
        ResetOptionsFrom(app.config));
  }

  http::Response operator()(const http::Request& request) const {
    const FormSpec* spec = request.path == "/register"         ? &kRegisterForm
                           : request.path == "/reset-password" ? &kResetForm
                                                               : nullptr;
    if (spec == nullptr) {
      return app::ErrorResponse(app_, MakeError(ErrorCode::kNotFound, "no route"), request);
    }
    bool post = request.method == "POST";
    if (!post && request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD, POST");
    }
    app::Visitor visitor = app::Identify(app_, request);
    if (spec == &kRegisterForm && visitor.session) {
      // signed in already: nothing to register
      http::Response home = http::Response::Redirect("/", post ? 303 : 302);
      visitor.Finish(&home);
      return home;
    }
    http::Response response = !post                    ? Form(request, visitor, *spec, {})
                              : spec == &kRegisterForm ? Register(request, visitor)
                                                       : RequestReset(request, visitor);
    visitor.Finish(&response);
    return response;
  }

 private:
  http::Response Form(const http::Request& request, const app::Visitor& visitor,
                      const FormSpec& spec, const FormState& state) const {
    app::FormTokens::Issued issued = tokens_->ForForm(request, session::NowSeconds());
    app::Page page;
    page.status = state.status;
    page.title = spec.title;
    page.template_name = spec.template_name;
    page.no_store = true;  // it holds a CSRF token
    mustache::list fields;  // moved into the page, not copied (view::Set)
    for (const form::FieldSpec& field : spec.fields) {
      fields.push_back(form::FieldView(field, state.values, state.errors));
    }
    view::Set(&page.data, "fields", view::List(std::move(fields)));
    page.data.set("csrf", issued.token);
    state.notices.AddTo(&page.data);
    http::Response response = app::RenderPage(app_, request, visitor.session, std::move(page));
    if (issued.cookie) response.Cookie(*issued.cookie);
    return response;
  }

  // The posted form, read and checked; nullopt with *refusal set when the post is refused.
  // A post from another origin gets the plain 403 page: a forged post must not show the victim
  // a form filled in by the attacker. A same-origin post whose token is missing or expired (the
  // cookie aged out or was cleared) gets its form back with what was typed and a fresh token.
  std::optional<form::Filled> Read(const http::Request& request, const app::Visitor& visitor,
                                   const FormSpec& spec, http::Response* refusal) const {
    form::Filled filled =
        form::ReadFields(spec.fields, request.form, FormatUtc(NowUnixMs(), "%Y-%m-%d"));
    Status csrf = tokens_->Check(app_, request, session::NowSeconds());
    if (csrf.ok()) return filled;
    if (!app::SameOrigin(app_, request)) {
      *refusal = app::ErrorResponse(app_, csrf.error(), request);
      return std::nullopt;
    }
    log::Info(app_.name,
              "form shown again: " + csrf.error().detail + log::IdTag(request.request_id));
    FormState state;
    state.status = 403;
    state.values = filled.values;
    state.notices.problem =
        "This form had expired, so nothing was sent. Check it and send it again.";
    *refusal = Form(request, visitor, spec, state);
    return std::nullopt;
  }

  http::Response Register(const http::Request& request, const app::Visitor& visitor) const {
    http::Response refusal;
    std::optional<form::Filled> filled = Read(request, visitor, kRegisterForm, &refusal);
    if (!filled) return refusal;
    FormState state;
    state.values = filled->values;
    if (!filled->ok()) {
      state.status = 422;
      state.errors = filled->errors;
      state.notices.problem = "Please correct the fields marked below.";
      return Form(request, visitor, kRegisterForm, state);
    }
    okta::OktaResult<okta::User> created =
        client_->CreateUser(app_.config.registration_token, NewUserFrom(*filled), true);
    if (created.ok()) {
      metrics::Registered();
      log::Info(app_.name, log::Event("registration.ok", "registered user " + created->id)
                               .Id(request.request_id)
                               .Add("user_id", created->id));
      return http::Response::Redirect(SignInAfterRegistration(filled->values.at("email")), 303);
    }
    const okta::Failure& failure = created.error();
    if (failure.error.code == ErrorCode::kUnprocessable && failure.okta) {
      log::Info(app_.name,
                log::Event("registration.refused",
                           "Okta refused the registration: " + failure.error.detail)
                    .Id(request.request_id)
                    .Add("detail", failure.error.detail));
      state.status = 422;
      state.notices.problem_details = AssignRegistrationCauses(failure.okta->causes, &state.errors);
      state.notices.problem = "Please correct the fields marked below; nothing was created.";
      return Form(request, visitor, kRegisterForm, state);
    }
    log::Warn(app_.name, log::Event("registration.failed",
                                    "could not register: " +
                                        std::string(ToString(failure.error.code)) + " " +
                                        failure.error.detail)
                             .Id(request.request_id)
                             .Add("error", ToString(failure.error.code))
                             .Add("detail", failure.error.detail));
    app::ErrorView view = app::ViewOf(failure.error, app::Task::kRegistration);
    state.status = view.status;
    state.notices.problem = view.message.message;
    http::Response response = Form(request, visitor, kRegisterForm, state);
    app::AddRetryAfter(failure.retry_after_seconds, &response);
    return response;
  }

  http::Response RequestReset(const http::Request& request, const app::Visitor& visitor) const {
    http::Response refusal;
    std::optional<form::Filled> filled = Read(request, visitor, kResetForm, &refusal);
    if (!filled) return refusal;
    if (!filled->ok()) {
      FormState state;
      state.status = 422;
      state.values = filled->values;
      state.errors = filled->errors;
      state.notices.problem = "Please correct the field marked below.";
      return Form(request, visitor, kResetForm, state);
    }
    switch (resets_->Enqueue({filled->values.at("email"), request.request_id})) {
      case PasswordResets::Outcome::kQueued:
        metrics::ResetRequested(metrics::ResetOutcome::kQueued);
        break;
      case PasswordResets::Outcome::kCoolingDown:
        metrics::ResetRequested(metrics::ResetOutcome::kCoolingDown);
        log::Info(app_.name, "a reset for that address started less than " +
                                 std::to_string(app_.config.reset_email_cooldown_minutes) +
                                 " minutes ago: nothing sent" + log::IdTag(request.request_id));
        break;
      case PasswordResets::Outcome::kDropped:
        metrics::ResetRequested(metrics::ResetOutcome::kDropped);
        log::Warn(app_.name, "reset queue full (" + std::to_string(kMaxPendingResets) +
                                 " waiting): this request was dropped unsent; " +
                                 std::to_string(resets_->dropped()) + " dropped since start" +
                                 log::IdTag(request.request_id));
        break;
    }
    // The same page, status and headers for every address, queued, cooling down or dropped,
    // sent before Okta is asked anything.
    app::Page page;
    page.title = "Check your email";
    page.template_name = "account/reset_sent";
    page.no_store = true;
    if (int minutes = app_.config.reset_email_cooldown_minutes; minutes > 0) {
      page.data.set("cooldown_minutes", std::to_string(minutes));
    }
    return app::RenderPage(app_, request, visitor.session, std::move(page));
  }

  const app::App& app_;
  std::shared_ptr<app::FormTokens> tokens_;
  std::shared_ptr<okta::UsersClient> client_;
  std::shared_ptr<PasswordResets> resets_;
};

}  // namespace

fcgi::Handler MakeHandler(const app::App& app) {
  fcgi::Handler forms = AccountHandler(app);
  fcgi::Handler security = MakeSecurityHandler(app);
  return [forms, security](const http::Request& request) {
    return request.path == "/security" ? security(request) : forms(request);
  };
}

}  // namespace userdesk::responders::account
