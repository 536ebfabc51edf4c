// GET/POST {server}/v1/authorize (authorization-code flow only) and the sign-in form behind it.
// Order of checks, as Okta: client_id and redirect_uri first, answered with an error page because
// they cannot be trusted as a redirect target (RFC 6749 §4.1.2.1); every later error is
// redirected to the redirect_uri with error, error_description and state.
#include <httplib.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "http/response.h"
#include "mini_okta/oidc/common.h"
#include "mini_okta/oidc/routes.h"
#include "mini_okta/oidc/signin_page.h"
#include "mini_okta/server/request_params.h"
#include "mini_okta/store/ids.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta::oidc {
namespace {

constexpr int64_t kCodeTtlSeconds = 300;          // Okta: codes live 300 s (docs/okta-api.md §1.3)
constexpr int64_t kSessionTtlSeconds = 2 * 3600;  // Okta's default session lifetime
constexpr int64_t kPendingTtlSeconds = 10 * 60;   // time to fill in the sign-in form
constexpr char kSessionCookie[] = "mini_okta_sid";  // not "sid": the app shares the host
// Binds sign-in forms to the browser that was shown them. SameSite=Lax keeps it off cross-site
// POSTs, so another site cannot sign the victim's browser in to the attacker's account (login
// CSRF, RFC 6749 §10.12 applied to the sign-in form). One value per browser, not per form, so
// two tabs signing in at once each keep a form that works.
constexpr char kFormCookie[] = "mini_okta_signin";
const std::vector<std::string> kKnownScopes = {"openid",  "profile", "email",
                                               "address", "phone",   "offline_access"};
// Scopes for Okta's own APIs (okta.*) are granted only by the org authorization server; a custom
// server such as "default" refuses them, as Okta does. Only the MyAccount profile API's here.
const std::vector<std::string> kOrgOnlyScopes = {"okta.myAccount.profile.read",
                                                 "okta.myAccount.profile.manage"};
const std::vector<std::string> kSingleParams = {
    "client_id", "redirect_uri", "response_type",  "response_mode",         "scope",
    "state",     "nonce",        "code_challenge", "code_challenge_method", "prompt",
    "max_age",   "login_hint",   "sessionToken"};

struct OAuthError {
  std::string error;
  std::string description;
};

// Everything about one /authorize call once client_id and redirect_uri are known to be good.
struct Authorize {
  AuthorizeRequest request;
  std::string prompt;
  std::optional<int64_t> max_age;
  std::string session_token;
  bool pkce_required = true;  // the client's setting
};

void RedirectError(httplib::Response& res, const AuthorizeRequest& r, const OAuthError& e) {
  QueryParams params = {{"error", e.error}, {"error_description", e.description}};
  if (!r.state.empty()) params.emplace_back("state", r.state);
  SendRedirect(res, AppendQuery(r.redirect_uri, params));
}

// RFC 7636 §4.2: S256 challenges are BASE64URL(SHA256(verifier)): 43 unpadded characters.
bool IsS256Challenge(std::string_view challenge) {
  if (challenge.size() != 43) return false;
  for (char c : challenge) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<OAuthError> CheckResponseType(const httplib::Request& req) {
  std::string type = Param(req, "response_type");
  if (type.empty()) {
    return OAuthError{"invalid_request", "The 'response_type' parameter is missing."};
  }
  if (type != "code") {
    return OAuthError{"unsupported_response_type",
                      "The response type is not supported by the authorization server. "
                      "Configured response types: [code]."};
  }
  std::string mode = Param(req, "response_mode");
  if (!mode.empty() && mode != "query") {
    return OAuthError{"unsupported_response_mode",
                      "The requested response mode is not supported: '" + mode + "'"};
  }
  return std::nullopt;
}

std::optional<OAuthError> CheckScopes(const std::vector<std::string>& scopes,
                                      const AuthServer& as) {
  if (scopes.empty()) {
    return OAuthError{"invalid_scope",
                      "The authorization server resource does not have any configured default "
                      "scopes, 'scope' must be provided."};
  }
  for (const std::string& scope : scopes) {
    if (!Contains(kKnownScopes, scope) && !(as.org && Contains(kOrgOnlyScopes, scope))) {
      return OAuthError{"invalid_scope",
                        "One or more scopes are not configured for the authorization server "
                        "resource."};
    }
  }
  // OIDC Core §3.1.2.1: without openid this is not an OpenID Connect request.
  if (!Contains(scopes, "openid")) {
    return OAuthError{"invalid_scope", "The 'openid' scope is required."};
  }
  return std::nullopt;
}

// PKCE as an Okta app's "Require PKCE" setting (pkce_required, on unless a client turns it off)
// asks: required, or checked when sent.
std::optional<OAuthError> CheckPkce(const httplib::Request& req, bool required) {
  std::string challenge = Param(req, "code_challenge");
  if (challenge.empty() && !required && Param(req, "code_challenge_method").empty()) {
    return std::nullopt;
  }
  if (challenge.empty()) {
    return OAuthError{"invalid_request", "PKCE code challenge is required."};
  }
  if (Param(req, "code_challenge_method") != "S256") {
    return OAuthError{"invalid_request",
                      "PKCE code challenge method is not supported. Supported values: [S256]."};
  }
  if (!IsS256Challenge(challenge)) {
    return OAuthError{"invalid_request", "PKCE code challenge is invalid."};
  }
  return std::nullopt;
}

std::optional<OAuthError> CheckPromptAndMaxAge(const httplib::Request& req, Authorize& a) {
  a.prompt = Param(req, "prompt");
  if (!a.prompt.empty() && a.prompt != "none" && a.prompt != "login" && a.prompt != "consent" &&
      a.prompt != "login consent" && a.prompt != "consent login") {
    return OAuthError{"invalid_request", "The 'prompt' parameter value is invalid."};
  }
  std::string max_age = Param(req, "max_age");
  if (max_age.empty()) return std::nullopt;
  if (max_age.size() > 9 || max_age.find_first_not_of("0123456789") != std::string::npos) {
    return OAuthError{"invalid_request", "The 'max_age' parameter must be a non-negative integer."};
  }
  a.max_age = ParseInteger<int64_t>(max_age).value_or(0);  // digits only, checked above
  return std::nullopt;
}

std::optional<OAuthError> CheckRequest(const httplib::Request& req, Authorize& a) {
  if (auto dup = DuplicatedParam(req, kSingleParams)) {
    return OAuthError{"invalid_request", "The '" + *dup + "' parameter was duplicated."};
  }
  if (auto e = CheckResponseType(req)) return e;
  if (auto e = CheckScopes(a.request.scopes, a.request.server)) return e;
  // docs/okta-api.md §1.3: Okta requires state.
  if (a.request.state.empty()) {
    return OAuthError{"invalid_request",
                      "The authentication request has an invalid 'state' parameter."};
  }
  if (auto e = CheckPkce(req, a.pkce_required)) return e;
  return CheckPromptAndMaxAge(req, a);
}

Authorize ReadRequest(const httplib::Request& req, const AuthServer& as) {
  Authorize a;
  a.request.server = as;
  a.request.client_id = Param(req, "client_id");
  a.request.redirect_uri = Param(req, "redirect_uri");
  a.request.state = Param(req, "state");
  a.request.nonce = Param(req, "nonce");
  a.request.scopes = SplitSpaces(Param(req, "scope"));
  a.request.code_challenge = Param(req, "code_challenge");
  a.request.login_hint = Param(req, "login_hint");
  a.session_token = Param(req, "sessionToken");
  return a;
}

// RFC 6749 §3.1.2.3/§4.1.2.1: an unknown client or unregistered redirect_uri must not be
// redirected to; exact string match against the registered URIs.
std::optional<OidcClient> CheckClientAndRedirect(const httplib::Request& req, const Store& store,
                                                 const AuthorizeRequest& r,
                                                 httplib::Response& res) {
  std::optional<OidcClient> client = store.clients().Find(r.client_id);
  if (!client || ParamCount(req, "client_id") > 1) {
    SendErrorPage(res, 400, "invalid_client", "Invalid value for 'client_id' parameter.");
    return std::nullopt;
  }
  if (!Contains(client->redirect_uris, r.redirect_uri) || ParamCount(req, "redirect_uri") > 1) {
    SendErrorPage(res, 400, "invalid_request",
                  "The 'redirect_uri' parameter must be a Login redirect URI in the client app "
                  "settings.");
    return std::nullopt;
  }
  return client;
}

bool IsActiveUser(const Store& store, const std::string& user_id) {
  std::optional<UserRecord> user = store.users().Find(user_id);
  return user && user->status == "ACTIVE";
}

// mini-okta's cookies are written by the core's cookie code, as the app's are: HttpOnly,
// SameSite=Lax, Path=/, Secure when mini-okta is served over HTTPS.
void WriteCookie(httplib::Response& res, const Context& ctx, std::string name, std::string value,
                 long max_age) {
  http::SetCookie cookie;
  cookie.name = std::move(name);
  cookie.value = std::move(value);
  cookie.max_age = max_age;
  cookie.secure = ctx.options.base_url.rfind("https://", 0) == 0;
  res.set_header("Set-Cookie", cookie.Serialize());
}

void SetSessionCookie(httplib::Response& res, const Context& ctx, const std::string& value,
                      bool clear) {
  WriteCookie(res, ctx, kSessionCookie, value, clear ? 0 : -1);
}

// A sign-in session's public id, shaped like Okta's session ids ("102" and 22 letters and digits).
std::string NewSessionId() { return "102" + RandomAlphanumeric(22); }

// Signs the user in: a new session (cookie) and a lastLogin update, as a password sign-in does.
SignInSession StartSession(OidcState& state, const std::string& user_id, httplib::Response& res) {
  SignInSession session{user_id, state.NowSeconds(), NewSessionId()};
  std::string sid = crypto::RandomToken(32);
  state.sessions.Put(sid, session, kSessionTtlSeconds);
  state.ctx.store->users().RecordLogin(user_id);
  SetSessionCookie(res, state.ctx, sid, false);
  return session;
}

void RedirectWithCode(OidcState& state, const AuthorizeRequest& r, const SignInSession& session,
                      httplib::Response& res) {
  std::string code = crypto::RandomToken(32);
  state.codes.Put(code, AuthCode{r, session.user_id, session.auth_time, session.sid},
                  kCodeTtlSeconds);
  SendRedirect(res, AppendQuery(r.redirect_uri, {{"code", code}, {"state", r.state}}));
}

// The existing session, when it may be used: the user is still active, and max_age (OIDC Core
// §3.1.2.1) has not run out.
std::optional<SignInSession> UsableSession(const OidcState& state, const httplib::Request& req,
                                           const Authorize& a) {
  if (a.prompt.find("login") != std::string::npos) return std::nullopt;
  std::optional<std::string> sid = GetCookie(req, kSessionCookie);
  if (!sid) return std::nullopt;
  std::optional<SignInSession> session = state.sessions.Get(*sid);
  if (!session || !IsActiveUser(*state.ctx.store, session->user_id)) return std::nullopt;
  if (a.max_age && state.NowSeconds() - session->auth_time >= *a.max_age) return std::nullopt;
  return session;
}

// A one-time sessionToken from the Authn API signs the user in without the form.
std::optional<std::string> RedeemSessionToken(const OidcState& state, const Authorize& a) {
  if (a.session_token.empty()) return std::nullopt;
  std::optional<std::string> user_id = state.ctx.store->links().RedeemSessionToken(a.session_token);
  if (!user_id || !IsActiveUser(*state.ctx.store, *user_id)) return std::nullopt;
  return user_id;
}

// The browser's binding: its mini_okta_signin cookie when it has a well-formed one (another tab's
// form is using it), else a new random one.
std::string BrowserBinding(const httplib::Request& req) {
  std::optional<std::string> cookie = GetCookie(req, kFormCookie);
  std::string fresh = crypto::RandomToken(32);
  bool well_formed = cookie && cookie->size() == fresh.size() &&
                     std::all_of(cookie->begin(), cookie->end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                     });
  return well_formed ? *cookie : fresh;
}

void ShowSignInForm(OidcState& state, const AuthorizeRequest& r, const httplib::Request& req,
                    httplib::Response& res) {
  std::string request_id = crypto::RandomToken(32);
  std::string browser = BrowserBinding(req);
  state.pending.Put(request_id, PendingSignIn{r, browser}, kPendingTtlSeconds);
  // Path=/: the next form (under {server}/v1/authorize) must see it to reuse it.
  WriteCookie(res, state.ctx, kFormCookie, browser, kPendingTtlSeconds);
  SendHtml(res, 200, SignInPage(request_id, r.login_hint, ""));
}

// The pending request of a form post, when the post comes from the browser that got the form.
std::optional<AuthorizeRequest> PendingFor(const OidcState& state, const httplib::Request& req,
                                           const std::string& request_id) {
  std::optional<std::string> browser = GetCookie(req, kFormCookie);
  std::optional<PendingSignIn> pending =
      request_id.empty() ? std::nullopt : state.pending.Get(request_id);
  if (!browser || !pending || !crypto::ConstantTimeEquals(*browser, pending->browser)) {
    return std::nullopt;
  }
  return pending->request;
}

void HandleAuthorize(OidcState& state, const AuthServer& as, const httplib::Request& req,
                     httplib::Response& res) {
  Authorize a = ReadRequest(req, as);
  std::optional<OidcClient> client = CheckClientAndRedirect(req, *state.ctx.store, a.request, res);
  if (!client) return;
  a.pkce_required = client->pkce_required;
  if (auto error = CheckRequest(req, a)) return RedirectError(res, a.request, *error);
  if (auto user_id = RedeemSessionToken(state, a)) {
    return RedirectWithCode(state, a.request, StartSession(state, *user_id, res), res);
  }
  if (auto session = UsableSession(state, req, a)) {
    return RedirectWithCode(state, a.request, *session, res);
  }
  if (a.prompt == "none") {
    return RedirectError(
        res, a.request,
        {"login_required", "The client specified not to prompt, but the user is not logged in."});
  }
  ShowSignInForm(state, a.request, req, res);
}

void HandleSignIn(OidcState& state, const httplib::Request& req, httplib::Response& res) {
  std::string request_id = Param(req, "request_id");
  std::optional<AuthorizeRequest> pending = PendingFor(state, req, request_id);
  if (!pending) {
    return SendErrorPage(res, 400, "invalid_request",
                         "The sign-in request has expired. Start again from the application.");
  }
  std::string username = Param(req, "username");
  std::optional<UserRecord> user = state.ctx.store->users().Find(username);
  // One answer for every refusal, so the form never tells which usernames exist.
  if (!user || user->status != "ACTIVE" ||
      !state.ctx.store->users().CheckPassword(*user, Param(req, "password"))) {
    return SendHtml(res, 401, SignInPage(request_id, username, "Unable to sign in"));
  }
  // The cookie stays: another tab's form may still be waiting for its post.
  state.pending.Erase(request_id);
  RedirectWithCode(state, *pending, StartSession(state, user->id, res), res);
}

}  // namespace

void RegisterAuthorizeRoutes(httplib::Server& server, const StatePtr& state, AuthServer as) {
  auto handler = [state, as](const httplib::Request& req, httplib::Response& res) {
    HandleAuthorize(*state, as, req, res);
  };
  server.Get(as.Prefix() + "/authorize", handler);
  server.Post(as.Prefix() + "/authorize", handler);
}

void RegisterSignInRoutes(httplib::Server& server, const StatePtr& state) {
  server.Post(kSignInPath, [state](const httplib::Request& req, httplib::Response& res) {
    HandleSignIn(*state, req, res);
  });
}

// Logout needs to end the session behind the cookie; it lives here with the cookie's name.
void EndSignInSession(OidcState& state, const httplib::Request& req, httplib::Response& res) {
  if (std::optional<std::string> sid = GetCookie(req, kSessionCookie)) state.sessions.Erase(*sid);
  SetSessionCookie(res, state.ctx, "", true);
}

}  // namespace userdesk::mini_okta::oidc
