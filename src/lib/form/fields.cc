#include "form/fields.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "base/strings.h"

namespace userdesk::form {
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

bool IsDomainLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The HTML input type; select, checkbox and list are drawn by their own markup.
std::string_view TypeName(InputType type) {
  switch (type) {
    case InputType::kDate:
      return "date";
    case InputType::kEmail:
      return "email";
    case InputType::kPassword:
      return "password";
    case InputType::kUrl:
      return "url";
    case InputType::kInteger:
    case InputType::kNumber:
      return "number";
    case InputType::kCheckbox:
      return "checkbox";
    case InputType::kText:
    case InputType::kSelect:
    case InputType::kTextList:
      break;
  }
  return "text";
}

bool IsInteger32(std::string_view text) {
  std::optional<int64_t> n = ParseInteger<int64_t>(text);
  return n && *n >= INT32_MIN && *n <= INT32_MAX;
}

bool IsFiniteNumber(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])) != 0) return false;
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno == 0 && std::isfinite(d) &&
         text.find_first_of("xXnN") == std::string::npos;  // no hex floats, no nan/inf words
}

bool LooksLikeWebAddress(std::string_view text) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWithIgnoringCase(text, scheme) && text.size() > scheme.size()) {
      return text.find_first_of(" <>\"") == std::string_view::npos;
    }
  }
  return false;
}

// A value of one line (or one item of a list): its characters and length.
std::string CheckLine(const FieldSpec& field, std::string_view value) {
  std::string label(field.label);
  if (!IsValidUtf8(value) || HasControlCharacter(value)) {
    return label + " contains characters that are not allowed.";
  }
  size_t count = Utf8CharCount(value);
  if (field.max_length > 0 && count > field.max_length) {
    return label + " can be at most " + std::to_string(field.max_length) + " characters" +
           (field.type == InputType::kTextList ? " a line." : ".");
  }
  if (count < field.min_length) {
    return label + " must be at least " + std::to_string(field.min_length) + " characters" +
           (field.type == InputType::kTextList ? " a line." : ".");
  }
  return "";
}

// The message shown beside field for Okta's words about it: "Label: message", unless the
// message already starts with the label ("Password requirements were not met").
std::string Beside(const FieldSpec& field, std::string_view message) {
  if (StartsWithIgnoringCase(message, field.label)) return std::string(message);
  return std::string(field.label) + ": " + std::string(message);
}

}  // namespace

const FieldSpec* FindField(std::span<const FieldSpec> fields, std::string_view name) {
  for (const FieldSpec& field : fields) {
    if (field.name == name) return &field;
  }
  for (const FieldSpec& field : fields) {
    if (!field.also_writes.empty() && field.also_writes == name) return &field;
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

bool LooksLikeEmail(std::string_view text) {
  size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || at > 64) return false;
  std::string_view local = text.substr(0, at);
  for (char c : local) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F) return false;  // spaces, controls, non-ASCII
  }
  std::string_view domain = text.substr(at + 1);
  int labels = 0;
  while (true) {
    size_t dot = domain.find('.');
    if (!IsDomainLabel(domain.substr(0, dot))) return false;
    labels++;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2;
}

std::vector<std::string> ListItems(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = TrimSpace(text.substr(0, end));  // also a "\r" before the "\n"
    if (!line.empty()) items.emplace_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return items;
}

std::string CheckValue(const FieldSpec& field, const std::string& value, const std::string& today) {
  std::string label(field.label);
  if (value.empty()) return field.required ? "Enter your " + AsciiLower(label) + "." : "";
  if (field.type == InputType::kTextList) {
    for (const std::string& item : ListItems(value)) {
      if (std::string problem = CheckLine(field, item); !problem.empty()) return problem;
    }
    return "";
  }
  if (std::string problem = CheckLine(field, value); !problem.empty()) return problem;
  switch (field.type) {
    case InputType::kInteger:
      if (!IsInteger32(value)) return label + " must be a whole number, like 42.";
      return "";
    case InputType::kNumber:
      if (!IsFiniteNumber(value)) return label + " must be a number, like 4.5.";
      return "";
    case InputType::kCheckbox:
      if (value != "true" && value != "false") return label + " must be ticked or not.";
      return "";
    case InputType::kSelect:
      for (const Option& option : field.options) {
        if (option.value == value) return "";
      }
      return "Choose one of the listed values for " + label + ".";
    case InputType::kUrl:
      if (!LooksLikeWebAddress(value)) {
        return label + " must be a web address starting with https://.";
      }
      return "";
    default:
      break;
  }
  if (field.type == InputType::kDate) {
    if (!IsCalendarDate(value)) return label + " must be a date, written YYYY-MM-DD.";
    // same-width ISO dates compare as strings
    if (value < "1900-01-01") return label + " must be in 1900 or later.";
    if (value > today) return label + " cannot be in the future.";
  }
  if (field.type == InputType::kEmail && !LooksLikeEmail(value)) {
    return "Enter an email address like name@example.com.";
  }
  return "";
}

