#include "view/start_case.h"

#include <vector>

namespace userdesk::view {
namespace {

enum class Kind { kSeparator, kLower, kUpper, kDigit };

Kind KindOf(char c) {
  if (c >= 'a' && c <= 'z') return Kind::kLower;
  if (c >= 'A' && c <= 'Z') return Kind::kUpper;
  if (c >= '0' && c <= '9') return Kind::kDigit;
  // UTF-8 bytes of non-ASCII letters: part of a word, without case
  if (static_cast<unsigned char>(c) >= 0x80) return Kind::kLower;
  return Kind::kSeparator;
}

bool IsUpper(char c) { return KindOf(c) == Kind::kUpper; }

// The ordinal suffix after the digit d: "st", "nd", "rd" or "th".
std::string_view OrdinalSuffix(char d) {
  switch (d) {
    case '1':
      return "st";
    case '2':
      return "nd";
    case '3':
      return "rd";
    default:
      return "th";
  }
}

// When digits [begin, end) are followed by their ordinal suffix (lower case, then not a
// lower-case letter; or upper case, then not an upper-case letter), the index after it.
size_t OrdinalEnd(std::string_view s, size_t end) {
  std::string_view want = OrdinalSuffix(s[end - 1]);
  if (end + 2 > s.size()) return end;
  std::string_view got = s.substr(end, 2);
  bool lower = got == want;
  bool upper = got.size() == 2 && got[0] == want[0] - 32 && got[1] == want[1] - 32;
  if (!lower && !upper) return end;
  if (end + 2 < s.size()) {
    Kind next = KindOf(s[end + 2]);
    if (next == Kind::kDigit) return end;
    if (lower && next == Kind::kLower) return end;
    if (upper && next == Kind::kUpper) return end;
  }
  return end + 2;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    Kind kind = KindOf(s[i]);
    if (kind == Kind::kSeparator) {
      i++;
      continue;
    }
    size_t start = i;
    if (kind == Kind::kDigit) {
      while (i < s.size() && KindOf(s[i]) == Kind::kDigit) i++;
      i = OrdinalEnd(s, i);
    } else if (kind == Kind::kUpper) {
      while (i < s.size() && IsUpper(s[i])) i++;
      if (i < s.size() && KindOf(s[i]) == Kind::kLower) {
        // "XMLHttp": the acronym ends before the capital that starts "Http"; a single capital
        // ("Http") starts a capitalised word
        if (i - start > 1) {
          i--;
        } else {
          while (i < s.size() && KindOf(s[i]) == Kind::kLower) i++;
        }
      }
    } else {
      while (i < s.size() && KindOf(s[i]) == Kind::kLower) i++;
    }
    words.push_back(s.substr(start, i - start));
  }
  return words;
}

}  // namespace

std::string StartCase(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  for (std::string_view word : Words(name)) {
    if (!out.empty()) out += ' ';
    out += word;
    char& first = out[out.size() - word.size()];
    if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 32);
  }
  return out;
}

}  // namespace userdesk::view
