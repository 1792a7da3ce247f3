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
                          std::optional<std::string_view> offset) {
  auto l = ParseQueryInteger("limit", limit, 1, kMaxLimit, kDefaultLimit);
  if (!l) return l.error();
  // Offsets past any real table are still integers; cap at what SQLite's int64 holds.
  auto o = ParseQueryInteger("offset", offset, 0, std::numeric_limits<std::int64_t>::max() / 10, 0);
  if (!o) return o.error();
  return Page{*l, *o};
}

}  // namespace blogtrace::services::blog
