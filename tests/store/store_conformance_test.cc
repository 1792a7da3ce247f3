// The behaviour every store backend must show (user_store.h, blog_store.h), run against each
// backend: SQLite always, MongoDB when a server answers (skipped loudly otherwise).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "store/id.h"
#include "tests/store/backends.h"
#include "tests/store/recording_tracer.h"

namespace blogtrace::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;
using testing::RecordedSpan;
using testing::RecordingTracer;

const system_clock::time_point kT0 = system_clock::time_point(milliseconds(1795000000123));

template <typename Backend>
class StoreConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = backend_.SkipReason()) {
      GTEST_SKIP() << *reason;
    }
    store_ = OpenOrDie();
  }

  std::unique_ptr<Store> OpenOrDie() {
    auto store = backend_.Open(tracer_, clock_);
    if (!store.ok()) {
      ADD_FAILURE() << "open failed: " << store.error().message;
      return nullptr;
    }
    return std::move(store).value();
  }

  UserStore& users() { return store_->users(); }
  BlogStore& blogs() { return store_->blogs(); }

  User CreateUser(const std::string& name, Permission permission = Permission::kWrite) {
    auto user = users().Create(ctx_, {name, "$argon2id$v=19$hash-of-" + name, permission});
    EXPECT_TRUE(user.ok()) << (user.ok() ? "" : user.error().message);
    return user.ok() ? user.value() : User{};
  }
  Blog CreateBlog(const std::string& title) {
    auto blog = blogs().Create(ctx_, {title, "content of " + title, "author-1", "alice"});
    EXPECT_TRUE(blog.ok()) << (blog.ok() ? "" : blog.error().message);
    return blog.ok() ? blog.value() : Blog{};
  }

  Backend backend_;
  RecordingTracer tracer_;
  ManualClock clock_{kT0};
  telemetry::Context ctx_;
  std::unique_ptr<Store> store_;
};

#ifdef BLOGTRACE_HAVE_MONGODB
using Backends = ::testing::Types<testing::SqliteBackend, testing::MongoBackend>;
#else
using Backends = ::testing::Types<testing::SqliteBackend>;
#endif

TYPED_TEST_SUITE(StoreConformanceTest, Backends);

TYPED_TEST(StoreConformanceTest, CreatesAndFindsUsers) {
  const User alice = this->CreateUser("alice", Permission::kWrite);
  EXPECT_FALSE(alice.id.empty());
  EXPECT_EQ(alice.username, "alice");
  EXPECT_EQ(alice.permission, Permission::kWrite);
  EXPECT_EQ(alice.password_hash, "$argon2id$v=19$hash-of-alice");
  EXPECT_EQ(alice.created_at, kT0);
  const User bob = this->CreateUser("bob", Permission::kRead);
  EXPECT_NE(bob.id, alice.id);

  auto by_id = this->users().FindById(this->ctx_, alice.id);
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  EXPECT_EQ(*by_id, alice);
  auto by_name = this->users().FindByUsername(this->ctx_, "ALICE");
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
  EXPECT_EQ(*by_name, alice);
  auto read_user = this->users().FindByUsername(this->ctx_, "bob");
  ASSERT_TRUE(read_user.ok());
  EXPECT_EQ(read_user->permission, Permission::kRead);
}

TYPED_TEST(StoreConformanceTest, UsernamesConflictWithoutRegardToCaseAndKeepTheirSpelling) {
  this->CreateUser("Alice.Smith_1");
  for (const char* other : {"alice.smith_1", "ALICE.SMITH_1", "Alice.Smith_1"}) {
    auto again = this->users().Create(this->ctx_, {other, "h", Permission::kRead});
    ASSERT_FALSE(again.ok()) << other;
    EXPECT_EQ(again.error().code, ErrorCode::kConflict) << other;
  }
  auto found = this->users().FindByUsername(this->ctx_, "alice.smith_1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->username, "Alice.Smith_1");
  EXPECT_EQ(found->permission, Permission::kWrite);
}

TYPED_TEST(StoreConformanceTest, MissingUsersAreNotFound) {
  this->CreateUser("carol");
  auto by_id = this->users().FindById(this->ctx_, NewId(kT0));
  ASSERT_FALSE(by_id.ok());
  EXPECT_EQ(by_id.error().code, ErrorCode::kNotFound);
  auto by_name = this->users().FindByUsername(this->ctx_, "carol2");
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.error().code, ErrorCode::kNotFound);
  auto garbage = this->users().FindById(this->ctx_, "'; DROP TABLE users; --");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreConformanceTest, StoresUnicodeBlogsWhole) {
  std::string long_content;
  for (int i = 0; i < 5000; ++i) {
    long_content += "é😀中\t";  // 20,000 code points, 45,000 bytes
  }
  const NewBlog input{"Grüße, 世界 👋 — naïve café", long_content, "user-42", "Zoë"};
  auto created = this->blogs().Create(this->ctx_, input);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_FALSE(created->id.empty());
  EXPECT_EQ(created->title, input.title);
  EXPECT_EQ(created->content, input.content);
  EXPECT_EQ(created->author_id, "user-42");
  EXPECT_EQ(created->author, "Zoë");
  EXPECT_EQ(created->created_at, kT0);

  auto found = this->blogs().FindById(this->ctx_, created->id);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, *created);
  EXPECT_EQ(found->content.size(), long_content.size());
}

