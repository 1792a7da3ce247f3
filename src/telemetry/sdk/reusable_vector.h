// ReusableVector: a vector whose clear() keeps its elements alive so their own buffers (strings,
// nested vectors) are reused by the next span that occupies a pooled record. Only [0, size())
// is live. Not thread-safe.
#pragma once

#include <cstddef>
#include <vector>

namespace blogtrace::telemetry::sdk {

template <typename T>
class ReusableVector {
 public:
  ReusableVector() = default;
  // Copies only the live elements.
  ReusableVector(const ReusableVector& other)
      : storage_(other.begin(), other.end()), size_(other.size_) {}
  ReusableVector& operator=(const ReusableVector& other) {
    if (this != &other) {
      clear();
      for (const T& v : other) EmplaceBack() = v;
    }
    return *this;
  }
  ReusableVector(ReusableVector&&) noexcept = default;
  ReusableVector& operator=(ReusableVector&&) noexcept = default;

  // A slot at the end: a recycled element (holding old contents; the caller overwrites every
  // field) or a new default-constructed one.
  T& EmplaceBack() {
    if (size_ == storage_.size()) storage_.emplace_back();
    return storage_[size_++];
  }
  void clear() noexcept { size_ = 0; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return storage_[i]; }
  const T& operator[](std::size_t i) const noexcept { return storage_[i]; }
  T* begin() noexcept { return storage_.data(); }
  T* end() noexcept { return storage_.data() + size_; }
  const T* begin() const noexcept { return storage_.data(); }
  const T* end() const noexcept { return storage_.data() + size_; }
  // Removes element i, keeping order (its object moves to the spare area for reuse).
  void Erase(std::size_t i) {
    for (std::size_t j = i; j + 1 < size_; ++j) std::swap(storage_[j], storage_[j + 1]);
    --size_;
  }

 private:
  std::vector<T> storage_;
  std::size_t size_ = 0;
};

}  // namespace blogtrace::telemetry::sdk
