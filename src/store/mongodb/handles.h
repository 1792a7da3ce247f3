// RAII owners for libmongoc and libbson handles. Each owner frees its handle exactly once, on
// every path. Thread safety follows libmongoc: the pool is thread-safe; a client popped from it
// (and the collections and cursors made from that client) belong to one thread until returned.
#pragma once

#include <bson/bson.h>
#include <mongoc/mongoc.h>

#include <cstddef>
#include <memory>

namespace blogtrace::store::mongo {

struct UriDeleter {
  void operator()(mongoc_uri_t* u) const noexcept { mongoc_uri_destroy(u); }
};
struct PoolDeleter {
  void operator()(mongoc_client_pool_t* p) const noexcept { mongoc_client_pool_destroy(p); }
};
struct CollectionDeleter {
  void operator()(mongoc_collection_t* c) const noexcept { mongoc_collection_destroy(c); }
};
struct CursorDeleter {
  void operator()(mongoc_cursor_t* c) const noexcept { mongoc_cursor_destroy(c); }
};
struct WriteConcernDeleter {
  void operator()(mongoc_write_concern_t* w) const noexcept { mongoc_write_concern_destroy(w); }
};

// Owns a heap-allocated BSON document (bson_new / bson_destroy), or nothing. Move-only. (Not a
// unique_ptr: bson_t carries an alignment attribute that template arguments drop, which GCC
// warns about.)
class BsonPtr {
 public:
  BsonPtr() noexcept = default;
  explicit BsonPtr(bson_t* doc) noexcept : doc_(doc) {}
  BsonPtr(std::nullptr_t) noexcept {}  // NOLINT: so functions can `return nullptr`
  BsonPtr(BsonPtr&& other) noexcept : doc_(other.doc_) { other.doc_ = nullptr; }
  BsonPtr& operator=(BsonPtr&& other) noexcept {
    if (this != &other) {
      reset();
      doc_ = other.doc_;
      other.doc_ = nullptr;
    }
    return *this;
  }
  BsonPtr(const BsonPtr&) = delete;
  BsonPtr& operator=(const BsonPtr&) = delete;
  ~BsonPtr() { reset(); }

  bson_t* get() const noexcept { return doc_; }
  bson_t& operator*() const noexcept { return *doc_; }
  friend bool operator==(const BsonPtr& p, std::nullptr_t) noexcept { return p.doc_ == nullptr; }

 private:
  void reset() noexcept {
    if (doc_ != nullptr) {
      bson_destroy(doc_);
    }
    doc_ = nullptr;
  }
  bson_t* doc_ = nullptr;
};
using UriPtr = std::unique_ptr<mongoc_uri_t, UriDeleter>;
using PoolPtr = std::unique_ptr<mongoc_client_pool_t, PoolDeleter>;
using CollectionPtr = std::unique_ptr<mongoc_collection_t, CollectionDeleter>;
using CursorPtr = std::unique_ptr<mongoc_cursor_t, CursorDeleter>;
using WriteConcernPtr = std::unique_ptr<mongoc_write_concern_t, WriteConcernDeleter>;

// A new empty document.
inline BsonPtr NewBson() { return BsonPtr(bson_new()); }

// A bson_t on the stack for replies libmongoc initialises (always initialised, even on error),
// destroyed at scope exit.
class Reply {
 public:
  Reply() noexcept { bson_init(&doc_); }
  ~Reply() { bson_destroy(&doc_); }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  // For libmongoc's out-parameters; they overwrite the (empty) document with bson_init.
  bson_t* get() noexcept { return &doc_; }

 private:
  bson_t doc_;
};

// A client popped from the pool, pushed back when the lease ends. Move-only.
class ClientLease {
 public:
  // Blocks while the pool is at maxPoolSize.
  explicit ClientLease(mongoc_client_pool_t* pool) noexcept
      : pool_(pool), client_(mongoc_client_pool_pop(pool)) {}
  ~ClientLease() {
    if (client_ != nullptr) {
      mongoc_client_pool_push(pool_, client_);
    }
  }
  ClientLease(const ClientLease&) = delete;
  ClientLease& operator=(const ClientLease&) = delete;
  mongoc_client_t* get() const noexcept { return client_; }

 private:
  mongoc_client_pool_t* pool_;
  mongoc_client_t* client_;
};

}  // namespace blogtrace::store::mongo
