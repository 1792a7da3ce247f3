// Blog service domain: the new-blog body and the page query, with their validation
// (../shared/API.md "Blog service"). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "services/common/validation.h"
#include "store/model.h"

namespace blogtrace::services::blog {

inline constexpr std::size_t kMaxTitleCodePoints = 200;
inline constexpr std::size_t kMaxContentCodePoints = 20000;
inline constexpr std::int64_t kDefaultLimit = 20;
inline constexpr std::int64_t kMaxLimit = 100;

// POST /blogs body, validated. The author, id and time come from the server.
struct NewBlog {
  std::string title;
  std::string content;
};

// GET /blogs paging: by offset, or (an addition to the contract) after a keyset cursor.
struct Page {
  std::int64_t limit = kDefaultLimit;
  std::int64_t offset = 0;
  std::optional<store::BlogKey> after;  // set when the request gave `cursor`
};

// Validates a POST /blogs body: title and content JSON strings, not blank, within their lengths
// in code points, without control characters but tab, LF and CR.
Validated<NewBlog> ParseNewBlog(const nlohmann::json& body);

// Validates limit (1-100, default 20), offset (>= 0, default 0) and cursor (as FormatCursor
// writes it); each nullopt when absent. `cursor` and `offset` together are refused: the page
// would be ambiguous.
Validated<Page> ParsePage(std::optional<std::string_view> limit,
                          std::optional<std::string_view> offset,
                          std::optional<std::string_view> cursor = std::nullopt);

// The `next_cursor` of a list response: "<created_at in epoch ms>.<id>". Clients treat it as
// opaque and pass it back as `cursor`.
std::string FormatCursor(const store::BlogKey& key);

// Parses what FormatCursor writes: 1-15 digits, '.', an id of 1-64 characters [A-Za-z0-9_-].
std::optional<store::BlogKey> ParseCursor(std::string_view text);

}  // namespace blogtrace::services::blog
