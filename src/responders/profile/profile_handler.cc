#include "responders/profile/profile_handler.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/csrf.h"
#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "app/return_to.h"
#include "app/user_tokens.h"
#include "base/log.h"
#include "profile/profile_errors.h"
#include "profile/profile_form.h"
#include "profile/profiles.h"
#include "profile/render_cache.h"

namespace userdesk::responders::profile {
namespace {

namespace mustache = view::mustache;

// The profile module's vocabulary (src/lib/profile), which this responder is the page of.
using form::FieldSpec;
using userdesk::profile::AssignOktaCauses;
using userdesk::profile::CachedProfile;
using userdesk::profile::ChangedFields;
using userdesk::profile::DisplayName;
using userdesk::profile::Profiles;
using userdesk::profile::ProfileSchema;
using userdesk::profile::ReadSubmission;
using userdesk::profile::StaleNotice;
using userdesk::profile::Submission;

using form::FormState;

// The field as partials/field.mustache shows it, plus what the form showed (shown.<name>).
mustache::data FieldData(const FieldSpec& spec, const FormState& state) {
  mustache::data field = form::FieldView(spec, state.values, state.errors);
  view::Set(&field, "shown", view::Text(form::ValueOf(state.shown, std::string(spec.name))));
  return field;
}

// The form page around its content, which FormView fills in (or a cached render replaces).
app::Page FormFrame(int status) {
  app::Page page;
  page.status = status;
  page.title = "Profile";
  page.template_name = "profile/index";
  page.no_store = true;
  return page;
}

// The form page's view. Without a session (it expired while the form was open) the form keeps
// what was typed and offers sign-in in a new tab, so this tab, and what it holds, stays.
app::Page FormView(const http::Request& request, const std::optional<session::Session>& session,
                   const ProfileSchema& schema, const FormState& state) {
  app::Page page = FormFrame(state.status);
  // moved, not copied, into the page (view::Set): kainjow's set and push_back copy deeply
  mustache::list fields;
  fields.reserve(schema.fields().size());
  for (const FieldSpec& spec : schema.fields()) fields.push_back(FieldData(spec, state));
  view::Set(&page.data, "fields", view::List(std::move(fields)));
  if (session) page.data.set("csrf", session->csrf);
  if (!session) {
    page.data.set("sign_in_url", app::SignInUrl(request));
  } else if (!state.sign_in_url.empty()) {
    page.data.set("sign_in_url", state.sign_in_url);
  }
  state.notices.AddTo(&page.data);
  return page;
}

http::Response FormPage(const app::App& app, const http::Request& request,
                        const std::optional<session::Session>& session, const ProfileSchema& schema,
                        const FormState& state) {
  return app::RenderPage(app, request, session, FormView(request, session, schema, state));
}

FormState FromProfile(const ProfileSchema& schema, const CachedProfile& cached) {
  FormState state;
  for (const userdesk::profile::Attribute* attribute : schema.form_attributes()) {
    state.values[attribute->name] = userdesk::profile::FormText(*attribute, *cached.user);
  }
  state.shown = state.values;
  if (cached.stale) {
    state.notices.warning = StaleNotice(cached);
  }
  return state;
}

FormState FromSubmission(const Submission& submission, int status, std::string problem) {
  FormState state;
  state.status = status;
  state.values = submission.values;
  state.shown = submission.shown;
  state.errors = submission.errors;
  state.notices.problem = std::move(problem);
  return state;
}

class ProfileHandler {
 public:
  explicit ProfileHandler(const app::App& app)
      : app_(app),
        profiles_(std::make_shared<Profiles>(app.config, app::ProfileTokens(app))),
        forms_(std::make_shared<userdesk::profile::RenderCache>()) {}

  http::Response operator()(const http::Request& request) const {
    if (request.path != "/profile") {
      return app::ErrorResponse(app_, MakeError(ErrorCode::kNotFound, "no route"), request);
    }
    bool post = request.method == "POST";
    if (!post && request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD, POST");
    }
    app::Visitor visitor = app::Identify(app_, request);
    if (post && !visitor.session && app::SameOrigin(app_, request) && !request.WantsJson()) {
      return SessionEnded(request, visitor);
    }
    if (auto refusal = app::SignInRequired(app_, request, visitor)) return *refusal;
    if (post) return Save(request, *visitor.session);
    http::Response response = Show(request, &visitor);
    visitor.Finish(&response);
    return response;
  }

