#include "services/blog/model.h"

#include <limits>

namespace blogtrace::services::blog {

Validated<NewBlog> ParseNewBlog(const nlohmann::json& body) {
  auto title = RequireString(body, "title");
  if (!title) return title.error();
  auto content = RequireString(body, "content");
  if (!content) return content.error();
  if (auto e = CheckText("title", *title, kMaxTitleCodePoints)) return *e;
  if (auto e = CheckText("content", *content, kMaxContentCodePoints)) return *e;
  return NewBlog{std::move(*title), std::move(*content)};
}

Validated<Page> ParsePage(std::optional<std::string_view> limit,
                          std::optional<std::string_view> offset,
                          std::optional<std::string_view> cursor) {
  auto l = ParseQueryInteger("limit", limit, 1, kMaxLimit, kDefaultLimit);
  if (!l) return l.error();
  // Offsets past any real table are still integers; cap at what SQLite's int64 holds.
  auto o = ParseQueryInteger("offset", offset, 0, std::numeric_limits<std::int64_t>::max() / 10, 0);
  if (!o) return o.error();
  Page page{*l, *o, std::nullopt};
  if (cursor) {
    if (offset) return FieldError{"cursor", "cannot be combined with offset"};
    page.after = ParseCursor(*cursor);
    if (!page.after) return FieldError{"cursor", "must be a next_cursor from an earlier page"};
  }
  return page;
}

std::string FormatCursor(const store::BlogKey& key) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(key.created_at.time_since_epoch())
          .count();
  std::string text = std::to_string(ms);
  text.push_back('.');
  text.append(key.id);
  return text;
}

std::optional<store::BlogKey> ParseCursor(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 15) return std::nullopt;
  std::int64_t ms = 0;
  for (char c : text.substr(0, dot)) {
    if (c < '0' || c > '9') return std::nullopt;
    ms = ms * 10 + (c - '0');
  }
  const std::string_view id = text.substr(dot + 1);
  if (id.empty() || id.size() > 64) return std::nullopt;
  for (char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return store::BlogKey{store::Timestamp(std::chrono::milliseconds(ms)), std::string(id)};
}

}  // namespace blogtrace::services::blog
