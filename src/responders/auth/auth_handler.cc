#include "responders/auth/auth_handler.h"

#include "app/csrf.h"
#include "app/error_page.h"
#include "app/guard.h"
#include "app/page.h"
#include "app/return_to.h"
#include "app/user_tokens.h"
#include "base/log.h"
#include "base/strings.h"
#include "http/cgi_parse.h"
#include "metrics/events.h"
#include "oidc/id_token.h"
#include "oidc/login_transaction.h"
#include "oidc/logout_token.h"
#include "session/device.h"
#include "session/token_vault.h"

namespace userdesk::responders::auth {
namespace {

constexpr std::string_view kCallbackPath = "/authorization-code/callback";
constexpr std::string_view kBackChannelLogoutPath = "/backchannel-logout";

// What every handler shares: the provider client (caches discovery and keys) and the sign-in
// attempts' codec (remembers used states).
struct Auth {
  Auth(const app::App& a, std::shared_ptr<oidc::Provider> p)
      : app(a),
        provider(std::move(p)),
        user_tokens(app::MakeUserTokens(a, provider)),
        vault(a.session_gate ? std::make_shared<session::TokenVault>(
                                   a.session_gate->shared_registry(), a.config.app_secret,
                                   a.config.app_secret_previous)
                             : nullptr),
        transactions(a.config.app_secret, a.config.app_secret_previous, a.config.https()),
        redirect_uri(a.config.host_url + std::string(kCallbackPath)) {}

