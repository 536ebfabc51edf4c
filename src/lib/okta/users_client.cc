#include "okta/users_client.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <thread>

#include "base/iso_time.h"
#include "base/log.h"
#include "base/strings.h"
#include "json/json.h"

namespace userdesk::okta {
namespace {

constexpr std::string_view kUsersPath = "/api/v1/users";

Failure FailureOf(Error error) {
  Failure failure;
  failure.error = std::move(error);
  return failure;
}

// One call of the Users API, as the log and the error detail name it.
struct Call {
  std::string method;
  std::string path;  // /api/v1/users[/<escaped id>[/...]], as the log names the call
  std::string body;  // JSON; empty for GET
  bool idempotent = false;
  std::string query;  // "?activate=true": flags only, never a value from a user
};

// ORG_URL with or without trailing slashes.
std::string_view OrgBase(std::string_view org_url) {
  while (!org_url.empty() && org_url.back() == '/') org_url.remove_suffix(1);
  return org_url;
}

// "/api/v1/users/<id>", or nullopt when the id would not name one user: an empty id is the list
// endpoint, and "." or ".." would be resolved away as dot segments.
std::optional<std::string> UserPath(std::string_view user_id) {
  if (user_id.empty() || user_id == "." || user_id == "..") return std::nullopt;
  std::string escaped = http::EscapePathSegment(user_id);
  if (escaped.empty()) return std::nullopt;
  return std::string(kUsersPath) + "/" + escaped;
}

http::OutgoingRequest BuildRequest(const ClientOptions& options, const Call& call,
                                   std::string_view api_token) {
  http::OutgoingRequest request;
  request.method = call.method;
  request.url = std::string(OrgBase(options.org_url)) + call.path + call.query;
  request.body = call.body;
  request.headers = {{"Authorization", "SSWS " + std::string(api_token)},
                     {"Accept", "application/json"},
                     {"User-Agent", "userdesk"}};
  if (!call.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  return request;
}

// "GET /api/v1/users/00u1 404 E0000007 'Not found: ...' errorId=oae1": what error.detail says.
// Never a token, a body or a profile value.
std::string Describe(const Call& call, long status, const std::optional<OktaError>& okta) {
  std::string out = call.method + " " + call.path + " " + std::to_string(status);
  if (!okta) return out + " (no Okta error object)";
  out += " " + okta->error_code;
  if (!okta->error_summary.empty()) out += " '" + okta->error_summary + "'";
  if (!okta->error_id.empty()) out += " errorId=" + okta->error_id;
  return out;
}

// The app's meaning of an HTTP status that is not a success (see Failure in the header).
ErrorCode CodeFor(long status, const std::optional<OktaError>& okta) {
  if (status == 400 && okta && okta->error_code == "E0000001") return ErrorCode::kUnprocessable;
  if (status == 404) return ErrorCode::kNotFound;
  if (status == 409) return ErrorCode::kAlreadyExists;
  if (status == 429) return ErrorCode::kRateLimited;
  if (status >= 500 && status <= 599) return ErrorCode::kUnavailable;
  // 401/403: the API token is refused or lacks rights; other 4xx, 1xx and 3xx: the app asked
  // something Okta does not serve. Either way a configuration or app bug, not the user's.
  return ErrorCode::kUpstreamUnavailable;
}

void LogFailure(const ClientOptions& options, const Call& call, const Failure& failure,
                long status) {
  std::string line = call.method + " " + call.path + " failed: " + ToString(failure.error.code);
  if (status != 0) line += " (HTTP " + std::to_string(status) + ")";
  if (failure.okta) {
    line += " errorCode=" + failure.okta->error_code;
    if (!failure.okta->error_id.empty()) line += " errorId=" + failure.okta->error_id;
  }
  if (failure.retry_after_seconds > 0) {
    line += " retryAfter=" + std::to_string(failure.retry_after_seconds) + "s";
  }
  // "no such user" is an answer, not a fault (an unknown address on the reset page)
  if (failure.error.code == ErrorCode::kNotFound) {
    log::Info(options.http.component, line);
  } else {
    log::Warn(options.http.component, line);
  }
}

Failure FailureFor(const Call& call, const http::IncomingResponse& response,
                   std::optional<int64_t> wait_ms) {
  Failure failure = FailureOf(MakeError(ErrorCode::kUpstreamUnavailable, ""));
  failure.okta = ParseOktaError(response.body, response.status);
  failure.error = MakeError(CodeFor(response.status, failure.okta),
                            Describe(call, response.status, failure.okta));
  if (response.status == 429 && wait_ms) {
    int64_t seconds = std::max<int64_t>(1, (*wait_ms + 999) / 1000);
    failure.retry_after_seconds = static_cast<int>(std::min<int64_t>(seconds, 24 * 3600));
  }
  return failure;
}

// Sends the call, waits out a 429 and retries an idempotent call as ClientOptions allow, and
// returns the body of a 2xx answer, or a Failure (logged once).
OktaResult<std::string> Send(const ClientOptions& options, const Call& call,
                             std::string_view api_token) {
  http::OutgoingRequest request = BuildRequest(options, call, api_token);
  for (int retries = 0;; ++retries) {
    Result<http::IncomingResponse> fetched = http::Fetch(request, options.http);
    if (!fetched.ok()) {
      Failure failure = FailureOf(fetched.error());  // Fetch's detail: method, loggable URL, reason
      LogFailure(options, call, failure, 0);
      return failure;
    }
    const http::IncomingResponse& response = *fetched;
    if (response.status >= 200 && response.status <= 299) return std::move(fetched).value().body;
    std::optional<int64_t> wait_ms;
    if (response.status == 429) {
      wait_ms = RateLimitWaitMs(response.Header("x-rate-limit-reset"), response.Header("date"),
                                NowUnixMs());
    }
    if (response.status == 429 && call.idempotent && retries < options.max_retries && wait_ms &&
        *wait_ms <= options.max_rate_limit_wait_ms) {
      log::Info(options.http.component, call.method + " " + call.path + " 429: retry " +
                                            std::to_string(retries + 1) + " of " +
                                            std::to_string(options.max_retries) + " in " +
                                            std::to_string(*wait_ms) + "ms");
      std::this_thread::sleep_for(std::chrono::milliseconds(*wait_ms));
      // as Okta's SDKs mark a retry, for Okta's support and the System Log
      std::erase_if(request.headers, [](const auto& h) { return h.first.starts_with("X-Okta-"); });
      request.headers.emplace_back("X-Okta-Retry-Count", std::to_string(retries + 1));
      if (std::string id = response.Header("x-okta-request-id"); !id.empty()) {
        request.headers.emplace_back("X-Okta-Retry-For", id);
      }
      continue;
    }
    Failure failure = FailureFor(call, response, wait_ms);
    LogFailure(options, call, failure, response.status);
    return failure;
  }
}

// Send, then the user the answer holds.
OktaResult<User> Perform(const ClientOptions& options, const Call& call,
                         std::string_view api_token) {
  OktaResult<std::string> body = Send(options, call, api_token);
  if (!body.ok()) return body.error();
  Result<User> user = ParseUser(*body);
  if (user.ok()) return std::move(user).value();
  Failure failure = FailureOf(MakeError(
      ErrorCode::kUpstreamUnavailable, call.method + " " + call.path + ": " + user.error().detail));
  LogFailure(options, call, failure, 0);
  return failure;
}

Failure InvalidUserId(const std::string& method) {
  return FailureOf(MakeError(ErrorCode::kInvalidArgument,
                             method + " " + std::string(kUsersPath) + "/: not a user id"));
}

// A scalar's text: strings as they are, numbers and booleans as their JSON text.
std::optional<std::string> ScalarText(const json::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool() || v.IsNumber()) return json::Write(v);
  return std::nullopt;
}

// A profile attribute as User::profile holds it; nullopt for null, an object, or an array with
// an object or array in it.
std::optional<std::string> ProfileText(const json::Value& v) {
  if (auto scalar = ScalarText(v)) return scalar;
  if (!v.IsArray()) return std::nullopt;
  std::string joined;
  bool first = true;
  for (const json::Value& item : v.GetArray()) {
    if (item.IsNull()) continue;
    std::optional<std::string> text = ScalarText(item);
    if (!text) return std::nullopt;
    if (!first) joined += ", ";
    joined += *text;
    first = false;
  }
  return joined;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const std::string& User::Attribute(const std::string& name) const {
  static const std::string kEmpty;
  auto it = profile.find(name);
  return it == profile.end() ? kEmpty : it->second;
}

ClientOptions OptionsFrom(const config::Config& config) {
  ClientOptions options;
  options.org_url = config.org_url;
  options.http = {config.http_connect_timeout_ms, config.http_timeout_ms, "okta"};
  options.max_rate_limit_wait_ms = config.okta_rate_limit_wait_ms;
  return options;
}

UsersClient::UsersClient(ClientOptions options) : options_(std::move(options)) {}

OktaResult<User> UsersClient::GetUser(std::string_view api_token, std::string_view user_id) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("GET");
  return Perform(options_, Call{"GET", *path, "", true, ""}, api_token);
}

OktaResult<User> UsersClient::UpdateProfile(std::string_view api_token, std::string_view user_id,
                                            const std::vector<ProfileChange>& changes) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("POST");
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value profile(rapidjson::kObjectType);
  for (const auto& [name, value] : changes) {
    // a name given twice is sent once, with its last value
    profile.RemoveMember(json::Str(name, a));
    json::Value v = value ? json::Str(*value, a) : json::Value(rapidjson::kNullType);
    profile.AddMember(json::Str(name, a), v, a);
  }
  doc.AddMember("profile", profile, a);
  return Perform(options_, Call{"POST", *path, json::Write(doc), false, ""}, api_token);
}

OktaResult<User> UsersClient::CreateUser(std::string_view api_token, const NewUser& user,
                                         bool activate) const {
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value profile(rapidjson::kObjectType);
  for (const auto& [name, value] : user.profile) {
    profile.AddMember(json::Str(name, a), json::Str(value, a), a);
  }
  doc.AddMember("profile", profile, a);
  if (!user.password.empty()) {
    json::Value password(rapidjson::kObjectType);
    password.AddMember("value", json::Str(user.password, a), a);
    json::Value credentials(rapidjson::kObjectType);
    credentials.AddMember("password", password, a);
    doc.AddMember("credentials", credentials, a);
  }
  Call call{"POST", std::string(kUsersPath), json::Write(doc), false,
            activate ? "?activate=true" : "?activate=false"};
  return Perform(options_, call, api_token);
}

OktaResult<Ok> UsersClient::ResetPassword(std::string_view api_token,
                                          std::string_view user_id) const {
  std::optional<std::string> path = UserPath(user_id);
  if (!path) return InvalidUserId("POST");
  Call call{"POST", *path + "/lifecycle/reset_password", "", false, "?sendEmail=true"};
  OktaResult<std::string> sent = Send(options_, call, api_token);
  if (!sent.ok()) return sent.error();
  return Ok{};
}

Result<User> ParseUser(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kUpstreamUnavailable, "user: not a JSON object");
  std::optional<std::string> id = json::GetString(*doc, "id");
  if (!id || id->empty()) return MakeError(ErrorCode::kUpstreamUnavailable, "user: no id");
  const json::Value* profile = json::GetObject(*doc, "profile");
  if (profile == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "user: no profile object");
  }
  User user;
  user.id = std::move(*id);
  user.status = json::GetString(*doc, "status").value_or("");
  user.last_updated = json::GetString(*doc, "lastUpdated").value_or("");
  user.last_updated_ms = ParseIsoTimestampMs(user.last_updated).value_or(0);
  for (const auto& m : profile->GetObject()) {
    if (std::optional<std::string> value = ProfileText(m.value)) {
      user.profile.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                           std::move(*value));
    }
  }
  return user;
}

