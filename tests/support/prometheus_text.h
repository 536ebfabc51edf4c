// A strict reader of the Prometheus text exposition format (0.0.4), for the suites that check
// what /-/metrics/<name> serves: every line must be a well-formed # HELP, # TYPE or sample line,
// each sample must belong to a family whose TYPE came first, label values must be correctly
// escaped, and values must be numbers. Header-only; the C++ suites' one copy.
#pragma once

#include <cctype>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

namespace userdesk::testing {

struct PrometheusText {
  // "name{a=\"x\",b=\"y\"}" (labels in the order served) or "name" → value
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family name → counter, gauge, histogram, ...
  std::string error;                         // "" when the whole text parsed

  // The sample's value; nullopt when it is not there.
  std::optional<double> Value(const std::string& series) const {
    auto it = samples.find(series);
    if (it == samples.end()) return std::nullopt;
    return it->second;
  }
};

namespace prometheus_text_detail {

inline bool NameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
inline bool NameChar(char c) { return NameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }
inline bool ValidName(const std::string& s) {
  if (s.empty() || !NameStart(s[0])) return false;
  for (char c : s) {
    if (!NameChar(c)) return false;
  }
  return true;
}
inline bool ParseValue(const std::string& text, double* out) {
  if (text == "+Inf" || text == "-Inf" || text == "NaN") {
    *out = text == "NaN" ? std::numeric_limits<double>::quiet_NaN()
                         : (text[0] == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
    return true;
  }
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}
// The family a sample belongs to: histograms and summaries add _bucket, _sum and _count.
inline std::string FamilyOf(const std::string& name,
                            const std::map<std::string, std::string>& types) {
  if (types.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      std::string base = name.substr(0, name.size() - s.size());
      if (types.count(base)) return base;
    }
  }
  return "";
}

}  // namespace prometheus_text_detail

inline PrometheusText ParsePrometheusText(const std::string& text) {
  namespace d = prometheus_text_detail;
  PrometheusText out;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    out.error = "line " + std::to_string(number) + ": " + why + ": " + line;
    return out;
  };
  if (!text.empty() && text.back() != '\n') {
    out.error = "the text does not end with a newline";
    return out;
  }
  while (std::getline(lines, line)) {
    number++;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, kind, name;
      words >> hash >> kind >> name;
      if (kind == "TYPE") {
        std::string type, extra;
        words >> type;
        if (!d::ValidName(name)) return fail("bad metric name");
        static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary",
                                                  "untyped"};
        if (!kTypes.count(type) || (words >> extra)) return fail("bad TYPE");
        if (out.types.count(name)) return fail("second TYPE for a family");
        out.types[name] = type;
      } else if (kind == "HELP") {
        if (!d::ValidName(name)) return fail("bad metric name");
      }
      continue;  // any other comment is allowed
    }
    size_t i = 0;
    while (i < line.size() && d::NameChar(line[i])) i++;
    std::string name = line.substr(0, i);
    if (!d::ValidName(name)) return fail("bad sample name");
    std::string series = name;
    if (i < line.size() && line[i] == '{') {
      series += '{';
      i++;
      bool first = true;
      while (i < line.size() && line[i] != '}') {
        if (!first) {
          if (line[i] != ',') return fail("labels not separated by a comma");
          i++;
          if (i < line.size() && line[i] == '}') break;  // a trailing comma is allowed
          series += ',';
        }
        first = false;
        size_t start = i;
        while (i < line.size() && d::NameChar(line[i])) i++;
        std::string label = line.substr(start, i - start);
        if (!d::ValidName(label) || label.rfind("__", 0) == 0) return fail("bad label name");
        if (i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
          return fail("label without =\"value\"");
        }
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\') {
            if (i + 1 >= line.size()) return fail("dangling backslash");
            char e = line[i + 1];
            if (e != '\\' && e != '"' && e != 'n') return fail("bad escape in a label value");
            value += line.substr(i, 2);
            i += 2;
          } else {
            value += line[i++];
          }
        }
        if (i >= line.size()) return fail("unterminated label value");
        i++;  // the closing quote
        series += label + "=\"" + value + "\"";
      }
      if (i >= line.size()) return fail("unterminated label set");
      i++;  // '}'
      series += '}';
    }
    if (i >= line.size() || line[i] != ' ') return fail("no space before the value");
    std::istringstream rest(line.substr(i + 1));
    std::string value_text, timestamp, extra;
    rest >> value_text >> timestamp >> extra;
    double value = 0;
    if (!d::ParseValue(value_text, &value)) return fail("value is not a number");
    if (!extra.empty()) return fail("trailing text");
    if (!timestamp.empty()) {
      for (char c : timestamp) {
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-') return fail("bad timestamp");
      }
    }
    if (d::FamilyOf(name, out.types).empty()) return fail("sample before its family's TYPE");
    if (!out.samples.emplace(series, value).second) return fail("duplicate series");
  }
  return out;
}

}  // namespace userdesk::testing
