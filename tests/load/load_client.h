// The load generator of tests/load: N keep-alive HTTP/1.1 connections (libcurl's multi
// interface, one thread) sending a rotation of pages for as long as it runs, and a record of
// every answer: when it came, which page, its status or the socket error, how long it took, and
// whether it was nginx's own 50x page or a page built from a stale profile copy. The fault
// tests need that per-request record (an error is allowed only on the killed responder's pages
// and only during the gap), which wrk's Lua hooks cannot give: wrk's response() does not know
// which request it answers, and its socket errors and timeouts come only as totals.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace userdesk::load {

// One page of the rotation.
struct Target {
  std::string name;       // e.g. "dashboard (signed in)"
  std::string responder;  // who answers it (nginx/routes.txt), or "nginx" for static files
  std::string path;       // e.g. "/dashboard"
  std::string cookie;     // the Cookie header's value ("" signed out)
  std::set<long> expected;
};

// One answer (or failure) seen by the client.
struct Sample {
  double at_ms = 0;       // when it completed, since the run started
  double latency_ms = 0;  // since it was sent
  int target = 0;         // index into the targets
  long status = 0;        // 0 when the request failed: see error
  CURLcode error = CURLE_OK;
  bool nginx_page = false;  // the body is static/errors/50x.html (nginx answered for a responder)
  bool stale = false;       // the page says it shows a stale copy of the profile
};

inline bool Ok(const Sample& s, const std::vector<Target>& targets) {
  return s.error == CURLE_OK && targets[s.target].expected.count(s.status) > 0;
}

inline std::string Describe(const Sample& s) {
  if (s.error == CURLE_OPERATION_TIMEDOUT) return "timeout";
  if (s.error != CURLE_OK) return std::string("socket error: ") + curl_easy_strerror(s.error);
  return std::to_string(s.status) + (s.nginx_page ? " (nginx's 50x page)" : "");
}

class LoadClient {
 public:
  struct Options {
    std::string base_url;  // http://127.0.0.1:<port>
    std::vector<Target> targets;
    int connections = 64;
    long timeout_ms = 5000;  // a request slower than this is a timeout, i.e. an error
  };

  explicit LoadClient(Options options) : options_(std::move(options)) {}
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;
  ~LoadClient() { Stop(); }

  // Starts sending on a thread of its own; Stop() ends it and waits.
  void Start() {
    start_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { Run(); });
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Milliseconds since Start(), on the samples' clock.
  double NowMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

