#include "admin/check.h"

#include <ostream>
#include <sstream>

#include "admin/cli.h"
#include "json/json.h"
#include "oidc/provider.h"
#include "okta/schema_client.h"
#include "profile/profile_form.h"
#include "view/templates.h"

namespace userdesk::admin {
namespace {

constexpr std::string_view kCallbackPath = "/authorization-code/callback";

class Report {
 public:
  void Ok(std::string subject, std::string text) { Add(Verdict::kOk, subject, text); }
  void Problem(std::string subject, std::string text) { Add(Verdict::kProblem, subject, text); }
  void Unreachable(std::string subject, std::string text) {
    Add(Verdict::kUnreachable, subject, text);
  }
  void Note(std::string subject, std::string text) { Add(Verdict::kNote, subject, text); }
  CheckReport& report() { return report_; }

 private:
  void Add(Verdict verdict, std::string& subject, std::string& text) {
    report_.findings.push_back({verdict, std::move(subject), std::move(text)});
  }
  CheckReport report_;
};

bool IsUnreachable(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded ||
         code == ErrorCode::kRateLimited;
}

// A config problem line starts with the key it is about ("CLIENT_SECRET is missing: ...").
std::string KeyOf(const std::string& line) {
  size_t end = 0;
  while (end < line.size() && ((line[end] >= 'A' && line[end] <= 'Z') || line[end] == '_' ||
                               (line[end] >= '0' && line[end] <= '9'))) {
    ++end;
  }
  return end > 1 && end < line.size() && line[end] == ' ' ? line.substr(0, end) : "config";
}

// --- HOST_URL ----------------------------------------------------------------------------------

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

void CheckHostUrl(const config::Config& cfg, Report& r) {
  // config::Resolve made sure of http:// or https:// and dropped trailing slashes
  std::string_view url = cfg.host_url;
  size_t scheme_end = url.find("://");
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  std::string_view host = authority.starts_with('[')
                              ? authority.substr(0, authority.find(']') + 1)  // [::1]:3000
                              : authority.substr(0, authority.find(':'));
  bool fine = true;
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    r.Problem("HOST_URL",
              "is not scheme://host[:port] (no user name, no password). Fix: set "
              "it to the site's public origin, e.g. https://id.example.com");
    fine = false;
  }
  if (!after.empty()) {
    r.Problem("HOST_URL", "has a path, query or fragment (" + ForTerminal(after) +
                              "): userdesk is served from the root of its host (its cookies are "
                              "Path=/). Fix: set it to the origin alone, e.g. " +
                              ForTerminal(url.substr(0, scheme_end + 3 + authority.size())));
    fine = false;
  }
  if (!cfg.https() && !IsLoopbackHost(host)) {
    r.Problem("HOST_URL",
              "is http:// for a host other than this machine: sessions would "
              "travel without TLS and their cookies lose Secure. Fix: use https://");
    fine = false;
  }
  if (!fine) return;
  r.Ok("HOST_URL", "is an origin; the app's sign-in redirect URI in Okta must be " +
                       ForTerminal(cfg.host_url) + std::string(kCallbackPath));
  r.Note("HOST_URL",
         "sign-out sends post_logout_redirect_uri=" + ForTerminal(cfg.host_url) +
             ", which must be one of the app's sign-out redirect URIs in Okta (not checked: "
             "Okta tells only for a signed-in user's ID token)");
}

// --- templates ---------------------------------------------------------------------------------

void CheckTemplates(const config::Config& cfg, Report& r) {
  Result<view::Templates> templates = view::Templates::Load(cfg.templates_dir);
  if (templates.ok()) {
    r.Ok("USERDESK_TEMPLATES", "the templates in " + ForTerminal(cfg.templates_dir) + " load");
    return;
  }
  r.Problem("USERDESK_TEMPLATES", ForTerminal(templates.error().detail) +
                                      ". Fix: repair the template, or point USERDESK_TEMPLATES "
                                      "at the installed ones");
}

// --- the OpenID provider -----------------------------------------------------------------------

// Discovery and the keys; false when the provider cannot be used for the client checks.
bool CheckDiscovery(const config::Config& cfg, oidc::Provider& provider, Report& r) {
  std::string where = ForTerminal(cfg.issuer) + "/.well-known/openid-configuration";
  auto md = provider.Metadata();
  if (!md.ok()) {
    std::string detail = ForTerminal(md.error().detail);
    if (IsUnreachable(md.error().code)) {
      r.Unreachable("ISSUER", "discovery at " + where + " did not answer (" + detail +
                                  "). Fix: check ISSUER (default ORG_URL/oauth2/default) and "
                                  "that this host can reach it");
    } else {
      r.Problem("ISSUER", "discovery at " + where + " is not usable (" + detail +
                              "). Fix: set ISSUER to the authorization server's Issuer URI "
                              "(Admin console > Security > API > Authorization Servers)");
    }
    return false;
  }
  auto keys = provider.KeysFor("");
  if (!keys.ok()) {
    std::string detail = ForTerminal(keys.error().detail);
    if (IsUnreachable(keys.error().code)) {
      r.Unreachable("ISSUER", "its signing keys (jwks_uri) did not answer (" + detail + ")");
    } else {
      r.Problem("ISSUER", "its signing keys (jwks_uri) are not usable (" + detail +
                              "): no sign-in can be verified");
    }
    return false;
  }
  r.Ok("ISSUER", "discovery at " + where + " answers, names this issuer, and publishes " +
                     std::to_string((*keys)->size()) + " signing key(s)");
  return true;
}

// The provider knows CLIENT_ID and sends sign-ins back to HOST_URL's callback. Returns whether
// the client id is known for sure.
bool CheckClient(const config::Config& cfg, oidc::Provider& provider, Report& r) {
  std::string callback = cfg.host_url + std::string(kCallbackPath);
  auto probe = provider.ProbeAuthorization(cfg.client_id, callback);
  if (!probe.ok()) {
    r.Unreachable("CLIENT_ID", "the authorization endpoint did not answer (" +
                                   ForTerminal(probe.error().detail) + ")");
    return false;
  }
  const oidc::ProbeAnswer& a = *probe;
  if (a.redirected && (a.error == "login_required" || a.error == "interaction_required" ||
                       a.error == "consent_required")) {
    r.Ok("CLIENT_ID",
         "the provider knows the client and sends sign-ins back to " + ForTerminal(callback));
    return true;
  }
  if (a.redirected) {
    r.Problem("CLIENT_ID",
              "the provider knows the client and its redirect URI, but refused the "
              "sign-in request (" +
                  ForTerminal(a.error + " " + a.description) +
                  "). Fix: in the Okta app, allow the Authorization Code grant and "
                  "assign the app to its users");
    return true;
  }
  if (a.status >= 500 || a.status == 429) {
    r.Unreachable("CLIENT_ID",
                  "the authorization endpoint answered HTTP " + std::to_string(a.status));
    return false;
  }
  r.Problem("CLIENT_ID", "the provider does not send sign-ins back to " + ForTerminal(callback) +
                             " (HTTP " + std::to_string(a.status) +
                             ", its own error page): CLIENT_ID names no app of this "
                             "authorization server, or that URI is not one of the app's sign-in "
                             "redirect URIs. Fix: copy the Client ID from the app's General tab, "
                             "and add the URI to its Sign-in redirect URIs (or correct HOST_URL)");
  return false;
}

void CheckClientSecret(const config::Config& cfg, oidc::Provider& provider, bool client_known,
                       Report& r) {
  auto probe = provider.ProbeClientCredentials(cfg.client_id, cfg.client_secret,
                                               cfg.host_url + std::string(kCallbackPath));
  if (!probe.ok()) {
    r.Unreachable("CLIENT_SECRET",
                  "the token endpoint did not answer (" + ForTerminal(probe.error().detail) + ")");
    return;
  }
  const oidc::ProbeAnswer& a = *probe;
  if (a.error == "invalid_grant") {
    r.Ok("CLIENT_SECRET",
         "the token endpoint accepts the client id and secret (asked to redeem "
         "a made-up code, it refused the code, not the client)");
  } else if (a.error == "invalid_client") {
    r.Problem(client_known ? "CLIENT_SECRET" : "CLIENT_ID/CLIENT_SECRET",
              std::string("the token endpoint refuses the client's credentials (invalid_client)") +
                  (client_known ? ": the client id is known, so the secret is wrong" : "") +
                  ". Fix: copy a current client secret (and the Client ID) from the app's "
                  "General tab > Client Credentials");
  } else if (a.error == "unauthorized_client" || a.error == "unsupported_grant_type") {
    r.Problem("CLIENT_ID", "the app may not use the Authorization Code grant (" +
                               ForTerminal(a.error) +
                               "). Fix: enable it in the app's General Settings > Grant type");
  } else if (a.status >= 500 || a.status == 429) {
    r.Unreachable("CLIENT_SECRET", "the token endpoint answered HTTP " + std::to_string(a.status));
  } else {
    r.Problem("CLIENT_SECRET", "the token endpoint answered HTTP " + std::to_string(a.status) +
                                   (a.error.empty() ? "" : " " + ForTerminal(a.error)) +
                                   ", not the refusal of a code: check CLIENT_ID, "
                                   "CLIENT_SECRET and ISSUER");
  }
}

// --- Okta's management API ----------------------------------------------------------------------

// GET /api/v1/users?limit=1 with the token; true when Okta accepted it.
bool CheckToken(const Context& ctx, const std::string& key, const std::string& token, Report& r) {
  okta::Call call{"GET", "/api/v1/users", "", true, "?limit=1"};
  okta::OktaResult<okta::Answer> answer = okta::SendForAnswer(ctx.okta, call, token);
  if (answer.ok()) {
    std::string remaining = answer->Header("x-rate-limit-remaining");
    std::string limit = answer->Header("x-rate-limit-limit");
    r.Ok(key, "Okta accepts it (GET /api/v1/users?limit=1" +
                  (remaining.empty() || limit.empty()
                       ? std::string()
                       : "; " + ForTerminal(remaining) + " of " + ForTerminal(limit) +
                             " such calls left this minute") +
                  ")");
    return true;
  }
  const okta::Failure& failure = answer.error();
  if (failure.okta && failure.okta->error_code == "E0000006") {
    // a valid token whose admin role may not list users: least privilege, e.g. a registration
    // token of a custom role that only creates them (what make run's MyAccount mode seeds)
    r.Ok(key, "Okta accepts it; it may not list users (an admin role without okta.users.read)");
    return true;
  }
  Explained explained = Explain(failure, key);
  if (explained.exit_code == kExitUnavailable) {
    r.Unreachable("ORG_URL", "not checked " + key + ": " + explained.message);
  } else if (explained.exit_code == kExitConfig && explained.message.starts_with(key)) {
    r.Problem(key, explained.message.substr(key.size() + 2));
  } else {
    r.Problem(key, "GET /api/v1/users?limit=1 failed: " + explained.message);
  }
  return false;
}

// The tutorial's attributes are in the default user schema, and users may edit them (the form is
// drawn from the schema: profile/profile_schema.h).
void CheckSchema(const Context& ctx, Report& r) {
  okta::SchemaClient client(ctx.okta);
  auto schema = client.GetUserSchema(ctx.config.user_profile_token);
  if (!schema.ok()) {
    Explained explained = Explain(schema.error(), "USER_PROFILE_TOKEN");
    if (explained.exit_code == kExitUnavailable) {
      r.Unreachable("schema", "not checked: " + explained.message);
    } else {
      r.Problem("schema", "the default user schema could not be read: " + explained.message);
    }
    return;
  }
  size_t missing = 0;
  for (const form::FieldSpec& field : profile::kProfileFields) {
    std::string name(field.name);
    const json::Value* attribute = schema->Attribute(name);
    if (attribute == nullptr) {
      ++missing;
      r.Problem("schema." + name,
                "the profile form shows " + name +
                    ", which the default user schema lacks: the form leaves it out. Fix: add it "
                    "as a custom attribute of type string (userdesk-admin schema apply, or Admin "
                    "console > Directory > Profile Editor > User (default))");
      continue;
    }
    // the form is drawn from the schema: what SELF may not write is shown read-only
    std::string action = "READ_ONLY";  // Okta's default for a new attribute
    if (const json::Value* permissions = json::GetArray(*attribute, "permissions")) {
      for (const json::Value& p : permissions->GetArray()) {
        if (json::GetString(p, "principal").value_or("") == "SELF") {
          action = json::GetString(p, "action").value_or(action);
        }
      }
    }
    if (action != "READ_WRITE") {
      ++missing;
      r.Problem(
          "schema." + name,
          "users cannot edit " + name + ": its user permission is " + ForTerminal(action) +
              ", so the profile form " + (action == "HIDE" ? "hides it" : "shows it read-only") +
              ". Fix: set User permission to Read-Write (Profile Editor), or \"permissions\": "
              "[{\"principal\": \"SELF\", \"action\": \"READ_WRITE\"}] with userdesk-admin "
              "schema apply");
    }
  }
  if (missing == 0) {
    r.Ok("schema", "the default user schema lets users edit the " +
                       std::to_string(std::size(profile::kProfileFields)) +
                       " attributes of the tutorial's profile form");
  }
}

}  // namespace

