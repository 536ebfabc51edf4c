#include "okta/api_call.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/iso_time.h"
#include "base/log.h"
#include "base/park.h"
#include "base/strings.h"
#include "json/json.h"

namespace userdesk::okta {
namespace {

// ORG_URL with or without trailing slashes.
std::string_view OrgBase(std::string_view org_url) {
  while (!org_url.empty() && org_url.back() == '/') org_url.remove_suffix(1);
  return org_url;
}

http::OutgoingRequest BuildRequest(const ClientOptions& options, const Call& call,
                                   std::optional<std::string_view> api_token) {
  http::OutgoingRequest request;
  request.method = call.method;
  request.url = std::string(OrgBase(options.org_url)) + call.path + call.query;
  request.body = call.body;
  if (api_token) {
    request.headers.emplace_back("Authorization",
                                 (call.bearer ? "Bearer " : "SSWS ") + std::string(*api_token));
  }
  request.headers.emplace_back("Accept", call.accept);
  request.headers.emplace_back("User-Agent", "userdesk");
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

Failure FailureFor(const Call& call, const http::IncomingResponse& response,
                   std::optional<int64_t> wait_ms) {
  Failure failure = FailureOf(MakeError(ErrorCode::kUpstreamUnavailable, ""));
  failure.okta = ParseOktaError(response.body, response.status);
  failure.error = MakeError(CodeFor(response.status, failure.okta),
                            Describe(call, response.status, failure.okta));
  if (call.bearer && response.status == 401) {
    failure.error.code = ErrorCode::kUnauthenticated;
    failure.error.reason = Reason::kAccessTokenRefused;
  } else if (call.bearer && response.status == 403) {
    std::string error = BearerError(response.Header("www-authenticate"));
    failure.error.detail += " (" + (error.empty() ? "no Bearer error" : error) + ")";
    if (error == "insufficient_scope") {
      failure.error.code = ErrorCode::kPermissionDenied;
      failure.error.reason = Reason::kScopeMissing;
    } else if (error == "insufficient_authentication_context") {
      failure.error.code = ErrorCode::kPermissionDenied;
      failure.error.reason = Reason::kRecentSignInRequired;
    }
  }
  if (response.status == 429 && wait_ms) {
    int64_t seconds = std::max<int64_t>(1, (*wait_ms + 999) / 1000);
    failure.retry_after_seconds = static_cast<int>(std::min<int64_t>(seconds, 24 * 3600));
  }
  return failure;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ClientOptions OptionsFrom(const config::Config& config) {
  ClientOptions options;
  options.org_url = config.org_url;
  options.http = {config.http_connect_timeout_ms, config.http_timeout_ms, "okta"};
  options.max_rate_limit_wait_ms = config.okta_rate_limit_wait_ms;
  return options;
}

Failure FailureOf(Error error) {
  Failure failure;
  if (park::IsBusy(error)) failure.retry_after_seconds = park::kBusyRetryAfterSeconds;
  failure.error = std::move(error);
  return failure;
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
  log::Event logged("okta.call_failed", line);
  logged.Add("method", call.method)
      .Add("path", call.path)
      .Add("error", ToString(failure.error.code));
  if (status != 0) logged.Add("status", static_cast<int64_t>(status));
  if (failure.okta) logged.Add("okta_error_code", failure.okta->error_code);
  if (failure.okta && !failure.okta->error_id.empty()) {
    logged.Add("okta_error_id", failure.okta->error_id);
  }
  if (failure.retry_after_seconds > 0) {
    logged.Add("retry_after_s", static_cast<int64_t>(failure.retry_after_seconds));
  }
  // "no such user" is an answer, not a fault (an unknown address on the reset page)
  if (failure.error.code == ErrorCode::kNotFound) {
    log::Info(options.http.component, logged);
  } else {
    log::Warn(options.http.component, logged);
  }
}

OktaResult<std::string> Send(const ClientOptions& options, const Call& call,
                             std::optional<std::string_view> api_token) {
  OktaResult<Answer> answer = SendForAnswer(options, call, api_token);
  if (!answer.ok()) return answer.error();
  return std::move(answer).value().body;
}

std::string Answer::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

OktaResult<Answer> SendForAnswer(const ClientOptions& options, const Call& call,
                                 std::optional<std::string_view> api_token) {
  http::OutgoingRequest request = BuildRequest(options, call, api_token);
  // One park for the whole call, the 429 waits included (Fetch's own scope nests in it).
  park::Scope parked;
  if (!parked.admitted()) {
    Failure failure = FailureOf(park::BusyError(call.method + " " + call.path));
    LogFailure(options, call, failure, 0);
    return failure;
  }
  for (int retries = 0;; ++retries) {
    Result<http::IncomingResponse> fetched = http::Fetch(request, options.http);
    if (!fetched.ok()) {
      Failure failure = FailureOf(fetched.error());  // Fetch's detail: method, loggable URL, reason
      LogFailure(options, call, failure, 0);
      return failure;
    }
    const http::IncomingResponse& response = *fetched;
    if (response.status >= 200 && response.status <= 299) {
      http::IncomingResponse ok = std::move(fetched).value();
      return Answer{ok.status, std::move(ok.body), std::move(ok.headers)};
    }
    std::optional<int64_t> wait_ms;
    if (response.status == 429) {
      wait_ms = RateLimitWaitMs(response.Header("x-rate-limit-reset"), response.Header("date"),
                                NowUnixMs());
    }
    if (response.status == 429 && call.idempotent && retries < options.max_retries && wait_ms &&
        *wait_ms <= options.max_rate_limit_wait_ms) {
      log::Info(options.http.component,
                log::Event("okta.rate_limit_retry", call.method + " " + call.path + " 429: retry " +
                                                        std::to_string(retries + 1) + " of " +
                                                        std::to_string(options.max_retries) +
                                                        " in " + std::to_string(*wait_ms) + "ms")
                    .Add("method", call.method)
                    .Add("path", call.path)
                    .Add("retry", retries + 1)
                    .Add("wait_ms", static_cast<int64_t>(*wait_ms)));
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

std::string NextLink(std::string_view header) {
  // link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ); values separated by ",".
  // A URI cannot hold '<' or '>', and a quoted parameter value may hold ',' or ';'.
  size_t i = 0;
  while (i < header.size()) {
    size_t open = header.find('<', i);
    if (open == std::string_view::npos) return "";
    size_t close = header.find('>', open + 1);
    if (close == std::string_view::npos) return "";
    std::string_view target = header.substr(open + 1, close - open - 1);
    // the parameters run to the next ',' outside quotes
    size_t end = close + 1;
    bool quoted = false;
    for (; end < header.size(); ++end) {
      char c = header[end];
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) break;
    }
    std::string_view params = header.substr(close + 1, end - close - 1);
    size_t at = 0;
    while ((at = params.find(';', at)) != std::string_view::npos) {
      std::string_view param = params.substr(at + 1);
      param = param.substr(0, param.find(';'));
      size_t eq = param.find('=');
      if (eq != std::string_view::npos && AsciiLower(TrimSpace(param.substr(0, eq))) == "rel") {
        std::string_view value = TrimSpace(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        // rel may hold several space-separated relation types (RFC 8288 §3.3)
        std::string rels = " " + AsciiLower(value) + " ";
        if (rels.find(" next ") != std::string::npos) return std::string(target);
      }
      ++at;
    }
    i = end + 1;
  }
  return "";
}

std::string BearerError(std::string_view header) {
  // auth-param = token BWS "=" BWS ( token / quoted-string ), separated by commas; "error" must be
  // a whole parameter name, not the start of error_description or a part of a quoted value
  bool quoted = false;
  bool at_name = true;
  for (size_t i = 0; i < header.size(); ++i) {
    char c = header[i];
    if (c == '"' && (i == 0 || header[i - 1] != '\\')) quoted = !quoted;
    if (quoted) continue;
    if (c == ',' || c == ' ') {
      at_name = true;
      continue;
    }
    if (at_name && header.substr(i).starts_with("error")) {
      std::string_view rest = TrimSpace(header.substr(i + 5));
      if (rest.starts_with("=")) {
        rest = TrimSpace(rest.substr(1));
        if (rest.starts_with("\"")) {
          size_t end = rest.find('"', 1);
          return end == std::string_view::npos ? "" : std::string(rest.substr(1, end - 1));
        }
        size_t end = rest.find_first_of(", ");
        return std::string(rest.substr(0, end));
      }
    }
    at_name = false;
  }
  return "";
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
  int64_t reset_seconds = ParseInteger<int64_t>(reset).value_or(0);
  int64_t okta_now_ms = now_ms;
  // a Date has at most one comma ("Sun, 06 Nov ..."); more means duplicates joined together
  bool one_date = std::count(date_header.begin(), date_header.end(), ',') <= 1;
  if (std::optional<int64_t> date = http::ParseHttpDate(TrimSpace(date_header)); date && one_date)
    okta_now_ms = *date * 1000;
  return std::max<int64_t>(0, reset_seconds * 1000 - okta_now_ms + 1000);
}

}  // namespace userdesk::okta
