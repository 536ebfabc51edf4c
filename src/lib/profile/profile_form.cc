#include "profile/profile_form.h"

#include "base/iso_time.h"
#include "base/strings.h"

namespace userdesk::profile {
namespace {

bool HasControlCharacter(std::string_view s) {
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The message for a value of field, or "" when it is fine.
std::string Check(const FieldSpec& field, const std::string& value, const std::string& today) {
  std::string label(field.label);
  if (value.empty()) return field.required ? "Enter your " + AsciiLower(label) + "." : "";
  if (!IsValidUtf8(value) || HasControlCharacter(value)) {
    return label + " contains characters that are not allowed.";
  }
  if (Utf8CharCount(value) > field.max_length) {
    return label + " can be at most " + std::to_string(field.max_length) + " characters.";
  }
  if (field.type == InputType::kDate) {
    if (!IsCalendarDate(value)) return label + " must be a date, written YYYY-MM-DD.";
    // same-width ISO dates compare as strings
    if (value < "1900-01-01") return label + " must be in 1900 or later.";
    if (value > today) return label + " cannot be in the future.";
  }
  return "";
}

}  // namespace

const FieldSpec* FindField(std::string_view name) {
  for (const FieldSpec& field : kProfileFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

bool IsCalendarDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto number = [&](size_t at, size_t len) {
    int n = 0;
    for (size_t i = at; i < at + len; i++) n = n * 10 + (s[i] - '0');
    return n;
  };
  int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

Submission ReadSubmission(const http::Params& form, int64_t now_seconds) {
  Submission s;
  for (const auto& [name, value] : form) {
    if (name == "csrf" || FindField(name) != nullptr) continue;
    if (name.starts_with(kShownPrefix)) {
      std::string_view attribute = std::string_view(name).substr(kShownPrefix.size());
      if (FindField(attribute) != nullptr) {
        s.shown.emplace(std::string(attribute), std::string(TrimSpace(value)));
        continue;
      }
    }
    if (s.ignored.empty() || s.ignored.back() != name) s.ignored.push_back(name);
  }
  std::string today = FormatUtc(now_seconds * 1000, "%Y-%m-%d");
  for (const FieldSpec& field : kProfileFields) {
    std::string name(field.name);
    auto it = form.find(field.name);
    std::string& value = s.values[name];
    value = it == form.end() ? "" : std::string(TrimSpace(it->second));
    // A value the user left as the form showed it is not theirs to fix (Okta holds it, e.g. a
    // birthdate another app wrote as "April 1"): only a required field must still be filled.
    auto shown = s.shown.find(name);
    bool unchanged = shown != s.shown.end() && shown->second == value;
    if (unchanged && !value.empty()) continue;
    std::string problem = Check(field, value, today);
    if (!problem.empty()) s.errors[name] = problem;
  }
  return s;
}

std::vector<okta::ProfileChange> ChangedFields(const Submission& submission,
                                               const okta::User& current) {
  std::vector<okta::ProfileChange> changes;
  for (const FieldSpec& field : kProfileFields) {
    std::string name(field.name);
    const std::string& value = submission.values.at(name);
    auto shown = submission.shown.find(name);
    const std::string& before =
        shown != submission.shown.end() ? shown->second : current.Attribute(name);
    if (value == before) continue;
    if (value.empty()) {
      changes.emplace_back(name, std::nullopt);
    } else {
      changes.emplace_back(name, value);
    }
  }
  return changes;
}

std::vector<std::string> AssignOktaCauses(const std::vector<std::string>& causes,
                                          std::map<std::string, std::string>* field_errors) {
  std::vector<std::string> general;
  for (const std::string& cause : causes) {
    // "firstName: The field cannot be left blank"
    if (size_t colon = cause.find(": "); colon != std::string::npos) {
      if (const FieldSpec* field = FindField(std::string_view(cause).substr(0, colon))) {
        (*field_errors)[std::string(field->name)] =
            std::string(field->label) + ": " + cause.substr(colon + 2);
        continue;
      }
    }
    // "Property name 'favoriteColor' is not defined in profile"
    if (size_t open = cause.find('\'');
        open != std::string::npos && cause.find("not defined") != std::string::npos) {
      size_t close = cause.find('\'', open + 1);
      if (close != std::string::npos) {
        if (const FieldSpec* field = FindField(cause.substr(open + 1, close - open - 1))) {
          (*field_errors)[std::string(field->name)] =
              std::string(field->label) +
              " cannot be saved: the identity provider's profile has no such attribute. Leave "
              "it unchanged, or ask your administrator to add it.";
          continue;
        }
      }
    }
    general.push_back(cause);
  }
  return general;
}

}  // namespace userdesk::profile