  const app::App& app;
  std::shared_ptr<oidc::Provider> provider;
  // MyAccount mode (PROFILE_API=myaccount): where the sign-in's tokens are kept; else null
  std::shared_ptr<app::UserTokens> user_tokens;
  // With a registry: where the sign-in's ID token is kept for sign-out (in MyAccount mode with
  // the user's tokens), so the cookie every request carries stays small; else null
  std::shared_ptr<session::TokenVault> vault;
  oidc::LoginTransactions transactions;
  std::string redirect_uri;
};

http::Response NoStore(http::Response response, const std::vector<http::SetCookie>& cookies) {
  for (const auto& c : cookies) response.Cookie(c);
  response.Header("Cache-Control", "no-store");
  return response;
}

app::PageAction SignInAgain(std::string_view return_to = app::kDefaultReturnTo) {
  return {app::SignInPath(return_to), "Sign in again"};
}

// The metrics' reason for a failed sign-in (a fixed list: never the provider's own words).
metrics::SignInFailure FailureOf(const Error& error) {
  switch (error.reason) {
    case Reason::kSignInExpired:
      return metrics::SignInFailure::kExpired;
    case Reason::kSignInDenied:
      return metrics::SignInFailure::kDenied;
    case Reason::kSignInFailed:
      return metrics::SignInFailure::kProviderError;
    case Reason::kCodeRefused:
      return metrics::SignInFailure::kCodeRefused;
    case Reason::kIdTokenUntrusted:
    case Reason::kNonceMismatch:
      return metrics::SignInFailure::kTokenUntrusted;
    case Reason::kProviderBusy:
      return metrics::SignInFailure::kProviderUnavailable;
    case Reason::kSessionsUnavailable:
      return metrics::SignInFailure::kSessionsUnavailable;
    case Reason::kProfileAccessNotGranted:
    case Reason::kUnspecified:
    case Reason::kSessionEndedBeforePost:
    case Reason::kSignInAgain:
    case Reason::kAccessTokenRefused:
    case Reason::kScopeMissing:
    case Reason::kRecentSignInRequired:
      break;
  }
  if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kDeadlineExceeded) {
    return metrics::SignInFailure::kProviderUnavailable;
  }
  return metrics::SignInFailure::kOther;
}

// A sign-in that cannot go on: the error page (ErrorResponse logs the detail; the error table
// says the status and words) with "Sign in again" leading back to where the attempt was headed;
// never cached, the attempt's cookie cleared.
http::Response SignInFailed(const Auth& auth, const http::Request& request, const Error& error,
                            std::string_view return_to = app::kDefaultReturnTo,
                            const std::vector<http::SetCookie>& cookies = {}) {
  metrics::SignInFailed(FailureOf(error));
  return NoStore(
      app::ErrorResponse(auth.app, error, request, app::Task::kSignIn, SignInAgain(return_to)),
      cookies);
}

http::Response Login(Auth& auth, const http::Request& request) {
  std::string return_to = app::CleanReturnTo(request.Query("returnTo").value_or(""));
  // fresh=1: the Security page wants the password typed again (app::FreshSignInPath), so a
  // signed-in visitor goes to the provider too, which is told to ask (prompt=login, max_age=0)
  bool fresh = request.Query("fresh").value_or("") == "1";
  app::Visitor visitor = app::Identify(auth.app, request);
  if (visitor.session && !fresh) {
    http::Response already = http::Response::Redirect(return_to);
    visitor.Finish(&already);
    return NoStore(std::move(already), {});
  }
  auto metadata = auth.provider->Metadata();
  if (!metadata) return SignInFailed(auth, request, metadata.error());

  // A login_hint (after registration: the new address) pre-fills the provider's sign-in form;
  // anything that is not a plausible login is dropped, not passed on.
  std::string login_hint = request.Query("login_hint").value_or("");
  if (login_hint.size() > 100 || PrintableAscii(login_hint) != login_hint) login_hint.clear();

  std::vector<http::SetCookie> cookies;
  oidc::LoginTransaction tx = auth.transactions.Begin(std::move(return_to), request.cookies,
                                                      session::NowSeconds(), &cookies, fresh);
  std::string location =
      http::AppendQuery((*metadata)->authorization_endpoint,
                        {{"client_id", auth.app.config.client_id},
                         {"response_type", "code"},
                         {"scope", std::string(app::SignInScopes(auth.app.config))},
                         {"redirect_uri", auth.redirect_uri},
                         {"state", tx.state},
                         {"nonce", tx.nonce},
                         {"code_challenge", oidc::CodeChallengeS256(tx.code_verifier)},
                         {"code_challenge_method", "S256"}});
  if (!login_hint.empty())
    location = http::AppendQuery(std::move(location), {{"login_hint", login_hint}});
  if (fresh)
    location = http::AppendQuery(std::move(location), {{"prompt", "login"}, {"max_age", "0"}});
  return NoStore(http::Response::Redirect(location), cookies);
}

// The name for "Signed in as": the ID token's, else the UserInfo endpoint's (the code flow's ID
// token is often thin), else the username. A UserInfo answer about another subject is refused
// (OpenID Core §5.3.2).
Result<std::string> DisplayName(Auth& auth, const oidc::IdTokenClaims& claims,
                                const std::string& access_token, const http::Request& request) {
  auto join = [](const std::string& a, const std::string& b) {
    return a.empty() ? b : b.empty() ? a : a + " " + b;
  };
  if (!claims.name.empty()) return claims.name;
  if (std::string n = join(claims.given_name, claims.family_name); !n.empty()) return n;
  if (!access_token.empty()) {
    auto info = auth.provider->UserInfo(access_token);
    if (info) {
      if (json::GetString(*info, "sub") != claims.sub) {
        return MakeError(ErrorCode::kUpstreamUnavailable, "userinfo sub differs from id_token");
      }
      if (auto name = json::GetString(*info, "name"); name && !name->empty()) return *name;
      std::string n = join(json::GetString(*info, "given_name").value_or(""),
                           json::GetString(*info, "family_name").value_or(""));
      if (!n.empty()) return n;
    } else {
      // the name is cosmetic: sign in anyway
      log::Warn(auth.app.name, log::Event("signin.userinfo_failed",
                                          "userinfo failed, signing in without a display name: " +
                                              info.error().detail)
                                   .Id(request.request_id)
                                   .Add("detail", info.error().detail));
    }
  }
  return !claims.preferred_username.empty() ? claims.preferred_username : claims.email;
}

http::Response Callback(Auth& auth, const http::Request& request) {
  std::vector<http::SetCookie> cookies;
  std::string state = request.Query("state").value_or("");
  auto tx = auth.transactions.Take(request.cookies, state, session::NowSeconds(), &cookies);
  if (!tx) {
    // The back button, a second tab, an old bookmark: never a dead end.
    app::Visitor visitor = app::Identify(auth.app, request);
    if (visitor.session) {
      log::Info(auth.app.name, "callback with unknown state from a signed-in user: moving on id=" +
                                   request.request_id);
      http::Response onward = http::Response::Redirect(std::string(app::kDefaultReturnTo));
      visitor.Finish(&onward);
      return NoStore(std::move(onward), cookies);
    }
    return SignInFailed(
        auth, request,
        MakeError(ErrorCode::kInvalidArgument, "callback state unknown, expired or used",
                  Reason::kSignInExpired),
        app::kDefaultReturnTo, cookies);
  }

  if (auto error = request.Query("error")) {
    bool denied = *error == "access_denied";
    return SignInFailed(
        auth, request,
        // logged once, by the error page; never shown
        MakeError(ErrorCode::kInvalidArgument,
                  "provider answered error=" + PrintableAscii(*error) + " description=" +
                      PrintableAscii(request.Query("error_description").value_or("")),
                  denied ? Reason::kSignInDenied : Reason::kSignInFailed),
        tx->return_to, cookies);
  }
  std::string code = request.Query("code").value_or("");
  if (code.empty()) {
    return SignInFailed(auth, request,
                        MakeError(ErrorCode::kInvalidArgument, "callback without code"),
                        tx->return_to, cookies);
  }

  const config::Config& cfg = auth.app.config;
  auto tokens = auth.provider->ExchangeCode(code, tx->code_verifier, auth.redirect_uri,
                                            cfg.client_id, cfg.client_secret);
  if (!tokens) return SignInFailed(auth, request, tokens.error(), tx->return_to, cookies);
  if (auth.user_tokens) {
    // the pages will read and write the profile with these tokens: without them, no session
    if (Status granted = app::CheckMyAccountGrant(*tokens); !granted.ok()) {
      return SignInFailed(auth, request, granted.error(), tx->return_to, cookies);
    }
  }

  oidc::IdTokenChecks checks;
  checks.issuer = cfg.issuer;
  checks.client_id = cfg.client_id;
  checks.nonce = tx->nonce;
  checks.allowed_algs = cfg.id_token_algs;
  checks.now = session::NowSeconds();
  checks.max_skew = cfg.clock_skew_seconds;
  auto claims = oidc::VerifyIdToken(tokens->id_token, checks, [&auth](std::string_view kid) {
    return auth.provider->KeysFor(kid);
  });
  if (!claims) return SignInFailed(auth, request, claims.error(), tx->return_to, cookies);
  // asked to sign in afresh: the provider must say the password was just typed (Core §3.1.2.1)
  if (tx->fresh && claims->auth_time < tx->created_at - cfg.clock_skew_seconds) {
    return SignInFailed(auth, request,
                        MakeError(ErrorCode::kUpstreamUnavailable,
                                  "id_token refused: auth_time is older than the fresh sign-in",
                                  Reason::kIdTokenUntrusted),
                        tx->return_to, cookies);
  }
  auto name = DisplayName(auth, *claims, tokens->access_token, request);
  if (!name) {
    return SignInFailed(auth, request, name.error(), tx->return_to, cookies);
  }

  int64_t now = session::NowSeconds();
  // the ID token goes in the cookie only when there is no registry to keep it (below)
  session::Session s = auth.app.sessions.Start(claims->sub, std::move(*name),
                                               auth.vault ? "" : tokens->id_token, now);
  if (claims->auth_time > 0 && claims->auth_time < now) s.authenticated_at = claims->auth_time;
  if (auth.app.session_gate) {
    Status begun = auth.app.session_gate->Begin(
        s, session::DeviceName(request.Header("user-agent").value_or("")), request.remote_addr, now,
        claims->sid);
    if (!begun.ok()) {  // not the provider's fault: the store's, fail closed (no session)
      return SignInFailed(
          auth, request,
          MakeError(ErrorCode::kUnavailable, "sign-in not recorded: " + begun.error().detail,
                    Reason::kSessionsUnavailable),
          tx->return_to, cookies);
    }
  }
  if (auth.vault && !auth.user_tokens) {
    session::StoredTokens kept_for_sign_out;
    kept_for_sign_out.id_token = tokens->id_token;
    auto kept = auth.vault->Put(session::RecordId(s.sid), kept_for_sign_out);
    if (!kept.ok() || !*kept) {  // sign-out then ends Okta's session without the hint: say so
      log::Warn(auth.app.name, "ID token not kept for sign-out: " +
                                   (kept.ok() ? std::string("the new record is not active")
                                              : kept.error().detail));
    }
  }
  if (auth.user_tokens) {
    // sealed in the session's record, never in the cookie (session/token_vault.h); the ID token
    // with them
    auto kept = auth.user_tokens->Keep(session::RecordId(s.sid), *tokens);
    if (!kept.ok() || !*kept) {
      return SignInFailed(auth, request,
                          MakeError(ErrorCode::kUnavailable,
                                    "sign-in tokens not stored: " +
                                        (kept.ok() ? std::string("the new record is not active")
                                                   : kept.error().detail),
                                    Reason::kSessionsUnavailable),
                          tx->return_to, cookies);
    }
  }
  cookies.push_back(auth.app.sessions.IssueCookie(s, now));
  // the browser's earlier session (a fresh sign-in over it) is replaced: its record ends
  if (auth.app.session_gate) {
    if (auto earlier = auth.app.CurrentSession(request)) {
      if (Status ended = auth.app.session_gate->End(*earlier, now); !ended.ok()) {
        log::Warn(auth.app.name, "replaced session not ended: " + ended.error().detail);
      }
    }
  }
  metrics::SignedIn();
  log::Info(auth.app.name, log::Event("signin.ok", "signed in sub=" + claims->sub)
                               .Id(request.request_id)
                               .Add("sub", claims->sub));
  return NoStore(http::Response::Redirect(tx->return_to), cookies);
}

http::Response ConfirmSignOut(Auth& auth, const http::Request& request) {
  app::Visitor visitor = app::Identify(auth.app, request);
  if (!visitor.session) return NoStore(http::Response::Redirect("/"), {});
  app::Page page;
  page.title = "Sign out";
  page.template_name = "auth/logout";
  page.data.set("csrf", visitor.session->csrf);
  http::Response response = app::RenderPage(auth.app, request, visitor.session, std::move(page));
  visitor.Finish(&response);
  return response;
}

http::Response SignOut(Auth& auth, const http::Request& request) {
  app::Visitor visitor = app::Identify(auth.app, request);
  std::vector<http::SetCookie> cookies{auth.app.sessions.ClearCookie()};
  if (!visitor.session) return NoStore(http::Response::Redirect("/", 303), cookies);
  if (Status ok = app::CheckFormPost(auth.app, request, *visitor.session); !ok) {
    return app::ErrorResponse(auth.app, ok.error(), request, app::Task::kSignOut,
                              app::PageAction{"/logout", "Sign out"});
  }
  log::Info(auth.app.name, log::Event("signout", "signed out sub=" + visitor.session->sub)
                               .Id(request.request_id)
                               .Add("sub", visitor.session->sub));
  // the ID token for the provider's logout: in the record (read before the record ends), or in
  // a cookie of a session without a registry (or from before the registry kept it)
  std::string id_token = visitor.session->id_token;
  if (id_token.empty() && auth.vault && !visitor.session->sid.empty()) {
    auto stored = auth.vault->Get(session::RecordId(visitor.session->sid));
    if (stored.ok() && stored->has_value()) id_token = (*stored)->id_token;
  }
  if (auth.user_tokens && !visitor.session->sid.empty()) {
    auth.user_tokens->RevokeAtProvider(session::RecordId(visitor.session->sid));
  }
  if (auth.app.session_gate) {
    // the cookie is cleared either way; a copy of it must not outlive the sign-out (ending the
    // record deletes the user's stored tokens with it)
    Status ended = auth.app.session_gate->End(*visitor.session, session::NowSeconds());
    if (!ended.ok()) log::Warn(auth.app.name, "sign-out not recorded: " + ended.error().detail);
  }
  // RP-initiated logout ends the provider's session too; without it the next sign-in would
  // silently reuse it. The local session is gone either way.
  auto metadata = auth.provider->Metadata();
  if (metadata && !(*metadata)->end_session_endpoint.empty() && !id_token.empty()) {
    std::string location = http::AppendQuery(
        (*metadata)->end_session_endpoint,
        {{"id_token_hint", id_token}, {"post_logout_redirect_uri", auth.app.config.host_url}});
    return NoStore(http::Response::Redirect(location, 303), cookies);
  }
  return NoStore(http::Response::Redirect("/", 303), cookies);
}

// OpenID Connect Back-Channel Logout 1.0 §2.5-§2.8: the provider posts logout_token=... and the
// sessions it names end, in every process within SESSION_CHECK_SECONDS. A call from server to
// server: no session cookie, CSRF token or Origin is involved or looked at; the token's
// signature is what authenticates it. Every answer is no-store; a failure is the error table's
// (Task::kBackChannelLogout: 400, 501 without the registry, 503 while it or the provider's keys
// cannot be reached), logged once with its detail; a success is logged here. The token itself
// is never logged.
http::Response BackChannelLogout(Auth& auth, const http::Request& request) {
  auto refused = [&](const Error& error) {
    return app::ErrorResponse(auth.app, error, request, app::Task::kBackChannelLogout);
  };
  if (!auth.app.session_gate) {
    return refused(MakeError(ErrorCode::kNotImplemented,
                             "back-channel logout needs the session registry (SESSION_STORE)"));
  }
  // §2.5: one logout_token in a form-encoded body (the form is read only for that type)
  size_t sent = request.form.count("logout_token");
  if (sent != 1) {
    return refused(MakeError(ErrorCode::kInvalidArgument,
                             sent == 0 ? "no logout_token in a form-encoded body"
                                       : "logout_token sent " + std::to_string(sent) + " times"));
  }
  const config::Config& cfg = auth.app.config;
  session::SessionGate& gate = *auth.app.session_gate;
  int64_t now = session::NowSeconds();
  oidc::LogoutTokenChecks checks;
  checks.issuer = cfg.issuer;
  checks.client_id = cfg.client_id;
  checks.allowed_algs = cfg.id_token_algs;
  checks.now = now;
  checks.max_skew = cfg.clock_skew_seconds;
  auto claims = oidc::VerifyLogoutToken(
      request.form.find("logout_token")->second, checks,
      [&auth](std::string_view kid) { return auth.provider->KeysFor(kid); },
      [&gate, now](std::string_view key, int64_t until) {
        return gate.registry().UseOnce(key, until, now);
      });
  if (!claims) return refused(claims.error());
  auto ended = gate.EndForProvider(claims->sub, claims->sid, now);
  if (!ended) return refused(ended.error());
  log::Event event("backchannel_logout", "back-channel logout ended " + std::to_string(*ended) +
                                             " session(s) by " +
                                             (claims->sid.empty() ? "sub" : "sid") +
                                             (claims->sub.empty() ? "" : " sub=" + claims->sub));
  event.Id(request.request_id)
      .Add("ended", static_cast<int64_t>(*ended))
      .Add("by", claims->sid.empty() ? "sub" : "sid");
  if (!claims->sub.empty()) event.Add("sub", claims->sub);
  log::Info(auth.app.name, event);
  return NoStore(http::Response::Text(200, ""), {});
}

}  // namespace

