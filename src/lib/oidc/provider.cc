#include "oidc/provider.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <utility>

#include "base/log.h"
#include "base/park.h"
#include "base/strings.h"
#include "crypto/random.h"
#include "http/cgi_parse.h"

namespace userdesk::oidc {
namespace {

constexpr char kLog[] = "oidc";
// An error_description is the provider's text: keep what reaches our log short.
constexpr size_t kMaxDescriptionBytes = 200;

// One cached document (discovery, JWKS) as an immutable snapshot: readers copy the shared_ptr
// under a short lock and never see a half-updated value. Loads are single-flight: whoever loads
// holds the flight lock for the whole network call, and callers that need the answer wait on it
// instead of starting a second fetch. A failed load starts a backoff during which no load runs.
template <typename T>
class SnapshotCache {
 public:
  using Ptr = std::shared_ptr<const T>;
  struct Snapshot {
    Ptr value;
    int64_t fetched_at = 0;
  };

  explicit SnapshotCache(const std::function<int64_t()>& now) : now_(now) {}

  Snapshot Peek() const {
    std::lock_guard<std::mutex> lock(mu_);
    return {value_, fetched_at_};
  }

  // An unowned lock when another thread is loading and wait is false, or when waiting for it
  // was refused (too many requests wait already: base/park.h).
  std::unique_lock<std::mutex> LockFlight(bool wait) {
    std::unique_lock<std::mutex> flight(flight_mu_, std::try_to_lock);
    if (flight.owns_lock() || !wait) return flight;
    park::Scope parked;  // the loader is out on the network: wait without holding a thread
    if (parked.admitted()) flight.lock();
    return flight;
  }

  // The error to answer at once while a backoff runs.
  std::optional<Error> Backoff() const {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = now_();
    if (!last_error_ || now >= retry_at_) return std::nullopt;
    return MakeError(last_error_->code, last_error_->detail + " (no retry for " +
                                            std::to_string(retry_at_ - now) + " s)");
  }

  // Call with the flight lock held. Network I/O happens here, outside mu_.
  Result<Ptr> Load(const std::function<Result<Ptr>()>& load) {
    Result<Ptr> loaded = load();
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = now_();
    if (loaded.ok()) {
      value_ = *loaded;
      fetched_at_ = now;
      backoff_seconds_ = 0;
      last_error_.reset();
    } else if (!park::IsBusy(loaded.error())) {  // our own overload says nothing of the provider
      backoff_seconds_ =
          backoff_seconds_ == 0 ? 1 : std::min(backoff_seconds_ * 2, kMaxBackoffSeconds);
      retry_at_ = now + backoff_seconds_;
      last_error_ = loaded.error();
    }
    return loaded;
  }

