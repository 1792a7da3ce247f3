// Blog service domain: the new-blog body and the page query, with their validation
// (../shared/API.md "Blog service"). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "services/common/validation.h"

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

// GET /blogs paging.
struct Page {
  std::int64_t limit = kDefaultLimit;
  std::int64_t offset = 0;
};

// Validates a POST /blogs body: title and content JSON strings, not blank, within their lengths
// in code points, without control characters but tab, LF and CR.
Validated<NewBlog> ParseNewBlog(const nlohmann::json& body);

// Validates limit (1-100, default 20) and offset (>= 0, default 0); each nullopt when absent.
Validated<Page> ParsePage(std::optional<std::string_view> limit,
                          std::optional<std::string_view> offset);

}  // namespace blogtrace::services::blog
