#include "http/http_client.h"

#include <curl/curl.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <memory>

#include "base/iso_time.h"
#include "base/log.h"
#include "base/park.h"
#include "base/strings.h"
#include "crypto/base64url.h"
#include "health/idp_contact.h"
#include "http/cgi_parse.h"
#include "metrics/okta.h"

namespace userdesk::http {
namespace {

// curl_global_init is not thread-safe and must run before any handle exists; a function-local
// static runs it exactly once, whichever worker thread gets here first.
bool GlobalInit() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

// One easy handle per thread: libcurl handles must not be shared between threads, and keeping
// one alive keeps its connection cache (keep-alive, TLS session reuse) across calls.
struct EasyHandle {
  CURL* curl = curl_easy_init();
  EasyHandle() = default;
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  ~EasyHandle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

EasyHandle* ThreadHandle() {
  if (!GlobalInit()) return nullptr;
  thread_local EasyHandle handle;
  return &handle;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// What the callbacks collect for one call.
struct Sink {
  IncomingResponse* response;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->response->body.size() + n > kMaxResponseBodyBytes) {
    sink->too_large = true;
    return 0;  // anything but n aborts the transfer with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, n);
  return n;
}

// libcurl passes every header line of every response it reads, including interim ones
// (100 Continue); a status line starts a new header set, so only the final one is kept.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    sink->response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line or obs-fold
  std::string name = AsciiLower(TrimSpace(line.substr(0, colon)));
  std::string_view value = TrimSpace(line.substr(colon + 1));
  auto [it, inserted] = sink->response->headers.emplace(name, value);
  if (!inserted) it->second.append(", ").append(value);
  return n;
}

bool IsToken(std::string_view method) {
  if (method.empty()) return false;
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

bool HasControlOrSpace(std::string_view s, bool allow_space) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f || (c == ' ' && !allow_space)) return true;
  }
  return false;
}

// Refuses what libcurl would send in a surprising way: CR/LF in a header is request splitting.
Status CheckRequest(const OutgoingRequest& request) {
  if (!IsToken(request.method)) return MakeError(ErrorCode::kInvalidArgument, "bad HTTP method");
  if (!StartsWithIgnoringCase(request.url, "http://") &&
      !StartsWithIgnoringCase(request.url, "https://")) {
    return MakeError(ErrorCode::kInvalidArgument, "only http and https URLs are fetched");
  }
  if (HasControlOrSpace(request.url, false)) {
    return MakeError(ErrorCode::kInvalidArgument, "control character or space in URL");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find(':') != std::string::npos || HasControlOrSpace(name, false) ||
        HasControlOrSpace(value, true)) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed request header");
    }
  }
  if ((request.method == "GET" || request.method == "HEAD") && !request.body.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, request.method + " carries no body");
  }
  return OkStatus();
}

// Methods whose request has a body by definition get Content-Length even when it is empty.
bool SendsBody(const OutgoingRequest& request) {
  return !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
         request.method == "PATCH";
}

void SetMethodAndBody(CURL* curl, const OutgoingRequest& request) {
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    return;
  }
  if (SendsBody(request)) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
  // POSTFIELDS makes the request a POST; any other verb replaces the method name only
  if (request.method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

ErrorCode Classify(CURLcode rc, bool too_large) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorCode::kDeadlineExceeded;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return ErrorCode::kUnavailable;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return ErrorCode::kInvalidArgument;
    case CURLE_WRITE_ERROR:
      return too_large ? ErrorCode::kUpstreamUnavailable : ErrorCode::kInternal;
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return ErrorCode::kInternal;
    default:
      // the peer was reached but its answer is broken: reset, truncated, over the size cap...
      return ErrorCode::kUpstreamUnavailable;
  }
}

// Every call a responder makes goes to the identity provider: its metrics (by endpoint family,
// with Okta's rate-limit headers) and readiness's view of whether the provider answers are
// recorded here, once for every caller.
void RecordCall(const OutgoingRequest& request, const IncomingResponse* response, double seconds) {
  metrics::OktaCall call{request.url, 0, seconds, std::nullopt, std::nullopt};
  if (response != nullptr) {
    call.status = response->status;
    call.rate_limit_remaining = ParseInteger<long>(response->Header("x-rate-limit-remaining"));
    call.rate_limit_limit = ParseInteger<long>(response->Header("x-rate-limit-limit"));
  }
  metrics::RecordOktaCall(call);
  health::RecordContact(response != nullptr && response->status < 500, NowUnixMs());
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1fms", seconds * 1000.0);
  return buf;
}

}  // namespace