 private:
  const std::function<int64_t()>& now_;
  std::mutex flight_mu_;
  mutable std::mutex mu_;  // guards everything below; never held during I/O
  Ptr value_;
  int64_t fetched_at_ = 0;
  int64_t backoff_seconds_ = 0;
  int64_t retry_at_ = 0;
  std::optional<Error> last_error_;
};

// The key set together with the jwks_uri it came from: a discovery re-read may move it.
struct KeySet {
  std::string uri;
  std::vector<jose::RsaPublicJwk> keys;
};
using KeysPtr = std::shared_ptr<const std::vector<jose::RsaPublicJwk>>;

KeysPtr KeysOf(const std::shared_ptr<const KeySet>& set) {
  return KeysPtr(set, &set->keys);  // aliasing: the vector lives as long as its KeySet
}

bool HasKid(const KeySet& set, std::string_view kid) {
  return std::any_of(set.keys.begin(), set.keys.end(),
                     [&](const jose::RsaPublicJwk& k) { return k.kid == kid; });
}

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Error Unusable(std::string detail) {
  return MakeError(ErrorCode::kUpstreamUnavailable, std::move(detail));
}

// OpenID Connect Discovery 1.0 §4: a terminating '/' of the issuer is dropped before the suffix.
std::string DiscoveryUrl(std::string_view issuer) {
  if (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return std::string(issuer) + "/.well-known/openid-configuration";
}

// An endpoint member: absent is fine unless required; present, it must be an absolute http(s)
// URL, and https whenever the issuer is (Discovery §3 wants TLS for every endpoint).
std::optional<Error> ReadEndpoint(const json::Value& doc, std::string_view key, bool required,
                                  bool https_only, std::string* out) {
  const json::Value* member = json::Member(doc, key);
  if (member == nullptr) {
    if (!required) return std::nullopt;
    return Unusable("discovery document has no " + std::string(key));
  }
  std::optional<std::string> value = json::GetString(doc, key);
  if (!value || value->empty()) {
    return Unusable("discovery " + std::string(key) + " is not a non-empty string");
  }
  bool https = value->starts_with("https://");
  if (!https && (https_only || !value->starts_with("http://"))) {
    return Unusable("discovery " + std::string(key) + " is not an " +
                    (https_only ? "https" : "http(s)") + " URL");
  }
  *out = std::move(*value);
  return std::nullopt;
}

}  // namespace

Result<ProviderMetadata> ParseProviderMetadata(std::string_view body, const std::string& issuer) {
  std::optional<json::Document> doc = json::ParseObject(body);
  if (!doc) return Unusable("discovery document is not a JSON object");
  ProviderMetadata md;
  std::optional<std::string> found = json::GetString(*doc, "issuer");
  if (!found) return Unusable("discovery document has no issuer");
  // Discovery §4.3: the issuer must be exactly the one we asked, or the document is not ours
  if (*found != issuer) {
    return Unusable("discovery issuer \"" + *found + "\" is not the configured \"" + issuer + "\"");
  }
  md.issuer = *found;
  bool https_only = issuer.starts_with("https://");
  struct Endpoint {
    const char* key;
    bool required;
    std::string* out;
  };
  const Endpoint endpoints[] = {
      {"authorization_endpoint", true, &md.authorization_endpoint},
      {"token_endpoint", true, &md.token_endpoint},
      {"jwks_uri", true, &md.jwks_uri},
      {"userinfo_endpoint", false, &md.userinfo_endpoint},
      {"end_session_endpoint", false, &md.end_session_endpoint},
      {"revocation_endpoint", false, &md.revocation_endpoint},
  };
  for (const Endpoint& e : endpoints) {
    if (auto error = ReadEndpoint(*doc, e.key, e.required, https_only, e.out)) return *error;
  }
  return md;
}

namespace {

// The common answer to a failed call or a status that is not the one expected: unreachable and
// overloaded providers are "try again later", anything else is an unusable answer.
Error StatusError(std::string_view what, long status) {
  ErrorCode code =
      status >= 500 || status == 429 ? ErrorCode::kUnavailable : ErrorCode::kUpstreamUnavailable;
  return MakeError(code, std::string(what) + " answered HTTP " + std::to_string(status));
}

http::OutgoingRequest Get(std::string url) {
  http::OutgoingRequest request;
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}};
  return request;
}

std::string Truncated(std::string text) {
  if (text.size() > kMaxDescriptionBytes) text.resize(kMaxDescriptionBytes);
  return text;
}

// RFC 6749 §5.2: {"error": ..., "error_description": ...}; nullopt when the body is not one.
std::optional<std::string> OAuthError(std::string_view body) {
  std::optional<json::Document> doc = json::ParseObject(body);
  if (!doc) return std::nullopt;
  std::optional<std::string> error = json::GetString(*doc, "error");
  if (!error || error->empty()) return std::nullopt;
  std::string text = Truncated(*error);
  if (auto description = json::GetString(*doc, "error_description")) {
    text += " (" + Truncated(*description) + ")";
  }
  return text;
}

// need_id_token: the code exchange's answer must have one (OpenID Connect Core §3.1.3.3), a
// refresh's may leave it out (§12.2).
Result<TokenResponse> ParseTokenResponse(std::string_view body, bool need_id_token = true) {
  std::optional<json::Document> doc = json::ParseObject(body);
  if (!doc) return Unusable("token response is not a JSON object");
  TokenResponse tokens;
  tokens.id_token = json::GetString(*doc, "id_token").value_or("");
  tokens.access_token = json::GetString(*doc, "access_token").value_or("");
  tokens.token_type = json::GetString(*doc, "token_type").value_or("");
  tokens.expires_in = json::GetInt(*doc, "expires_in").value_or(0);
  tokens.refresh_token = json::GetString(*doc, "refresh_token").value_or("");
  tokens.scope = json::GetString(*doc, "scope").value_or("");
  // OpenID Connect Core §3.1.3.3: an ID token is required, and the token type is Bearer
  if (need_id_token && tokens.id_token.empty()) return Unusable("token response has no id_token");
  if (tokens.access_token.empty()) return Unusable("token response has no access_token");
  if (AsciiLower(tokens.token_type) != "bearer") {
    return Unusable("token response token_type is \"" + Truncated(tokens.token_type) +
                    "\", not Bearer");
  }
  return tokens;
}

}  // namespace

