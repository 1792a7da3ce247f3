#include "store/fault_store.h"

#include <string>
#include <thread>

#include "faults/fault_span.h"
#include "store/db_span.h"

namespace blogtrace::store {
namespace {

// One faultable store operation: its rule name and how the backend names its span.
struct Operation {
  std::string_view rule;        // "list"
  bool write = false;           // INSERT / insert, else SELECT / find
  std::string_view collection;  // "blogs" | "users"
};

class Faults {
 public:
  explicit Faults(StoreFaultOptions options) : options_(std::move(options)) {
    if (!options_.sleep) {
      options_.sleep = [](std::chrono::microseconds d) { std::this_thread::sleep_for(d); };
    }
  }

  // Runs `call(ctx)` under the faults that fire for `op`.
  template <typename T, typename Call>
  Result<T> Run(const Operation& op, const telemetry::Context& ctx, Call&& call) const {
    faults::FaultDecision decision =
        options_.injector->Decide({.kind = faults::FaultSiteKind::kStore, .target = op.rule});
    if (!decision.fired()) return call(ctx);
    bool mongo = options_.kind == StoreKind::kMongoDb;
    std::string_view operation =
        op.write ? (mongo ? "insert" : "INSERT") : (mongo ? "find" : "SELECT");
    telemetry::Span span = StartDbSpan(*options_.tracer, ctx,
                                       {.system = mongo ? "mongodb" : "sqlite",
                                        .operation = operation,
                                        .collection = op.collection});
    faults::RecordFault(span, decision);
    if (decision.delay.count() > 0) options_.sleep(decision.delay);
    if (decision.error_status != 0) {
      std::string message = faults::FaultMessage(decision);
      SetDbError(span, std::to_string(decision.error_status), message);
      return decision.error_status == 503 ? Error::Unavailable(message) : Error::Internal(message);
    }
    return call(telemetry::ContextWithSpan(ctx, span));
  }

 private:
  StoreFaultOptions options_;
};

class FaultUserStore final : public UserStore {
 public:
  FaultUserStore(UserStore& inner, const Faults& faults) : inner_(inner), faults_(faults) {}

  Result<User> Create(const telemetry::Context& ctx, const NewUser& user) override {
    return faults_.Run<User>({"insert_user", true, "users"}, ctx,
                             [&](const telemetry::Context& c) { return inner_.Create(c, user); });
  }
  Result<User> FindById(const telemetry::Context& ctx, std::string_view id) override {
    return faults_.Run<User>({"find_user", false, "users"}, ctx,
                             [&](const telemetry::Context& c) { return inner_.FindById(c, id); });
  }
  Result<User> FindByUsername(const telemetry::Context& ctx, std::string_view username) override {
    return faults_.Run<User>({"find_user", false, "users"}, ctx, [&](const telemetry::Context& c) {
      return inner_.FindByUsername(c, username);
    });
  }

 private:
  UserStore& inner_;
  const Faults& faults_;
};

class FaultBlogStore final : public BlogStore {
 public:
  FaultBlogStore(BlogStore& inner, const Faults& faults) : inner_(inner), faults_(faults) {}

  Result<Blog> Create(const telemetry::Context& ctx, const NewBlog& blog) override {
    return faults_.Run<Blog>({"insert", true, "blogs"}, ctx,
                             [&](const telemetry::Context& c) { return inner_.Create(c, blog); });
  }
  Result<Blog> FindById(const telemetry::Context& ctx, std::string_view id) override {
    return faults_.Run<Blog>({"get", false, "blogs"}, ctx,
                             [&](const telemetry::Context& c) { return inner_.FindById(c, id); });
  }
  Result<BlogPage> List(const telemetry::Context& ctx, int limit, int offset) override {
    return faults_.Run<BlogPage>({"list", false, "blogs"}, ctx, [&](const telemetry::Context& c) {
      return inner_.List(c, limit, offset);
    });
  }
  // A keyset page is a list (the rule `store=list` covers both ways of paging).
  Result<BlogPage> ListAfter(const telemetry::Context& ctx, int limit,
                             const BlogKey& after) override {
    return faults_.Run<BlogPage>({"list", false, "blogs"}, ctx, [&](const telemetry::Context& c) {
      return inner_.ListAfter(c, limit, after);
    });
  }
  // Seeding and imports are inserts.
  Result<std::int64_t> CreateMany(const telemetry::Context& ctx,
                                  std::span<const NewBlog> blogs) override {
    return faults_.Run<std::int64_t>(
        {"insert", true, "blogs"}, ctx,
        [&](const telemetry::Context& c) { return inner_.CreateMany(c, blogs); });
  }

 private:
  BlogStore& inner_;
  const Faults& faults_;
};

class FaultStore final : public Store {
 public:
  FaultStore(std::unique_ptr<Store> inner, StoreFaultOptions options)
      : inner_(std::move(inner)),
        faults_(std::move(options)),
        users_(inner_->users(), faults_),
        blogs_(inner_->blogs(), faults_) {}

  UserStore& users() noexcept override { return users_; }
  BlogStore& blogs() noexcept override { return blogs_; }

 private:
  std::unique_ptr<Store> inner_;
  Faults faults_;
  FaultUserStore users_;
  FaultBlogStore blogs_;
};

}  // namespace

std::unique_ptr<Store> WithStoreFaults(std::unique_ptr<Store> inner, StoreFaultOptions options) {
  return std::make_unique<FaultStore>(std::move(inner), std::move(options));
}

}  // namespace blogtrace::store
