#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <mutex>
#include <string>

#include "base/strings.h"
#include "json/json.h"

namespace userdesk::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<int> g_format{static_cast<int>(Format::kText)};
std::mutex g_responder_mutex;
std::string g_responder;  // guarded by g_responder_mutex

std::string Responder() {
  std::lock_guard<std::mutex> lock(g_responder_mutex);
  return g_responder;
}

constexpr std::string_view kRedacted = "[redacted]";

thread_local std::string t_request_id;  // RequestScope's

const char* Name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// Code points that are well-formed but must not reach a log as they are.
bool Unloggable(char32_t cp) {
  return IsControlCodePoint(cp) || IsBidiControl(cp) || cp == 0x2028 || cp == 0x2029;
}

void AppendHexEscaped(std::string* out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out->append("\\x").push_back(kHex[b >> 4]);
    out->push_back(kHex[b & 0xF]);
  }
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\\') {
      out.append("\\\\");
      i++;
    } else if (c >= 0x20 && c < 0x7F) {
      out.push_back(c);
      i++;
    } else {
      size_t start = i;
      auto cp = NextCodePoint(text, &i);  // moves i past the sequence, or one invalid byte
      std::string_view bytes = text.substr(start, i - start);
      if (cp && !Unloggable(*cp)) {
        out.append(bytes);
      } else {
        AppendHexEscaped(&out, bytes);
      }
    }
  }
  return out;
}

std::string List(const std::vector<std::string>& items, size_t max_items, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; i++) {
    if (i > 0) out.append(", ");
    for (char c : Utf8Prefix(items[i], max_chars)) {
      switch (c) {
        case '%':
          out.append("%25");
          break;
        case '=':
          out.append("%3D");
          break;
        case ' ':
          out.append("%20");
          break;
        case ',':
          out.append("%2C");
          break;
        default:
          out.push_back(c);
      }
    }
  }
  if (items.size() > max_items) {
    out.append(" (+").append(std::to_string(items.size() - max_items)).append(" more)");
  }
  return out;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == Name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void SetFormat(Format format) { g_format.store(static_cast<int>(format)); }

bool ParseFormat(std::string_view text, Format* out) {
  if (text == "text") {
    *out = Format::kText;
  } else if (text == "json") {
    *out = Format::kJson;
  } else {
    return false;
  }
  return true;
}

RequestScope::RequestScope(std::string_view request_id)
    : previous_(std::exchange(t_request_id, std::string(request_id))) {}

RequestScope::~RequestScope() { t_request_id = std::move(previous_); }

void SetResponder(std::string_view name) {
  std::lock_guard<std::mutex> lock(g_responder_mutex);
  g_responder = name;
}