struct Provider::State {
  explicit State(ProviderOptions o)
      : options(std::move(o)), metadata(options.now), jwks(options.now) {}

  Result<std::shared_ptr<const ProviderMetadata>> LoadMetadata() const {
    if (!options.issuer.starts_with("https://") && !options.issuer.starts_with("http://")) {
      return MakeError(ErrorCode::kInternal, "the configured issuer is not an http(s) URL");
    }
    Result<http::IncomingResponse> res =
        http::Fetch(Get(DiscoveryUrl(options.issuer)), options.http);
    if (!res) return res.error();
    if (res->status != 200) return StatusError("discovery", res->status);
    Result<ProviderMetadata> md = ParseProviderMetadata(res->body, options.issuer);
    if (!md) return md.error();
    return std::make_shared<const ProviderMetadata>(std::move(*md));
  }

  Result<std::shared_ptr<const KeySet>> LoadKeys(const std::string& uri) const {
    Result<http::IncomingResponse> res = http::Fetch(Get(uri), options.http);
    if (!res) return res.error();
    if (res->status != 200) return StatusError("jwks_uri", res->status);
    Result<std::vector<jose::RsaPublicJwk>> keys = jose::ParseJwks(res->body);
    if (!keys) return Unusable("JWKS: " + keys.error().detail);
    if (keys->empty()) return Unusable("JWKS has no RSA signing key");
    return std::make_shared<const KeySet>(KeySet{uri, std::move(*keys)});
  }

  ProviderOptions options;
  SnapshotCache<ProviderMetadata> metadata;
  SnapshotCache<KeySet> jwks;
  // when an unknown kid last caused a JWKS refetch; guarded by the jwks flight lock
  std::optional<int64_t> kid_refetched_at;
};

Provider::Provider(ProviderOptions options) {
  if (!options.now) options.now = SteadySeconds;
  state_ = std::make_unique<State>(std::move(options));
}

Provider::~Provider() = default;

const std::string& Provider::issuer() const { return state_->options.issuer; }

Result<std::shared_ptr<const ProviderMetadata>> Provider::Metadata() {
  State& s = *state_;
  auto fresh = [&](const SnapshotCache<ProviderMetadata>::Snapshot& snap) {
    return snap.value && s.options.now() - snap.fetched_at < s.options.metadata_ttl_seconds;
  };
  auto snap = s.metadata.Peek();
  if (fresh(snap)) return snap.value;
  if (auto error = s.metadata.Backoff()) {
    if (snap.value) return snap.value;
    return *error;
  }
  // With an older document in hand nobody waits for a re-read that another thread is doing.
  auto flight = s.metadata.LockFlight(/*wait=*/!snap.value);
  if (!flight.owns_lock()) {
    if (snap.value) return snap.value;
    return park::BusyError("discovery");
  }
  snap = s.metadata.Peek();  // another thread may have loaded, or failed, while we waited
  if (fresh(snap)) return snap.value;
  if (auto error = s.metadata.Backoff()) {
    if (snap.value) return snap.value;
    return *error;
  }
  auto loaded = s.metadata.Load([&] { return s.LoadMetadata(); });
  if (loaded.ok()) return loaded;
  if (snap.value) {
    log::Warn(kLog,
              "discovery re-read failed, keeping the cached document: " + loaded.error().detail);
    return snap.value;
  }
  log::Warn(kLog, "discovery failed: " + loaded.error().detail);
  return loaded;
}