 private:
  http::Response Show(const http::Request& request, app::Visitor* visitor) const {
    auto loaded = profiles_->Load(*visitor->session);
    if (!loaded.ok()) {
      return app::ProfileUnreadablePage(app_, request, loaded.error().error,
                                        loaded.error().retry_after_seconds);
    }
    app::EndIfPasswordChanged(app_, request, visitor, loaded->user->password_changed_ms);
    if (auto refusal = app::SignInRequired(app_, request, *visitor)) return *refusal;
    const session::Session& session = *visitor->session;
    auto schema = profiles_->Schema(session);
    if (!schema.ok()) {
      return app::ProfileUnreadablePage(app_, request, schema.error().error,
                                        schema.error().retry_after_seconds);
    }
    bool saved = request.Query("saved") == "1", unchanged = request.Query("unchanged") == "1";
    if (!loaded->stale && !saved && !unchanged) {
      return PlainForm(request, session, *schema->schema, *loaded);
    }
    FormState state = FromProfile(*schema->schema, *loaded);
    if (saved) state.notices.notice = "Your profile has been saved.";
    if (unchanged) state.notices.notice = "Nothing to save: no field was changed.";
    return FormPage(app_, request, session, *schema->schema, state);
  }

  // The page as most visits see it (no notice, no warning), its form rendered once per copy of
  // the profile, session and schema (profile/render_cache.h).
  http::Response PlainForm(const http::Request& request, const session::Session& session,
                           const ProfileSchema& schema, const CachedProfile& cached) const {
    app::Page page = FormFrame(200);
    std::string key = session.csrf + "/" + std::to_string(schema.version());
    std::optional<std::string> form = forms_->FindOrRender(cached.user, key, [&] {
      page = FormView(request, session, schema, FromProfile(schema, cached));
      return app::RenderContent(app_, page);
    });
    page.content = std::move(form);
    return app::RenderPage(app_, request, session, std::move(page));
  }

  // A same-origin save that came after the session ended: 401, nothing saved, and the form again
  // with what was typed. Sign-in opens in a new tab; back here, Save gets a fresh token (below).
  http::Response SessionEnded(const http::Request& request, const app::Visitor& visitor) const {
    log::Info("profile",
              "save without a session: form shown again" + log::IdTag(request.request_id));
    std::shared_ptr<const ProfileSchema> shown = ShownSchema();
    const ProfileSchema& schema = *shown;
    Submission submission = ReadSubmission(schema, request.form, session::NowSeconds());
    if (visitor.registry_unavailable) {  // maybe still active: say so, keep the cookie
      FormState state = FromSubmission(submission, 503,
                                       "Your session cannot be checked right now, so nothing was "
                                       "saved. What you typed is still below: press Save again "
                                       "in a moment.");
      return FormPage(app_, request, std::nullopt, schema, state);
    }
    FormState state = FromSubmission(submission, 401,
                                     "Your session has expired, so nothing was saved. What you "
                                     "typed is still below: sign in again in a new tab, then "
                                     "come back to this one and press Save.");
    http::Response response = FormPage(app_, request, std::nullopt, schema, state);
    if (visitor.had_cookie) response.Cookie(app_.sessions.ClearCookie());
    return response;
  }