TYPED_TEST(StoreConformanceTest, MissingBlogsAreNotFound) {
  auto found = this->blogs().FindById(this->ctx_, NewId(kT0));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
}

TYPED_TEST(StoreConformanceTest, ListsNewestFirstWithTiesBrokenByIdDescending) {
  std::vector<Blog> at_t0, at_t1;
  for (int i = 0; i < 3; ++i) {
    at_t0.push_back(this->CreateBlog("old " + std::to_string(i)));
  }
  this->clock_.Advance(milliseconds(1));
  for (int i = 0; i < 3; ++i) {
    at_t1.push_back(this->CreateBlog("mid " + std::to_string(i)));
  }
  this->clock_.Advance(std::chrono::hours(24));
  const Blog newest = this->CreateBlog("new");
  // Blogs created earlier but listed by their time, not by insertion.
  this->clock_.Set(kT0 - milliseconds(1));
  const Blog oldest = this->CreateBlog("oldest");

  auto by_id_desc = [](const Blog& a, const Blog& b) { return a.id > b.id; };
  std::sort(at_t0.begin(), at_t0.end(), by_id_desc);
  std::sort(at_t1.begin(), at_t1.end(), by_id_desc);
  std::vector<std::string> expected{newest.id};
  for (const Blog& b : at_t1) {
    expected.push_back(b.id);
  }
  for (const Blog& b : at_t0) {
    expected.push_back(b.id);
  }
  expected.push_back(oldest.id);

  auto page = this->blogs().List(this->ctx_, 100, 0);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->total, 8);
  std::vector<std::string> got;
  for (const Blog& b : page->blogs) {
    got.push_back(b.id);
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(page->blogs.front(), newest);
}

TYPED_TEST(StoreConformanceTest, PagesNeverOverlapOrMissBlogs) {
  std::set<std::string> all;
  for (int i = 0; i < 23; ++i) {
    if (i % 4 == 0) {
      this->clock_.Advance(milliseconds(7));  // groups of equal times
    }
    all.insert(this->CreateBlog("post " + std::to_string(i)).id);
  }
  auto full = this->blogs().List(this->ctx_, 100, 0);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->blogs.size(), 23u);

  std::vector<std::string> paged;
  for (int offset = 0; offset < 30; offset += 5) {
    auto page = this->blogs().List(this->ctx_, 5, offset);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->total, 23);
    EXPECT_EQ(page->blogs.size(), static_cast<std::size_t>(std::clamp(23 - offset, 0, 5)));
    for (const Blog& b : page->blogs) {
      paged.push_back(b.id);
    }
  }
  ASSERT_EQ(paged.size(), 23u);
  for (std::size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i], full->blogs[i].id) << i;
  }
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), all);
}

