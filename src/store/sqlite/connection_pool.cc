#include "store/sqlite/connection_pool.h"

namespace blogtrace::store::sqlite {

ConnectionPool::Lease::~Lease() {
  if (connection_ != nullptr) {
    pool_->Release(std::move(connection_));
  }
}

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
    : free_(std::move(connections)) {}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty(); });
  std::unique_ptr<Connection> connection = std::move(free_.back());
  free_.pop_back();
  return Lease(*this, std::move(connection));
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) noexcept {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(connection));  // capacity reserved: never reallocates past size
  }
  available_.notify_one();
}

}  // namespace blogtrace::store::sqlite