bool SecretKey(std::string_view key) {
  std::string k = AsciiLower(key);
  for (std::string_view part : {"password", "secret", "token", "cookie", "session", "authorization",
                                "nonce", "verifier", "assertion"}) {
    if (k.find(part) != std::string::npos) return true;
  }
  return k == "code" || k == "state" || k == "sid" || k == "jti";
}

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsKey(std::string_view key) {
  if (key.empty() || !IsAsciiAlpha(key[0])) return false;
  for (char c : key) {
    if (!IsAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

// "2026-12-04T07:07:04.123Z"
std::string Stamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(stamp);
  std::string m = std::to_string(ms);
  out.append(".").append(3 - m.size(), '0').append(m).append("Z");
  return out;
}

void JsonString(rapidjson::Writer<rapidjson::StringBuffer>* w, std::string_view text) {
  // Escape first (the log's own escaping, as in the text format), then RapidJSON's string
  // escaping on top: the escaped text is printable ASCII or well-formed UTF-8, so the writer
  // never meets bytes it cannot encode.
  std::string escaped = Escape(text);
  w->String(escaped.data(), static_cast<rapidjson::SizeType>(escaped.size()));
}

std::string JsonLine(Level level, std::string_view component, const Event& event) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.SetMaxDecimalPlaces(3);
  w.StartObject();
  w.Key("time");
  JsonString(&w, Stamp());
  w.Key("level");
  w.String(Name(level));
  w.Key("responder");
  std::string responder = Responder();
  if (responder.empty()) {
    JsonString(&w, component);
  } else {
    JsonString(&w, responder);
  }
  w.Key("component");
  JsonString(&w, component);
  w.Key("event");
  JsonString(&w, event.name());
  w.Key("request_id");
  // an event that names no request is about the one this thread is answering, if any
  const std::string& id = event.has_id() ? event.request_id() : t_request_id;
  if (id.empty()) {
    w.Null();
  } else {
    JsonString(&w, id);
  }
  w.Key("message");
  JsonString(&w, event.message());
  w.Key("fields");
  w.StartObject();
  for (const auto& [key, value] : event.fields()) {
    JsonString(&w, key);
    if (SecretKey(key)) {
      JsonString(&w, kRedacted);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      JsonString(&w, *text);
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
      w.Int64(*number);
    } else if (double d = std::get<double>(value); std::isfinite(d)) {
      w.Double(d);
    } else {
      w.Null();  // JSON has no NaN or infinity
    }
  }
  w.EndObject();
  w.EndObject();
  std::string line(buffer.GetString(), buffer.GetSize());
  line.push_back('\n');
  return line;
}

std::string TextLine(Level level, std::string_view component, std::string_view message) {
  std::string line;
  line.reserve(64 + component.size() + message.size());
  line.append(Stamp()).append(" ").append(Name(level)).append(" ");
  // one event per line, shown as it was written: nothing a request chose is logged raw
  line.append(Escape(component)).append(": ").append(Escape(message));
  line.push_back('\n');
  return line;
}

void Emit(const std::string& line) {
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;  // nothing sensible to do if stderr is gone
}

}  // namespace

Event FromText(std::string_view message) {
  std::vector<std::string_view> words;
  for (size_t start = 0; start <= message.size();) {
    size_t end = message.find(' ', start);
    if (end == std::string_view::npos) end = message.size();
    words.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  std::string_view kept = message;
  std::string request_id;
  bool has_id = false;
  if (words.size() > 1 && words.back().starts_with("id=")) {
    std::string_view id = words.back().substr(3);
    request_id = id == "-" ? "" : std::string(id);
    has_id = true;
    kept = message.substr(0, message.size() - words.back().size() - 1);
    words.pop_back();
  }
  // the "key=value" words at the end of the message, last first
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = words.size(); i > 1; i--) {
    std::string_view word = words[i - 1];
    size_t eq = word.find('=');
    if (eq == std::string_view::npos || eq + 1 == word.size() || !IsKey(word.substr(0, eq))) break;
    pairs.emplace_back(word.substr(0, eq), word.substr(eq + 1));
  }
  std::string text(kept);
  for (const auto& [key, value] : pairs) {
    if (!SecretKey(key)) continue;
    // the same word in the message: key=value at the end of kept, as parsed
    std::string word = std::string(key) + "=" + std::string(value);
    if (size_t at = text.rfind(word); at != std::string::npos) {
      text.replace(at, word.size(), std::string(key) + "=" + std::string(kRedacted));
    }
  }
  Event event("text", std::move(text));
  if (has_id) event.Id(request_id);
  for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) event.Add(it->first, it->second);
  return event;
}

std::string FormatLine(Level level, std::string_view component, const Event& event) {
  if (static_cast<Format>(g_format.load()) == Format::kJson) {
    return JsonLine(level, component, event);
  }
  if (!event.has_id()) return TextLine(level, component, event.message());
  return TextLine(level, component, event.message() + IdTag(event.request_id()));
}

void Write(Level level, std::string_view component, std::string_view message) {
  if (!Enabled(level)) return;
  if (static_cast<Format>(g_format.load()) == Format::kJson) {
    Emit(JsonLine(level, component, FromText(message)));
  } else {
    Emit(TextLine(level, component, message));
  }
}

void Write(Level level, std::string_view component, const Event& event) {
  if (!Enabled(level)) return;
  Emit(FormatLine(level, component, event));
}

}  // namespace userdesk::log