Result<std::shared_ptr<const std::vector<jose::RsaPublicJwk>>> Provider::KeysFor(
    std::string_view kid) {
  auto md = Metadata();
  if (!md) return md.error();
  State& s = *state_;
  const std::string& uri = (*md)->jwks_uri;
  auto usable = [&](const SnapshotCache<KeySet>::Snapshot& snap) {
    return snap.value && snap.value->uri == uri &&
           s.options.now() - snap.fetched_at < s.options.jwks_ttl_seconds;
  };
  auto fits = [&](const SnapshotCache<KeySet>::Snapshot& snap) {
    return usable(snap) && (kid.empty() || HasKid(*snap.value, kid));
  };
  auto snap = s.jwks.Peek();
  if (fits(snap)) return KeysOf(snap.value);
  if (auto error = s.jwks.Backoff()) {
    if (snap.value) return KeysOf(snap.value);
    return *error;
  }
  // Always wait: a thread holding a new kid needs the refetch that another thread may be doing.
  auto flight = s.jwks.LockFlight(/*wait=*/true);
  if (!flight.owns_lock()) return park::BusyError("JWKS");
  snap = s.jwks.Peek();
  if (fits(snap)) return KeysOf(snap.value);
  if (auto error = s.jwks.Backoff()) {
    if (snap.value) return KeysOf(snap.value);
    return *error;
  }
  if (usable(snap)) {
    // The kid is unknown. Refetch (rotation), but at most once per interval: kids are chosen
    // by whoever sends us a token, so a flood of made-up ones must not become a flood of fetches.
    int64_t now = s.options.now();
    if (s.kid_refetched_at && now - *s.kid_refetched_at < s.options.jwks_min_refetch_seconds) {
      return KeysOf(snap.value);
    }
    s.kid_refetched_at = now;
    log::Info(kLog, "unknown kid in a token: refetching the JWKS");
  }
  auto loaded = s.jwks.Load([&] { return s.LoadKeys(uri); });
  if (loaded.ok()) return KeysOf(*loaded);
  if (snap.value) {
    log::Warn(kLog, "JWKS refetch failed, keeping the cached keys: " + loaded.error().detail);
    return KeysOf(snap.value);
  }
  log::Warn(kLog, "JWKS fetch failed: " + loaded.error().detail);
  return loaded.error();
}

Result<http::IncomingResponse> Provider::PostCodeGrant(std::string_view code,
                                                       std::string_view code_verifier,
                                                       std::string_view redirect_uri,
                                                       std::string_view client_id,
                                                       std::string_view client_secret) {
  std::string body = "grant_type=authorization_code&code=" + http::FormUrlEncode(code) +
                     "&redirect_uri=" + http::FormUrlEncode(redirect_uri);
  if (!code_verifier.empty()) body += "&code_verifier=" + http::FormUrlEncode(code_verifier);
  return PostGrant(std::move(body), client_id, client_secret);
}