std::string IncomingResponse::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::string LoggableUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t path_start = url.find_first_of("/?#", authority_start);
  if (path_start == std::string_view::npos) path_start = url.size();
  std::string_view authority = url.substr(authority_start, path_start - authority_start);
  // user:password@host must never reach a log
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  size_t path_end = url.find_first_of("?#", path_start);
  if (path_end == std::string_view::npos) path_end = url.size();
  return std::string(url.substr(0, authority_start)) + std::string(authority) +
         std::string(url.substr(path_start, path_end - path_start));
}

void DropIdleConnections() {
  EasyHandle* handle = ThreadHandle();
  if (handle == nullptr || handle->curl == nullptr) return;
  curl_easy_cleanup(handle->curl);
  handle->curl = curl_easy_init();
}

std::string BasicAuthorization(std::string_view client_id, std::string_view client_secret) {
  return "Basic " +
         crypto::Base64Encode(FormUrlEncode(client_id) + ":" + FormUrlEncode(client_secret));
}

std::string EscapePathSegment(std::string_view segment) {
  if (segment.empty() || segment.size() > static_cast<size_t>(INT_MAX)) return std::string();
  // libcurl ignores the handle argument of curl_easy_escape: no per-thread handle is needed
  char* escaped = curl_easy_escape(nullptr, segment.data(), static_cast<int>(segment.size()));
  if (escaped == nullptr) return std::string();
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  std::string date(text);  // curl_getdate wants a C string
  if (date.empty()) return std::nullopt;
  time_t t = curl_getdate(date.c_str(), nullptr);
  if (t == -1) return std::nullopt;
  return static_cast<int64_t>(t);
}

Result<IncomingResponse> Fetch(const OutgoingRequest& request, const ClientOptions& options) {
  const std::string what = request.method + " " + LoggableUrl(request.url);
  if (Status valid = CheckRequest(request); !valid.ok()) {
    log::Info(options.component,
              log::Event("http.call_refused", what + " refused: " + valid.error().detail)
                  .Add("method", request.method)
                  .Add("url", LoggableUrl(request.url))
                  .Add("reason", valid.error().detail));
    return MakeError(valid.error().code, what + ": " + valid.error().detail);
  }
  // This thread waits for the network from here on: a request thread parks (base/park.h).
  park::Scope parked;
  if (!parked.admitted()) {
    log::Warn(
        options.component,
        log::Event("http.call_busy", what + " not sent: too many requests are waiting already")
            .Add("method", request.method)
            .Add("url", LoggableUrl(request.url)));
    return park::BusyError(what);
  }
  EasyHandle* handle = ThreadHandle();
  CURL* curl = handle != nullptr ? handle->curl : nullptr;
  if (curl == nullptr) return MakeError(ErrorCode::kInternal, "libcurl did not initialise");
  // reset drops every option of the previous call but keeps the connection and TLS caches
  curl_easy_reset(curl);

  IncomingResponse response;
  Sink sink{&response};
  char error_text[CURL_ERROR_SIZE] = {0};
  HeaderList headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  // no "Expect: 100-continue" round trip before larger bodies
  headers.reset(curl_slist_append(headers.release(), "Expect:"));

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // signals cannot be used for timeouts in a multi-threaded process
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout_ms));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxResponseBodyBytes));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "userdesk");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  SetMethodAndBody(curl, request);

  auto start = std::chrono::steady_clock::now();
  CURLcode rc;
  {
    metrics::OktaCallInFlight in_flight;
    rc = curl_easy_perform(curl);
  }
  response.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  // the handle outlives this call: it must not keep pointers into this frame
  curl_easy_reset(curl);

  if (rc != CURLE_OK) {
    std::string reason = sink.too_large || rc == CURLE_FILESIZE_EXCEEDED
                             ? std::string("response body over the size cap")
                         : error_text[0] != '\0' ? std::string(error_text)
                                                 : std::string(curl_easy_strerror(rc));
    log::Info(options.component, log::Event("http.call_failed", what + " failed (" + reason + ") " +
                                                                    Millis(response.seconds))
                                     .Add("method", request.method)
                                     .Add("url", LoggableUrl(request.url))
                                     .Add("reason", reason)
                                     .Add("duration_ms", response.seconds * 1000.0));
    RecordCall(request, nullptr, response.seconds);
    return MakeError(Classify(rc, sink.too_large), what + ": " + reason);
  }
  log::Info(options.component,
            log::Event("http.call", what + " " + std::to_string(response.status) + " " +
                                        Millis(response.seconds))
                .Add("method", request.method)
                .Add("url", LoggableUrl(request.url))
                .Add("status", static_cast<int64_t>(response.status))
                .Add("duration_ms", response.seconds * 1000.0));
  RecordCall(request, &response, response.seconds);
  return response;
}

}  // namespace userdesk::http