TYPED_TEST(StoreConformanceTest, KeysetPagesFollowTheOffsetOrderAndEndWithoutNext) {
  for (int i = 0; i < 23; ++i) {
    if (i % 4 == 0) {
      this->clock_.Advance(milliseconds(7));  // groups of equal times: ties broken by id
    }
    this->CreateBlog("post " + std::to_string(i));
  }
  auto full = this->blogs().List(this->ctx_, 100, 0);
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->blogs.size(), 23u);
  EXPECT_FALSE(full->next.has_value());

  auto first = this->blogs().List(this->ctx_, 5, 0);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next.has_value());
  EXPECT_EQ(first->next->id, first->blogs.back().id);
  EXPECT_EQ(first->next->created_at, first->blogs.back().created_at);
  std::vector<std::string> paged;
  for (const Blog& b : first->blogs) paged.push_back(b.id);
  std::optional<BlogKey> next = first->next;
  int pages = 1;
  while (next && pages < 10) {
    auto page = this->blogs().ListAfter(this->ctx_, 5, *next);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->total, 23);
    for (const Blog& b : page->blogs) paged.push_back(b.id);
    next = page->next;
    ++pages;
  }
  EXPECT_EQ(pages, 5);  // 5 + 5 + 5 + 5 + 3: the last page says there is none after it
  ASSERT_EQ(paged.size(), 23u);
  for (std::size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i], full->blogs[i].id) << i;
  }
  // A page that exactly fills the limit at the end has no next either.
  auto last_three =
      this->blogs().ListAfter(this->ctx_, 3, {full->blogs[19].created_at, full->blogs[19].id});
  ASSERT_TRUE(last_three.ok());
  EXPECT_EQ(last_three->blogs.size(), 3u);
  EXPECT_FALSE(last_three->next.has_value());
}

TYPED_TEST(StoreConformanceTest, KeysetPageAfterAKeyThatNamesNoBlog) {
  const Blog a = this->CreateBlog("a");
  this->clock_.Advance(milliseconds(10));
  const Blog b = this->CreateBlog("b");
  // Between the two times: only the older blog follows.
  auto page = this->blogs().ListAfter(this->ctx_, 10, {a.created_at + milliseconds(5), "zzz"});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->blogs.size(), 1u);
  EXPECT_EQ(page->blogs[0], a);
  EXPECT_EQ(page->total, 2);
  // After the newest time with an id sorting above every id: both.
  auto both = this->blogs().ListAfter(this->ctx_, 10, {b.created_at, "~"});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->blogs.size(), 2u);
  // After the oldest blog: nothing.
  auto none = this->blogs().ListAfter(this->ctx_, 10, {a.created_at, a.id});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->blogs.empty());
  EXPECT_FALSE(none->next.has_value());
  auto zero = this->blogs().ListAfter(this->ctx_, 0, {a.created_at, a.id});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::kBadRequest);
}

TYPED_TEST(StoreConformanceTest, EmptyListHasTotalZero) {
  auto page = this->blogs().List(this->ctx_, 20, 0);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->blogs.empty());
  EXPECT_EQ(page->total, 0);
}

TYPED_TEST(StoreConformanceTest, ListRejectsNonPositiveLimitAndNegativeOffset) {
  auto zero = this->blogs().List(this->ctx_, 0, 0);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::kBadRequest);
  auto negative = this->blogs().List(this->ctx_, 10, -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kBadRequest);
}

TYPED_TEST(StoreConformanceTest, ConcurrentBlogCreatesAllSucceedAndAreCounted) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::vector<std::string>> ids(kThreads);
  {
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          NewBlog input{"thread ", "body", "a", "b"};
          input.title += std::to_string(t * kPerThread + i);
          auto blog = this->blogs().Create(this->ctx_, input);
          if (!blog.ok()) {
            ++failures;
            continue;
          }
          ids[t].push_back(blog->id);
          if (i % 10 == 0 && !this->blogs().List(this->ctx_, 10, 0).ok()) {
            ++failures;
          }
        }
      });
    }
  }
  EXPECT_EQ(failures.load(), 0);
  std::set<std::string> unique;
  for (const auto& list : ids) {
    unique.insert(list.begin(), list.end());
  }
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPerThread));
  auto page = this->blogs().List(this->ctx_, 100, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, kThreads * kPerThread);
}

TYPED_TEST(StoreConformanceTest, ConcurrentCreatesOfOneUsernameLetExactlyOneWin) {
  constexpr int kThreads = 8;
  const std::vector<std::string> spellings{"dave", "Dave", "DAVE", "dAvE"};
  std::atomic<int> created{0}, conflicts{0}, other{0};
  {
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto user = this->users().Create(
            this->ctx_,
            {spellings[static_cast<std::size_t>(t) % spellings.size()], "h", Permission::kRead});
        if (user.ok()) {
          ++created;
        } else if (user.error().code == ErrorCode::kConflict) {
          ++conflicts;
        } else {
          ++other;
        }
      });
    }
  }
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
}