int ExitCodeOf(const CheckReport& report) {
  if (report.config_unusable) return kExitConfig;
  bool unreachable = false;
  for (const Finding& f : report.findings) {
    if (f.verdict == Verdict::kProblem) return kExitProblems;
    unreachable = unreachable || f.verdict == Verdict::kUnreachable;
  }
  return unreachable ? kExitUnavailable : kExitOk;
}

CheckReport RunCheck() {
  Report r;
  config::Requirements needs;
  needs.okta_client = needs.registration = needs.user_profile = true;
  std::ostringstream problems;
  std::optional<Context> loaded = LoadContext(needs, problems);
  if (!loaded) {
    std::istringstream lines(problems.str());
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("config: ")) line = line.substr(8);
      std::string key = KeyOf(line);
      r.Problem(key, key == "config" ? line : line.substr(key.size() + 1));
    }
    r.report().config_unusable = true;
    return r.report();
  }
  const Context& ctx = *loaded;
  r.Ok("config", ForTerminal(ctx.env_file) + ": every key is valid");
  CheckTemplates(ctx.config, r);
  CheckHostUrl(ctx.config, r);

  oidc::ProviderOptions options;
  options.issuer = ctx.config.issuer;
  options.http = {ctx.config.http_connect_timeout_ms, ctx.config.http_timeout_ms, "oidc"};
  oidc::Provider provider(options);
  if (CheckDiscovery(ctx.config, provider, r)) {
    bool known = CheckClient(ctx.config, provider, r);
    CheckClientSecret(ctx.config, provider, known, r);
  } else {
    r.Note("CLIENT_ID/CLIENT_SECRET", "not checked: they need the issuer's discovery");
  }

  CheckToken(ctx, "REGISTRATION_TOKEN", ctx.config.registration_token, r);
  if (ctx.config.user_profile_token.empty() &&
      ctx.config.profile_api == config::ProfileApi::kMyAccount) {
    r.Note("USER_PROFILE_TOKEN",
           "not set: PROFILE_API=myaccount reads and writes profiles with each user's own token");
    r.Note("schema", "not checked: it is read with USER_PROFILE_TOKEN");
  } else if (CheckToken(ctx, "USER_PROFILE_TOKEN", ctx.config.user_profile_token, r)) {
    CheckSchema(ctx, r);
  } else {
    r.Note("schema", "not checked: it is read with USER_PROFILE_TOKEN");
  }
  return r.report();
}