std::optional<OktaError> ParseOktaError(std::string_view text, long http_status) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return std::nullopt;
  std::optional<std::string> code = json::GetString(*doc, "errorCode");
  if (!code || code->empty()) return std::nullopt;
  OktaError error;
  error.http_status = http_status;
  error.error_code = std::move(*code);
  error.error_summary = json::GetString(*doc, "errorSummary").value_or("");
  error.error_id = json::GetString(*doc, "errorId").value_or("");
  if (const json::Value* causes = json::GetArray(*doc, "errorCauses")) {
    for (const json::Value& cause : causes->GetArray()) {
      if (std::optional<std::string> summary = json::GetString(cause, "errorSummary")) {
        error.causes.push_back(std::move(*summary));
      }
    }
  }
  return error;
}

std::optional<int64_t> RateLimitWaitMs(std::string_view reset_header, std::string_view date_header,
                                       int64_t now_ms) {
  std::string_view reset = TrimSpace(reset_header);
  // digits only: a comma means duplicated headers, a sign or a fraction is not Okta's format;
  // twelve digits reach past the year 30000
  if (!AllDigits(reset) || reset.size() > 12) return std::nullopt;
  int64_t reset_seconds = 0;
  std::from_chars(reset.data(), reset.data() + reset.size(), reset_seconds);
  int64_t okta_now_ms = now_ms;
  // a Date has at most one comma ("Sun, 06 Nov ..."); more means duplicates joined together
  bool one_date = std::count(date_header.begin(), date_header.end(), ',') <= 1;
  if (std::optional<int64_t> date = http::ParseHttpDate(TrimSpace(date_header)); date && one_date)
    okta_now_ms = *date * 1000;
  return std::max<int64_t>(0, reset_seconds * 1000 - okta_now_ms + 1000);
}

}  // namespace userdesk::okta
