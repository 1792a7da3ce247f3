// Store: one open database backend (SQLite or MongoDB) offering both stores over shared
// connections. Services hold a Store (or just the UserStore/BlogStore they need), never a
// concrete backend.
#pragma once

#include "store/blog_store.h"
#include "store/user_store.h"

namespace blogtrace::store {

// An open backend. Thread-safe. The references it returns live as long as it does.
class Store {
 public:
  virtual ~Store() = default;
  // The users.
  virtual UserStore& users() noexcept = 0;
  // The blogs.
  virtual BlogStore& blogs() noexcept = 0;
};

}  // namespace blogtrace::store