TYPED_TEST(StoreConformanceTest, DataSurvivesReopening) {
  const User erin = this->CreateUser("Erin");
  const Blog blog = this->CreateBlog("kept");
  this->store_.reset();
  this->store_ = this->OpenOrDie();  // a second open must not re-create or lose anything
  ASSERT_NE(this->store_, nullptr);
  auto user = this->users().FindByUsername(this->ctx_, "erin");
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(*user, erin);
  auto found = this->blogs().FindById(this->ctx_, blog.id);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, blog);
  auto conflict = this->users().Create(this->ctx_, {"ERIN", "h", Permission::kRead});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConflict);
  auto page = this->blogs().List(this->ctx_, 10, 0);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
}

// A context whose span is the parent of the store's spans.
telemetry::Context ParentContext() {
  std::array<std::uint8_t, 16> trace{};
  trace[0] = 0xab;
  std::array<std::uint8_t, 8> span{};
  span[0] = 0xcd;
  return {telemetry::SpanContext(telemetry::TraceId(trace), telemetry::SpanId(span),
                                 telemetry::TraceFlags{1}, true),
          {}};
}

TYPED_TEST(StoreConformanceTest, EveryCallEmitsOneDatabaseClientSpan) {
  using B = TypeParam;
  const telemetry::Context parent = ParentContext();
  this->tracer_.Clear();
  auto user = this->users().Create(parent, {"frank", "secret-hash-value", Permission::kWrite});
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(this->users().FindById(parent, user->id).ok());
  ASSERT_FALSE(this->users().FindByUsername(parent, "nobody").ok());
  auto conflict = this->users().Create(parent, {"FRANK", "other-hash", Permission::kRead});
  ASSERT_FALSE(conflict.ok());
  auto blog = this->blogs().Create(parent, {"span title", "span content", user->id, "frank"});
  ASSERT_TRUE(blog.ok());
  ASSERT_TRUE(this->blogs().FindById(parent, blog->id).ok());
  ASSERT_TRUE(this->blogs().List(parent, 10, 0).ok());

  const std::vector<RecordedSpan> spans = this->tracer_.Spans();
  ASSERT_EQ(spans.size(), 7u);
  const std::string insert_users = std::string(B::kInsert) + " users";
  const std::string select_users = std::string(B::kSelect) + " users";
  const std::string insert_blogs = std::string(B::kInsert) + " blogs";
  const std::string select_blogs = std::string(B::kSelect) + " blogs";
  const std::vector<std::string> names{insert_users, select_users, select_users, insert_users,
                                       insert_blogs, select_blogs, select_blogs};
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const RecordedSpan& s = spans[i];
    SCOPED_TRACE(s.name);
    EXPECT_EQ(s.name, names[i]);
    EXPECT_EQ(s.kind, telemetry::SpanKind::kClient);
    EXPECT_EQ(s.parent, parent.span_context);
    EXPECT_EQ(s.context.trace_id(), parent.span_context.trace_id());
    EXPECT_EQ(s.String("db.system"), B::kSystem);
    EXPECT_EQ(s.String("db.namespace"), this->backend_.Namespace());
    EXPECT_EQ(s.String("db.collection.name"), i < 4 ? "users" : "blogs");
    EXPECT_EQ(s.String("db.operation.name"), i == 0 || i == 3 || i == 4 ? B::kInsert : B::kSelect);
    const std::string query = s.String("db.query.text").value_or("");
    EXPECT_FALSE(query.empty());
    // Statements, never values.
    for (const char* value : {"frank", "secret-hash-value", "span title", "span content"}) {
      EXPECT_EQ(query.find(value), std::string::npos) << value << " in " << query;
    }
  }
  EXPECT_EQ(spans[0].status, telemetry::StatusCode::kUnset);
  EXPECT_EQ(spans[1].Int("db.response.returned_rows"), 1);
  EXPECT_EQ(spans[2].Int("db.response.returned_rows"), 0);
  EXPECT_EQ(spans[2].status, telemetry::StatusCode::kUnset);  // not found is no failure
  EXPECT_EQ(spans[3].status, telemetry::StatusCode::kError);  // the duplicate key
  EXPECT_TRUE(spans[3].String("error.type").has_value());
  EXPECT_EQ(spans[5].Int("db.response.returned_rows"), 1);
  EXPECT_EQ(spans[6].Int("db.response.returned_rows"), 1);
}

}  // namespace
}  // namespace blogtrace::store
