// Leveled logging to stderr, one line per event (nginx/systemd collect stderr). Callers log
// identifiers and reasons, never secrets: there is deliberately no helper that formats a token.
//
// Messages carry text from requests (paths, field names, a provider's error text), so Write
// escapes it (Escape below): a line can neither be split, nor move a terminal's cursor, nor
// reorder what a viewer shows.
//
// Two formats (LOG_FORMAT): "text", the default, for people ("<time> <level> <component>:
// <message>"), and "json", one object per line for machines (jq, a log shipper):
//   {"time":"…Z","level":"info","responder":"auth","component":"auth","event":"signin.ok",
//    "request_id":"…"|null,"message":"signed in sub=…","fields":{"sub":"…"}}
// A line written with an Event (below) has a stable event name and typed fields; a free-text
// line has the event "text", and the trailing "key=value" words and " id=<request id>" of its
// message become its fields and request_id. A field whose key names a secret (a password, a
// token, a code, a session, a cookie, …: SecretKey) is never written; "[redacted]" stands in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace userdesk::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Lines below this level are dropped. Default kInfo; LOG_LEVEL=debug|info|warn|error sets it.
void SetLevel(Level level);
bool ParseLevel(std::string_view text, Level* out);
bool Enabled(Level level);

enum class Format { kText = 0, kJson = 1 };

// Default kText; LOG_FORMAT=text|json sets it.
void SetFormat(Format format);
bool ParseFormat(std::string_view text, Format* out);
// The "responder" of every JSON line: the program's name (home, auth, …), set once at start-up.
void SetResponder(std::string_view name);

// Text as it may go into a log line, whatever the format (this text format, or a JSON one,
// whose string escaping then applies on top): every byte that is not part of well-formed UTF-8,
// every control character (C0 with newline and tab, DEL, C1), the bidirectional formatting
// characters (base/strings.h IsBidiControl) and the line and paragraph separators U+2028/U+2029
// become \xHH per byte ("\x1b" for ESC), and the backslash itself becomes "\\", so every
// logged byte string reads back one way. Everything else, non-ASCII letters included, is kept.
std::string Escape(std::string_view text);

// A list of names a request chose (e.g. form fields that were ignored), for a log line: at most
// max_items of them, each cut to max_chars characters, joined by ", ", then " (+N more)" for
// the rest. A request cannot make the line as long as it likes, nor add words to it: '%', '=',
// ' ' and ',' in a name are written %25, %3D, %20 and %2C, so no name reads as another's end or
// as a trailing key=value field of the line (what FromText takes for the JSON fields).
std::string List(const std::vector<std::string>& items, size_t max_items = 10,
                 size_t max_chars = 64);

// The request this thread is answering, for the JSON lines written meanwhile that name none
// (an Okta call, a registry warning): fcgi::Serve holds one around each request. The text
// format is left as it is.
class RequestScope {
 public:
  explicit RequestScope(std::string_view request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

// True for a field key that names a secret: keys containing password, secret, token, cookie,
// session, authorization, nonce, verifier or assertion (any case), and the keys code, state,
// sid and jti. Such a field's value is never written.
bool SecretKey(std::string_view key);

// One event in structured form: a stable name ("http.request", "signin.ok", …), the message a
// person reads (the text format's line), the request it is about, and typed fields for machines.
//   log::Info(name, log::Event("signin.ok", "signed in sub=" + sub).Id(id).Add("sub", sub));
// The text format writes the message and IdTag (when Id was given); the JSON format writes all.
class Event {
 public:
  using Value = std::variant<std::string, int64_t, double>;

  Event(std::string_view name, std::string message) : name_(name), message_(std::move(message)) {}

  Event& Id(std::string_view request_id) {
    request_id_ = request_id;
    has_id_ = true;
    return *this;
  }
  Event& Add(std::string_view key, std::string_view value) {
    fields_.emplace_back(std::string(key), Value(std::string(value)));
    return *this;
  }
  Event& Add(std::string_view key, const std::string& value) {
    return Add(key, std::string_view(value));
  }
  Event& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
  Event& Add(std::string_view key, int64_t value) {
    fields_.emplace_back(std::string(key), Value(value));
    return *this;
  }
  Event& Add(std::string_view key, int value) { return Add(key, int64_t{value}); }
  Event& Add(std::string_view key, long long value) { return Add(key, int64_t(value)); }
  Event& Add(std::string_view key, size_t value) { return Add(key, static_cast<int64_t>(value)); }
  Event& Add(std::string_view key, double value) {
    fields_.emplace_back(std::string(key), Value(value));
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::string& message() const { return message_; }
  bool has_id() const { return has_id_; }
  const std::string& request_id() const { return request_id_; }
  const std::vector<std::pair<std::string, Value>>& fields() const { return fields_; }

 private:
  std::string name_;
  std::string message_;
  std::string request_id_;
  bool has_id_ = false;
  std::vector<std::pair<std::string, Value>> fields_;
};

// A free-text message as an Event: event "text"; a trailing " id=<x>" becomes the request id,
// and the "key=value" words at its end (key: a letter, then letters, digits or '_'; value:
// no space) become string fields. The message is kept whole, the id tag aside.
Event FromText(std::string_view message);

// The line for level, component and event in the current format, newline included.
std::string FormatLine(Level level, std::string_view component, const Event& event);

// Writes "<UTC time> <level> <component>: <message>" atomically (one write(2) call), the
// component and message escaped (Escape); or, with LOG_FORMAT=json, its JSON line (FromText).
void Write(Level level, std::string_view component, std::string_view message);
void Write(Level level, std::string_view component, const Event& event);

inline void Debug(std::string_view c, std::string_view m) { Write(Level::kDebug, c, m); }
inline void Info(std::string_view c, std::string_view m) { Write(Level::kInfo, c, m); }
inline void Warn(std::string_view c, std::string_view m) { Write(Level::kWarn, c, m); }
inline void Error(std::string_view c, std::string_view m) { Write(Level::kError, c, m); }
inline void Debug(std::string_view c, const Event& e) { Write(Level::kDebug, c, e); }
inline void Info(std::string_view c, const Event& e) { Write(Level::kInfo, c, e); }
inline void Warn(std::string_view c, const Event& e) { Write(Level::kWarn, c, e); }
inline void Error(std::string_view c, const Event& e) { Write(Level::kError, c, e); }

// " id=<request id>" (" id=-" without one): how every line about a request ends, so a line can
// be found from the X-Request-Id a user reports.
inline std::string IdTag(std::string_view request_id) {
  return " id=" + (request_id.empty() ? std::string("-") : std::string(request_id));
}

}  // namespace userdesk::log
