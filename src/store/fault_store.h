// Store faults (`store=<operation>` rules): a decorator around a Store whose calls consult the
// fault rules first. When a rule fires, the call gets a database CLIENT span of its own, named
// as the backend names its spans ("SELECT blogs"), which carries the `fault.injected` event and
// attribute: a delay is that span's own time (the real call then runs as its child), an error is
// that span failing (500 → kInternal, 503 → kUnavailable) without the real call. Calls no rule
// fires for pass straight through, with no extra span.
//
// Operations: blogs List → "list", FindById → "get", Create → "insert"; users FindById and
// FindByUsername → "find_user", Create → "insert_user".
// Thread safety: as the wrapped store. Lifetime: the injector and tracer must outlive the result.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "common/config.h"
#include "faults/fault_injector.h"
#include "store/store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

// What the decorator needs besides the store.
struct StoreFaultOptions {
  const faults::FaultInjector* injector = nullptr;  // not owned; never null
  telemetry::Tracer* tracer = nullptr;              // not owned; never null
  // The backend, for the fault span's db.system and operation names (SELECT/INSERT or find/insert).
  StoreKind kind = StoreKind::kSqlite;
  // How a delay is spent: the store interface is synchronous, so the calling thread waits
  // (as it would on a slow database). Tests replace it to record instead of sleeping.
  std::function<void(std::chrono::microseconds)> sleep;
};

// `inner` with store faults applied.
std::unique_ptr<Store> WithStoreFaults(std::unique_ptr<Store> inner, StoreFaultOptions options);

}  // namespace blogtrace::store
