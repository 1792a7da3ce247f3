// A fixed pool of connections to one database file. Callers lease a connection for one store
// call; leasing blocks while all are in use. Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite/connection.h"

namespace blogtrace::store::sqlite {

class ConnectionPool {
 public:
  // A connection held exclusively until the Lease goes away. Move-only.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection) noexcept
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const noexcept { return *connection_; }
    Connection* operator->() const noexcept { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Takes ownership of the connections (at least one).
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections);

  // Waits for a free connection.
  Lease Acquire();

 private:
  void Release(std::unique_ptr<Connection> connection) noexcept;

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;  // guarded by mutex_
};

}  // namespace blogtrace::store::sqlite
