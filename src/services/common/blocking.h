// RunBlocking: runs a synchronous call (a store query, an Argon2id hash) on a thread pool and
// resumes the calling coroutine on its own executor, so slow work never stalls the event loop
// that serves other requests.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace blogtrace::services {

// Calls `f()` on `pool` and co_returns its result; an exception thrown by `f` is rethrown in the
// caller. `f` may hold references into the caller's frame: the caller is suspended until it ends.
template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> RunBlocking(boost::asio::thread_pool& pool, F f) {
  using T = std::invoke_result_t<F&>;
  std::optional<T> out;
  co_await boost::asio::co_spawn(
      pool.get_executor(),
      [&]() -> boost::asio::awaitable<void> {
        out.emplace(f());
        co_return;
      },
      boost::asio::use_awaitable);
  co_return std::move(*out);
}

}  // namespace blogtrace::services