void PrintCheck(const CheckReport& report, bool as_json, std::ostream& out) {
  static constexpr const char* kWords[] = {"ok", "PROBLEM", "UNREACHABLE", "note"};
  static constexpr const char* kJsonWords[] = {"ok", "problem", "unreachable", "note"};
  int exit_code = ExitCodeOf(report);
  if (as_json) {
    json::Document doc(rapidjson::kObjectType);
    json::Allocator& a = doc.GetAllocator();
    doc.AddMember("ok", exit_code == kExitOk, a);
    doc.AddMember("exitCode", exit_code, a);
    json::Value findings(rapidjson::kArrayType);
    for (const Finding& f : report.findings) {
      json::Value item(rapidjson::kObjectType);
      item.AddMember("verdict", json::Str(kJsonWords[static_cast<int>(f.verdict)], a), a);
      item.AddMember("subject", json::Str(f.subject, a), a);
      item.AddMember("text", json::Str(f.text, a), a);
      findings.PushBack(item, a);
    }
    doc.AddMember("findings", findings, a);
    out << json::Write(doc) << "\n";
    return;
  }
  size_t problems = 0, unreachable = 0;
  for (const Finding& f : report.findings) {
    std::string word = kWords[static_cast<int>(f.verdict)];
    word.resize(11, ' ');
    out << word << " " << f.subject << ": " << f.text << "\n";
    problems += f.verdict == Verdict::kProblem;
    unreachable += f.verdict == Verdict::kUnreachable;
  }
  if (exit_code == kExitOk) {
    out << "userdesk-admin check: all is well\n";
    return;
  }
  out << "userdesk-admin check: " << problems << " problem(s)";
  if (unreachable > 0) out << ", " << unreachable << " check(s) without an answer";
  out << " (exit " << exit_code << ")\n";
}

int CheckCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--json"}, {}, 0, 0}, err);
  if (!args) return kExitUsage;
  CheckReport report = RunCheck();
  PrintCheck(report, args->Has("--json"), out);
  return ExitCodeOf(report);
}

}  // namespace userdesk::admin