Result<http::IncomingResponse> Provider::PostGrant(std::string body, std::string_view client_id,
                                                   std::string_view client_secret,
                                                   std::string ProviderMetadata::*endpoint) {
  auto md = Metadata();
  if (!md) return md.error();
  if (((**md).*endpoint).empty()) {
    return MakeError(ErrorCode::kNotImplemented, "the provider has no such endpoint");
  }
  http::OutgoingRequest request;
  request.method = "POST";
  request.url = (**md).*endpoint;
  request.headers = {{"Authorization", http::BasicAuthorization(client_id, client_secret)},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = std::move(body);
  return http::Fetch(request, state_->options.http);
}

Result<TokenResponse> Provider::Refresh(std::string_view refresh_token, std::string_view client_id,
                                        std::string_view client_secret) {
  Result<http::IncomingResponse> res =
      PostGrant("grant_type=refresh_token&refresh_token=" + http::FormUrlEncode(refresh_token),
                client_id, client_secret);
  if (!res) return res.error();
  if (res->status == 400 || res->status == 401) {
    // RFC 6749 §5.2: the refresh token (expired, revoked, reused after rotation) or our
    // credentials were refused; either way the stored tokens are of no more use
    if (std::optional<std::string> error = OAuthError(res->body)) {
      return MakeError(ErrorCode::kUnauthenticated,
                       "token endpoint refused the refresh token: " + *error, Reason::kSignInAgain);
    }
  }
  if (res->status != 200) return StatusError("token endpoint", res->status);
  return ParseTokenResponse(res->body, /*need_id_token=*/false);
}

Result<TokenResponse> Provider::ExchangeCode(std::string_view code, std::string_view code_verifier,
                                             std::string_view redirect_uri,
                                             std::string_view client_id,
                                             std::string_view client_secret) {
  Result<http::IncomingResponse> res =
      PostCodeGrant(code, code_verifier, redirect_uri, client_id, client_secret);
  if (!res) return res.error();
  if (res->status == 400 || res->status == 401) {
    // RFC 6749 §5.2: the code, verifier, redirect_uri or our credentials were refused
    if (std::optional<std::string> error = OAuthError(res->body)) {
      return MakeError(ErrorCode::kInvalidArgument, "token endpoint refused the code: " + *error,
                       Reason::kCodeRefused);
    }
  }
  if (res->status != 200) return StatusError("token endpoint", res->status);
  return ParseTokenResponse(res->body);
}

Status Provider::RevokeRefreshToken(std::string_view refresh_token, std::string_view client_id,
                                    std::string_view client_secret) {
  Result<http::IncomingResponse> res =
      PostGrant("token=" + http::FormUrlEncode(refresh_token) + "&token_type_hint=refresh_token",
                client_id, client_secret, &ProviderMetadata::revocation_endpoint);
  if (!res) return res.error();
  if (res->status == 200) return OkStatus();
  if (std::optional<std::string> error = OAuthError(res->body)) {
    return MakeError(ErrorCode::kUpstreamUnavailable,
                     "revocation endpoint refused the request: " + *error);
  }
  return StatusError("revocation endpoint", res->status);
}

Result<ProbeAnswer> Provider::ProbeClientCredentials(std::string_view client_id,
                                                     std::string_view client_secret,
                                                     std::string_view redirect_uri) {
  // 256 random bits: a code no authorization ever issued, and a well-formed PKCE verifier
  Result<http::IncomingResponse> res = PostCodeGrant(crypto::RandomToken(), crypto::RandomToken(),
                                                     redirect_uri, client_id, client_secret);
  if (!res) return res.error();
  ProbeAnswer answer;
  answer.status = res->status;
  if (std::optional<json::Document> doc = json::ParseObject(res->body)) {
    answer.error = Truncated(json::GetString(*doc, "error").value_or(""));
    answer.description = Truncated(json::GetString(*doc, "error_description").value_or(""));
  }
  return answer;
}

Result<ProbeAnswer> Provider::ProbeAuthorization(std::string_view client_id,
                                                 std::string_view redirect_uri) {
  auto md = Metadata();
  if (!md) return md.error();
  std::string state = crypto::RandomToken(16);
  http::OutgoingRequest request = Get(
      http::AppendQuery((*md)->authorization_endpoint, {{"client_id", std::string(client_id)},
                                                        {"redirect_uri", std::string(redirect_uri)},
                                                        {"response_type", "code"},
                                                        {"scope", "openid"},
                                                        {"state", state},
                                                        {"prompt", "none"},
                                                        {"code_challenge", crypto::RandomToken()},
                                                        {"code_challenge_method", "S256"}}));
  request.headers = {{"Accept", "text/html"}};
  Result<http::IncomingResponse> res = http::Fetch(request, state_->options.http);
  if (!res) return res.error();
  ProbeAnswer answer;
  answer.status = res->status;
  std::string location = res->Header("location");
  // the redirect_uri itself, then its query (or, for response_mode=fragment, a fragment)
  bool to_uri = location.starts_with(redirect_uri) &&
                (location.size() == redirect_uri.size() || location[redirect_uri.size()] == '?' ||
                 location[redirect_uri.size()] == '#' || location[redirect_uri.size()] == '&');
  if (res->status >= 300 && res->status <= 399 && to_uri) {
    answer.redirected = true;
    size_t query = location.find_first_of("?#", redirect_uri.size());
    if (query != std::string::npos) {
      http::Params params = http::ParseUrlEncoded(std::string_view(location).substr(query + 1));
      auto first = [&params](std::string_view name) {
        auto it = params.find(name);
        return it == params.end() ? std::string() : Truncated(it->second);
      };
      answer.error = first("error");
      answer.description = first("error_description");
    }
  }
  return answer;
}

Result<json::Document> Provider::UserInfo(std::string_view access_token) {
  auto md = Metadata();
  if (!md) return md.error();
  if ((*md)->userinfo_endpoint.empty()) return Unusable("the provider has no userinfo_endpoint");
  http::OutgoingRequest request = Get((*md)->userinfo_endpoint);
  // RFC 6750 §2.1: the header, never the query string (URLs end up in logs and referrers)
  request.headers.emplace_back("Authorization", "Bearer " + std::string(access_token));

  Result<http::IncomingResponse> res = http::Fetch(request, state_->options.http);
  if (!res) return res.error();
  if (res->status == 401 || res->status == 403) {
    std::string detail = "userinfo answered HTTP " + std::to_string(res->status);
    if (std::string challenge = res->Header("www-authenticate"); !challenge.empty()) {
      detail += ": " + Truncated(challenge);
    }
    return MakeError(
        res->status == 401 ? ErrorCode::kUnauthenticated : ErrorCode::kPermissionDenied, detail);
  }
  if (res->status != 200) return StatusError("userinfo", res->status);
  if (StartsWithIgnoringCase(res->Header("content-type"), "application/jwt")) {
    return Unusable("userinfo answered a signed JWT, which we never ask for");
  }
  std::optional<json::Document> doc = json::ParseObject(res->body);
  if (!doc) return Unusable("userinfo is not a JSON object");
  // OpenID Connect Core §5.3.2: sub is always returned
  if (!json::GetString(*doc, "sub")) return Unusable("userinfo has no sub");
  return std::move(*doc);
}

}  // namespace userdesk::oidc
