#include "responders/account/security_handler.h"

#include <string>

#include "app/csrf.h"
#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "base/iso_time.h"
#include "base/log.h"
#include "base/strings.h"
#include "session/registry.h"

namespace userdesk::responders::account {
namespace {

namespace mustache = view::mustache;

constexpr char kPath[] = "/security";

std::string When(int64_t unix_seconds) { return FormatUtc(unix_seconds * 1000, "%Y-%m-%d %H:%M UTC"); }

class SecurityHandler {
 public:
  explicit SecurityHandler(const app::App& app) : app_(app) {}

  http::Response operator()(const http::Request& request) const {
    bool post = request.method == "POST";
    if (!post && request.method != "GET" && request.method != "HEAD") {
      return http::Response::MethodNotAllowed("GET, HEAD, POST");
    }
    app::Visitor visitor = app::Identify(app_, request);
    if (auto refusal = app::SignInRequired(app_, request, visitor)) return *refusal;
    http::Response response =
        post ? End(request, *visitor.session) : Show(request, *visitor.session);
    visitor.Finish(&response);
    return response;
  }

 private:
  http::Response Show(const http::Request& request, const session::Session& session) const {
    app::Page page;
    page.title = "Security";
    page.template_name = "account/security";
    page.no_store = true;  // its forms hold the CSRF token
    page.data.set("csrf", session.csrf);
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
    // a number or nothing: the query is the visitor's to write, the page's words are not
    if (auto ended = ParseInteger<unsigned>(request.Query("ended").value_or(""))) {
      std::string count = std::to_string(*ended);
      page.data.set("notice", *ended == 0 ? std::string("That session had ended already.")
                                          : "Signed out of " + count + " other session" +
                                                (*ended == 1 ? "" : "s") + ".");
    }
    return app::RenderPage(app_, request, session, std::move(page));
  }

  // "Sign out" of one other session (action=end, id=<its record id>) or of all the others
  // (action=end_others). The form's CSRF token and the same origin are required; a record id
  // that is not one of this user's sessions ends nothing.
  http::Response End(const http::Request& request, const session::Session& session) const {
    if (Status csrf = app::CheckFormPost(app_, request, session); !csrf.ok()) {
      return app::ErrorResponse(app_, csrf.error(), request);
    }
    if (!app_.session_gate) return http::Response::Redirect(kPath, 303);
    std::string action = request.Form("action").value_or("");
    std::string own = session::RecordId(session.sid);
    int64_t now = session::NowSeconds();
    session::Registry& registry = app_.session_gate->registry();
    Result<int> done = MakeError(ErrorCode::kInvalidArgument, "unknown action");
    if (action == "end") {
      std::string id = request.Form("id").value_or("");
      if (id == own) return http::Response::Redirect(kPath, 303);  // the header's Sign out does that
      auto one = registry.End(session.sub, id, now);
      done = one.ok() ? Result<int>(*one ? 1 : 0) : Result<int>(one.error());
    } else if (action == "end_others") {
      done = registry.EndAllOf(session.sub, own, now);
    }
    if (!done.ok()) {
      Error error = done.error();
      if (error.code != ErrorCode::kInvalidArgument) error.code = ErrorCode::kInternal;
      return app::ErrorResponse(app_, error, request);
    }
    int ended = *done;
    log::Info("account", "ended " + std::to_string(ended) + " other session(s) sub=" +
                             session.sub + log::IdTag(request.request_id));
    return http::Response::Redirect(std::string(kPath) + "?ended=" + std::to_string(ended), 303);
  }

  const app::App& app_;
};

}  // namespace

fcgi::Handler MakeSecurityHandler(const app::App& app) { return SecurityHandler(app); }

}  // namespace userdesk::responders::account
