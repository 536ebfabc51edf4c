#include "responders/dashboard/dashboard_handler.h"

#include <memory>

#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "app/user_tokens.h"
#include "form/fields.h"
#include "profile/profile_errors.h"
#include "profile/profiles.h"
#include "profile/render_cache.h"
#include "view/templates.h"

namespace userdesk::responders::dashboard {
namespace {

namespace mustache = view::mustache;

app::Page DashboardFrame() {
  app::Page page;
  page.title = "Dashboard";
  page.template_name = "dashboard/index";
  return page;
}

// welcome: the user has just registered (the sign-in after registration returns here with
// ?welcome=1). Only attributes the schema lets the user see are listed, labelled with their
// titles: one an administrator hid (HIDE) is in Okta's profile, never on the page.
app::Page DashboardPage(const profile::CachedProfile& cached, const profile::ProfileSchema& schema,
                        bool welcome) {
  const okta::User& user = *cached.user;
  app::Page page = DashboardFrame();
  // "{firstName}'s Dashboard", or "Your Dashboard" (the template isolates the name: <bdi>)
  if (schema.Find("firstName") != nullptr) {
    page.data.set("first_name", user.Attribute("firstName"));
  }
  mustache::list items;
  items.reserve(user.profile.size());
  for (const auto& [key, value] : user.profile) {  // a std::map: sorted by attribute name
    const profile::Attribute* attribute = schema.Find(key);
    if (value.empty() || attribute == nullptr) continue;
    std::string shown = value;
    if (attribute->type == profile::ValueType::kBoolean) shown = value == "true" ? "Yes" : "No";
    for (size_t i = 0; i < attribute->option_values.size(); i++) {  // an enum's display name
      if (attribute->option_values[i] == value) shown = attribute->option_labels[i];
    }
    mustache::data item{mustache::data::type::object};
    view::Set(&item, "term", view::Text(attribute->label));
    view::Set(&item, "details", view::Text(std::move(shown)));
    items.push_back(std::move(item));
  }
  view::Set(&page.data, "items", view::List(std::move(items)));
  form::Notices notices;
  if (welcome) notices.notice = "Welcome! Your account has been created.";
  if (cached.stale) notices.warning = profile::StaleNotice(cached);
  notices.AddTo(&page.data);
  return page;
}

// The page as most visits see it (no welcome, no stale-copy warning) depends only on the profile
// copy and the schema: its content is rendered once per pair (profile/render_cache.h, the key:
// the schema's version), which was most of a warm dashboard's CPU.
app::Page PlainDashboard(const app::App& app, const profile::CachedProfile& cached,
                         const profile::ProfileSchema& schema, profile::RenderCache* lists) {
  app::Page page = DashboardFrame();
  std::string key = std::to_string(schema.version());
  std::optional<std::string> content = lists->FindOrRender(cached.user, key, [&] {
    page = DashboardPage(cached, schema, false);
    return app::RenderContent(app, page);
  });
  page.content = std::move(content);
  return page;
}

}  // namespace

fcgi::Handler MakeHandler(const app::App& app) {
  auto profiles = std::make_shared<profile::Profiles>(app.config, app::ProfileTokens(app));
  auto lists = std::make_shared<profile::RenderCache>();
  return [&app, profiles, lists](const http::Request& request) -> http::Response {
    if (request.path != "/dashboard") {
      return app::ErrorResponse(app, MakeError(ErrorCode::kNotFound, "no route"), request);
    }
    if (request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD");
    }
    app::Visitor visitor = app::Identify(app, request);
    if (auto refusal = app::SignInRequired(app, request, visitor)) return *refusal;

    auto loaded = profiles->Load(*visitor.session);
    if (!loaded.ok()) {
      return app::ProfileUnreadablePage(app, request, loaded.error().error,
                                        loaded.error().retry_after_seconds);
    }
    app::EndIfPasswordChanged(app, request, &visitor, loaded->user->password_changed_ms);
    if (auto refusal = app::SignInRequired(app, request, visitor)) return *refusal;
    auto schema = profiles->Schema(*visitor.session);
    if (!schema.ok()) {
      return app::ProfileUnreadablePage(app, request, schema.error().error,
                                        schema.error().retry_after_seconds);
    }
    bool welcome = request.Query("welcome") == "1";
    app::Page page = welcome || loaded->stale
                         ? DashboardPage(*loaded, *schema->schema, welcome)
                         : PlainDashboard(app, *loaded, *schema->schema, lists.get());
    http::Response response = app::RenderPage(app, request, visitor.session, std::move(page));
    visitor.Finish(&response);
    return response;
  };
}

}  // namespace userdesk::responders::dashboard