Filled ReadFields(std::span<const FieldSpec> fields, const http::Params& form,
                  const std::string& today) {
  Filled filled;
  for (const FieldSpec& field : fields) {
    std::string name(field.name);
    auto posted = form.find(field.name);
    std::string_view value = posted == form.end() ? std::string_view() : posted->second;
    if (field.type != InputType::kPassword) value = TrimSpace(value);
    std::string& kept = filled.values[name] = std::string(value);
    if (std::string problem = CheckValue(field, kept, today); !problem.empty()) {
      filled.errors[name] = std::move(problem);
    }
  }
  return filled;
}

const std::string& ValueOf(const std::map<std::string, std::string>& m, const std::string& key) {
  static const std::string kEmpty;
  auto it = m.find(key);
  return it == m.end() ? kEmpty : it->second;
}

view::mustache::data FieldView(const FieldSpec& field,
                               const std::map<std::string, std::string>& values,
                               const std::map<std::string, std::string>& errors) {
  namespace mustache = view::mustache;
  const std::string& value = ValueOf(values, std::string(field.name));
  const std::string& error = ValueOf(errors, std::string(field.name));
  // view::Set moves each value in; kainjow's set would copy it (this runs per field per page)
  mustache::data view{mustache::data::type::object};
  view::Set(&view, "name", view::Text(std::string(field.name)));
  view::Set(&view, "label", view::Text(std::string(field.label)));
  InputType type = field.type;
  if (type == InputType::kDate && !value.empty() && !IsCalendarDate(value)) type = InputType::kText;
  view::Set(&view, "type", view::Text(std::string(TypeName(type))));
  view::Set(&view, "required", mustache::data(field.required));
  // mustache has no numbers
  if (field.max_length > 0) {
    view::Set(&view, "max_length", view::Text(std::to_string(field.max_length)));
  }
  if (field.min_length > 0) {
    view::Set(&view, "min_length", view::Text(std::to_string(field.min_length)));
  }
  if (field.type == InputType::kInteger) view::Set(&view, "step", view::Text("1"));
  if (field.type == InputType::kNumber) view::Set(&view, "step", view::Text("any"));
  view::Set(&view, "read_only", mustache::data(field.read_only));
  view::Set(&view, "is_input",
            mustache::data(field.type != InputType::kSelect && field.type != InputType::kCheckbox &&
                           field.type != InputType::kTextList));
  view::Set(&view, "is_list", mustache::data(field.type == InputType::kTextList));
  view::Set(&view, "is_checkbox", mustache::data(field.type == InputType::kCheckbox));
  view::Set(&view, "checked",
            mustache::data(field.type == InputType::kCheckbox && value == "true"));
  view::Set(&view, "is_select", mustache::data(field.type == InputType::kSelect));
  if (field.type == InputType::kSelect) {
    mustache::list options;
    options.reserve(field.options.size() + 1);
    bool known = value.empty();  // a value Okta holds that is not an option is kept, not lost
    for (const Option& option : field.options) known = known || option.value == value;
    auto add = [&](std::string_view v, std::string_view label) {
      mustache::data item{mustache::data::type::object};
      view::Set(&item, "value", view::Text(std::string(v)));
      view::Set(&item, "label", view::Text(std::string(label)));
      view::Set(&item, "selected", mustache::data(v == value));
      options.push_back(std::move(item));
    };
    add("", field.required ? "Choose…" : "(none)");
    if (!known) add(value, value);
    for (const Option& option : field.options) add(option.value, option.label);
    view::Set(&view, "options", view::List(std::move(options)));
  }
  if (!field.autocomplete.empty()) {
    view::Set(&view, "autocomplete", view::Text(std::string(field.autocomplete)));
  }
  view::Set(&view, "value", view::Text(field.type == InputType::kPassword ? std::string() : value));
  view::Set(&view, "has_error", mustache::data(!error.empty()));
  view::Set(&view, "error", view::Text(error));
  return view;
}

void Notices::AddTo(view::mustache::data* page) const {
  // a mustache section shows for any string, even "": set only what is there
  if (!notice.empty()) page->set("notice", notice);
  if (!warning.empty()) page->set("warning", warning);
  if (!problem.empty()) page->set("problem", problem);
  view::mustache::data details{view::mustache::data::type::list};
  for (const std::string& d : problem_details) details.push_back(view::mustache::data(d));
  page->set("has_problem_details", !problem_details.empty());
  page->set("problem_details", std::move(details));
}

std::vector<std::string> AssignOktaCauses(std::span<const FieldSpec> fields,
                                          const std::vector<std::string>& causes,
                                          std::map<std::string, std::string>* field_errors) {
  std::vector<std::string> general;
  for (const std::string& cause : causes) {
    // "firstName: The field cannot be left blank"
    if (size_t colon = cause.find(": "); colon != std::string::npos) {
      if (const FieldSpec* field = FindField(fields, std::string_view(cause).substr(0, colon))) {
        (*field_errors)[std::string(field->name)] =
            Beside(*field, std::string_view(cause).substr(colon + 2));
        continue;
      }
    }
    // "Property name 'favoriteColor' is not defined in profile"
    if (size_t open = cause.find('\'');
        open != std::string::npos && cause.find("not defined") != std::string::npos) {
      size_t close = cause.find('\'', open + 1);
      if (close != std::string::npos) {
        if (const FieldSpec* field = FindField(fields, cause.substr(open + 1, close - open - 1))) {
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

}  // namespace userdesk::form
