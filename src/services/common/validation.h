// Request validation shared by the four services: field extraction from JSON bodies, text rules
// counted in Unicode code points, and strict query integers. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace blogtrace::services {

// Why a request was refused as malformed: the field and the reason, kept apart so the handler
// can both answer the client and record a "validation.failed" span event.
struct FieldError {
  std::string field;
  std::string reason;

  // The 400 error the client sees: "<field>: <reason>".
  Error ToError() const;
};

// A validated value or the first field that failed.
template <typename T>
class [[nodiscard]] Validated {
 public:
  Validated(T value) : v_(std::in_place_index<0>, std::move(value)) {}           // NOLINT
  Validated(FieldError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Precondition: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  // Precondition: !ok().
  const FieldError& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, FieldError> v_;
};

// Decodes UTF-8 and counts code points; nullopt when `text` is not valid UTF-8 (overlong forms,
// surrogates and values over U+10FFFF are invalid).
std::optional<std::size_t> CountCodePoints(std::string_view text);

// True for the Unicode White_Space property, plus the invisible format characters that render
// as nothing (U+200B..U+200D zero-width space/joiners, U+2060 word joiner, U+FEFF BOM), so a
// title made only of them counts as blank.
bool IsBlankCodePoint(char32_t c) noexcept;

// True for control characters a title or content may not hold: C0 controls but tab, LF and CR;
// DEL; C1 controls U+0080..U+009F.
bool IsForbiddenControl(char32_t c) noexcept;

// Checks free text: valid UTF-8, not blank, at most `max_code_points` code points, and no
// forbidden control character.
std::optional<FieldError> CheckText(std::string_view field, std::string_view text,
                                    std::size_t max_code_points);

// The string member `field` of a JSON object body. A missing member, null, or a value of another
// JSON type is a FieldError; other members are ignored.
Validated<std::string> RequireString(const nlohmann::json& body, std::string_view field);

// The body must be a JSON object (an array or a scalar is a FieldError on field "body").
std::optional<FieldError> RequireObject(const nlohmann::json& body);

// A query parameter holding a plain decimal integer in [min, max]: digits only, no sign, no
// spaces, at most 18 digits. Absent (nullopt) yields `fallback`; present but empty or anything
// else is a FieldError naming `name`.
Validated<std::int64_t> ParseQueryInteger(std::string_view name,
                                          std::optional<std::string_view> value, std::int64_t min,
                                          std::int64_t max, std::int64_t fallback);

}  // namespace blogtrace::services