  // A post from another origin gets the plain 403 page: a forged post must not show the user a
  // form filled in by someone else. A same-origin post whose token is not this session's (the
  // form was opened under an earlier session) gets its form back with what was typed.
  http::Response Save(const http::Request& request, const session::Session& session) const {
    if (Status csrf = app::CheckFormPost(app_, request, session); !csrf.ok()) {
      if (!app::SameOrigin(app_, request)) return app::ErrorResponse(app_, csrf.error(), request);
      log::Info("profile",
                "form shown again: " + csrf.error().detail + log::IdTag(request.request_id));
      std::shared_ptr<const ProfileSchema> shown = ShownSchema();
      const ProfileSchema& schema = *shown;
      return FormPage(
          app_, request, session, schema,
          FromSubmission(ReadSubmission(schema, request.form, session::NowSeconds()), 403,
                         "This form had expired, so nothing was saved. Check it "
                         "and press Save again."));
    }
    // What may be written is decided by the schema as it is now, never by an older form.
    auto current_schema = profiles_->Schema(session);
    if (!current_schema.ok()) {
      std::shared_ptr<const ProfileSchema> shown = ShownSchema();
      return Unsaved(request, session, *shown,
                     ReadSubmission(*shown, request.form, session::NowSeconds()),
                     current_schema.error());
    }
    const ProfileSchema& schema = *current_schema->schema;
    Submission submission = ReadSubmission(schema, request.form, session::NowSeconds());
    if (!submission.ignored.empty()) {
      log::Warn("profile",
                "ignored form fields that are not editable: " + log::List(submission.ignored) +
                    " user=" + session.sub + " id=" + request.request_id);
    }
    if (!submission.read_only.empty()) {
      log::Warn("profile",
                "ignored read-only attributes posted anyway: " + log::List(submission.read_only) +
                    " user=" + session.sub + " id=" + request.request_id);
    }
    if (!submission.ok()) {
      return FormPage(app_, request, session, schema,
                      FromSubmission(submission, 422, "Please correct the fields marked below."));
    }

    // Where the form did not say what it showed (not our page), compare with Okta's copy.
    okta::User current;
    if (submission.shown.size() < submission.values.size()) {
      auto loaded = profiles_->Load(session);
      if (!loaded.ok()) return Unsaved(request, session, schema, submission, loaded.error());
      current = *loaded->user;
    }
    std::vector<okta::ProfileChange> changes = ChangedFields(schema, submission, current);
    if (changes.empty()) return http::Response::Redirect("/profile?unchanged=1", 303);

    auto saved = profiles_->Save(session, schema, changes);
    if (!saved.ok()) return Unsaved(request, session, schema, submission, saved.error());

    // The header's name follows at once, and every responder now re-reads an older copy.
    session::Session updated = session;
    updated.name = DisplayName(*saved);
    if (saved->last_updated_ms > 0) updated.profile_updated_ms = saved->last_updated_ms;
    int64_t now = session::NowSeconds();
    updated = app_.sessions.Renewed(std::move(updated), now);
    http::Response response = http::Response::Redirect("/profile?saved=1", 303);
    response.Cookie(app_.sessions.IssueCookie(updated, now));
    return response;
  }

  // The form again with everything typed, saying why nothing was saved.
  http::Response Unsaved(const http::Request& request, const session::Session& session,
                         const ProfileSchema& schema, const Submission& submission,
                         const okta::Failure& failure) const {
    if (failure.error.code == ErrorCode::kNotFound) {
      return app::ProfileUnreadablePage(app_, request, failure.error, failure.retry_after_seconds);
    }
    std::string id = log::IdTag(request.request_id);
    if (failure.error.code == ErrorCode::kUnprocessable && failure.okta) {
      log::Info("profile", "Okta refused the update: " + failure.error.detail + id);
      FormState state = FromSubmission(submission, 422,
                                       "The identity provider did not accept "
                                       "these values. Nothing was saved.");
      state.notices.problem_details = AssignOktaCauses(schema, failure.okta->causes, &state.errors);
      return FormPage(app_, request, session, schema, state);
    }
    log::Warn("profile", "could not save: " + std::string(ToString(failure.error.code)) + " " +
                             failure.error.detail + id);
    app::ErrorView view = app::ViewOf(failure.error, app::Task::kProfileSave);
    FormState state = FromSubmission(submission, view.status, view.message.message);
    // MyAccount mode: only the user can mend their token, by signing in again (or afresh, for a
    // write that needs a recent sign-in), in a new tab, so what was typed stays here
    switch (failure.error.reason) {
      case Reason::kRecentSignInRequired:
        state.sign_in_url = app::FreshSignInPath("/profile");
        break;
      case Reason::kSignInAgain:
      case Reason::kAccessTokenRefused:
      case Reason::kScopeMissing:
        state.sign_in_url = app::SignInUrl(request);
        break;
      default:
        break;
    }
    http::Response response = FormPage(app_, request, session, schema, state);
    app::AddRetryAfter(failure.retry_after_seconds, &response);
    return response;
  }

  // The schema a form is shown back with when the current one cannot be had: the last one read,
  // or the tutorial's fields. Only for showing what was typed: nothing is saved from it.
  std::shared_ptr<const ProfileSchema> ShownSchema() const {
    std::shared_ptr<const ProfileSchema> known = profiles_->KnownSchema();
    return known ? known : userdesk::profile::TutorialSchema();
  }

  const app::App& app_;
  std::shared_ptr<Profiles> profiles_;
  std::shared_ptr<userdesk::profile::RenderCache> forms_;
};

}  // namespace

fcgi::Handler MakeHandler(const app::App& app) { return ProfileHandler(app); }

}  // namespace userdesk::responders::profile