  // Every sample so far (a copy; safe while running).
  std::vector<Sample> Samples() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return samples_;
  }
  size_t Count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return samples_.size();
  }
  // Empty unless the client itself failed (curl could not be set up).
  std::string setup_error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return setup_error_;
  }
  const std::vector<Target>& targets() const { return options_.targets; }

 private:
  struct Slot {
    CURL* curl = nullptr;
    curl_slist* headers = nullptr;
    std::string url;
    std::string body;
    int target = 0;
    double sent_ms = 0;
  };

  static size_t KeepBody(char* data, size_t size, size_t n, void* user) {
    auto* body = static_cast<std::string*>(user);
    // The markers are near the top of a page; no need to keep more than this.
    if (body->size() < 16384) body->append(data, std::min(size * n, 16384 - body->size()));
    return size * n;
  }

  void Send(CURLM* multi, Slot& slot) {
    slot.target = static_cast<int>(next_++ % options_.targets.size());
    const Target& t = options_.targets[slot.target];
    slot.url = options_.base_url + t.path;
    slot.body.clear();
    curl_easy_setopt(slot.curl, CURLOPT_URL, slot.url.c_str());
    curl_easy_setopt(slot.curl, CURLOPT_COOKIE, t.cookie.empty() ? nullptr : t.cookie.c_str());
    slot.sent_ms = NowMs();
    curl_multi_add_handle(multi, slot.curl);
  }

  void Run() {
    static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    CURLM* multi = initialized ? curl_multi_init() : nullptr;
    if (multi == nullptr || options_.targets.empty()) {
      std::lock_guard<std::mutex> lock(mutex_);
      setup_error_ = "curl_multi_init failed or no targets";
      return;
    }
    // Exactly `connections` connections, each kept open for request after request.
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, long{options_.connections});
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, long{options_.connections});
    std::vector<Slot> slots(options_.connections);
    for (Slot& slot : slots) {
      slot.curl = curl_easy_init();
      // a browser's request; no Expect, no redirects followed (a redirect is the answer)
      slot.headers = curl_slist_append(nullptr, "Accept: text/html,*/*");
      curl_easy_setopt(slot.curl, CURLOPT_HTTPHEADER, slot.headers);
      curl_easy_setopt(slot.curl, CURLOPT_FOLLOWLOCATION, 0L);
      curl_easy_setopt(slot.curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(slot.curl, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
      curl_easy_setopt(slot.curl, CURLOPT_WRITEFUNCTION, KeepBody);
      curl_easy_setopt(slot.curl, CURLOPT_WRITEDATA, &slot.body);
      curl_easy_setopt(slot.curl, CURLOPT_PRIVATE, &slot);
      Send(multi, slot);
    }
    std::vector<Sample> batch;
    while (!stop_) {
      int running = 0;
      curl_multi_perform(multi, &running);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        Slot* slot = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &slot);
        Sample s;
        s.at_ms = NowMs();
        s.latency_ms = s.at_ms - slot->sent_ms;
        s.target = slot->target;
        s.error = msg->data.result;
        if (s.error == CURLE_OK) {
          curl_easy_getinfo(slot->curl, CURLINFO_RESPONSE_CODE, &s.status);
          s.nginx_page =
              s.status >= 500 && slot->body.find("We'll be right back") != std::string::npos;
          s.stale = slot->body.find("showing data from") != std::string::npos;
        }
        batch.push_back(s);
        curl_multi_remove_handle(multi, slot->curl);
        if (!stop_) Send(multi, *slot);
      }
      if (!batch.empty()) {
        std::lock_guard<std::mutex> lock(mutex_);
        samples_.insert(samples_.end(), batch.begin(), batch.end());
        batch.clear();
      }
      curl_multi_poll(multi, nullptr, 0, 50, nullptr);
    }
    for (Slot& slot : slots) {
      curl_multi_remove_handle(multi, slot.curl);
      curl_easy_cleanup(slot.curl);
      curl_slist_free_all(slot.headers);
    }
    curl_multi_cleanup(multi);
  }

  Options options_;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  size_t next_ = 0;  // the rotation; only the load thread touches it
  mutable std::mutex mutex_;
  std::vector<Sample> samples_;
  std::string setup_error_;
};

// ---- summaries ----------------------------------------------------------------------------

// The q-quantile (0..1) of the latencies of these samples, in ms (0 when there are none).
inline double LatencyQuantile(std::vector<Sample> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.latency_ms < b.latency_ms; });
  size_t i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1));
  return samples[i].latency_ms;
}

// The samples completed in [from_ms, to_ms).
inline std::vector<Sample> Between(const std::vector<Sample>& samples, double from_ms,
                                   double to_ms) {
  std::vector<Sample> out;
  for (const Sample& s : samples) {
    if (s.at_ms >= from_ms && s.at_ms < to_ms) out.push_back(s);
  }
  return out;
}

// One line per target and outcome ("dashboard (signed in): 200 x 1234"), and a total line with
// the rate and the latency quantiles; for the test's output and bench/load-fault.sh.
inline std::string Summary(const std::vector<Sample>& samples, const std::vector<Target>& targets,
                           double seconds) {
  std::map<std::pair<int, std::string>, size_t> counts;
  size_t errors = 0;
  for (const Sample& s : samples) {
    std::string outcome = Describe(s) + (s.stale ? " stale copy" : "");
    counts[{s.target, outcome}]++;
    if (!Ok(s, targets)) errors++;
  }
  std::string out;
  char line[256];
  for (const auto& [key, n] : counts) {
    std::snprintf(line, sizeof line, "  %-34s %-28s x %zu\n", targets[key.first].name.c_str(),
                  key.second.c_str(), n);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "  total %zu requests in %.1f s: %.0f req/s, %zu errors, latency p50 %.1f ms, "
                "p99 %.1f ms, max %.1f ms\n",
                samples.size(), seconds, seconds > 0 ? samples.size() / seconds : 0.0, errors,
                LatencyQuantile(samples, 0.5), LatencyQuantile(samples, 0.99),
                LatencyQuantile(samples, 1.0));
  return out + line;
}

}  // namespace userdesk::load