fcgi::Handler MakeHandler(const app::App& app, std::shared_ptr<oidc::Provider> provider) {
  auto auth = std::make_shared<Auth>(app, std::move(provider));
  return [auth](const http::Request& request) -> http::Response {
    bool get = request.method == "GET" || request.method == "HEAD";
    if (request.path == "/login")
      return get ? Login(*auth, request) : http::Response::MethodNotAllowed("GET, HEAD");
    if (request.path == kCallbackPath) {
      return get ? Callback(*auth, request) : http::Response::MethodNotAllowed("GET, HEAD");
    }
    if (request.path == kBackChannelLogoutPath) {
      return request.method == "POST" ? BackChannelLogout(*auth, request)
                                      : http::Response::MethodNotAllowed("POST");
    }
    if (request.path == "/logout") {
      if (get) return ConfirmSignOut(*auth, request);
      if (request.method == "POST") return SignOut(*auth, request);
      return http::Response::MethodNotAllowed("GET, HEAD, POST");
    }
    return app::ErrorResponse(auth->app, MakeError(ErrorCode::kNotFound, "no route"), request);
  };
}

fcgi::Handler MakeHandler(const app::App& app) {
  return MakeHandler(app, app::MakeProvider(app.config, "auth"));
}

}  // namespace userdesk::responders::auth
