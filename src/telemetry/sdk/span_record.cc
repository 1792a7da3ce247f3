#include "telemetry/sdk/span_record.h"

#include <mutex>
#include <new>
#include <vector>

namespace blogtrace::telemetry::sdk {
namespace {

// Records move between threads in batches so the global lock is taken once per kBatch spans.
constexpr int kBatch = 32;
constexpr int kLocalCapacity = 2 * kBatch;

struct GlobalPool {
  std::mutex mu;
  std::vector<SpanRecord*> free;
};

// Never destroyed: thread-local caches may flush into it during process exit.
GlobalPool& Global() {
  static GlobalPool* pool = new GlobalPool;
  return *pool;
}

struct LocalCache {
  SpanRecord* items[kLocalCapacity];
  int size = 0;
  ~LocalCache() {
    GlobalPool& g = Global();
    std::lock_guard lock(g.mu);
    g.free.insert(g.free.end(), items, items + size);
  }
};

LocalCache& Local() {
  thread_local LocalCache cache;
  return cache;
}

}  // namespace

SpanRecord* SpanRecord::Acquire() noexcept {
  LocalCache& cache = Local();
  if (cache.size == 0) {
    GlobalPool& g = Global();
    std::lock_guard lock(g.mu);
    int take = static_cast<int>(std::min<std::size_t>(g.free.size(), kBatch));
    for (int i = 0; i < take; ++i) {
      cache.items[cache.size++] = g.free.back();
      g.free.pop_back();
    }
  }
  if (cache.size == 0) return new (std::nothrow) SpanRecord();
  return cache.items[--cache.size];
}

void SpanRecord::Release(SpanRecord* record) noexcept {
  if (record == nullptr) return;
  LocalCache& cache = Local();
  if (cache.size == kLocalCapacity) {
    GlobalPool& g = Global();
    std::lock_guard lock(g.mu);
    try {
      g.free.insert(g.free.end(), cache.items + kBatch, cache.items + kLocalCapacity);
      cache.size = kBatch;
    } catch (...) {
      delete record;
      return;
    }
  }
  cache.items[cache.size++] = record;
}

void SpanRecord::Reset(const Owner& owner) noexcept {
  owner_ = owner;
  parent_span_id = SpanId();
  parent_is_remote = false;
  attributes.clear();
  dropped_attributes_count = 0;
  events.clear();
  dropped_events_count = 0;
  links.clear();
  dropped_links_count = 0;
  status_code = StatusCode::kUnset;
  status_message.clear();
  end_unix_nanos = 0;
}

void SpanRecord::SetAttribute(std::string_view key, const AttributeValue& value) noexcept {
  try {
    sdk::SetAttribute(attributes, key, value, owner_.limits->attribute_count,
                      owner_.limits->attribute_value_length, dropped_attributes_count);
  } catch (...) {
    ++dropped_attributes_count;
  }
}

void SpanRecord::AddEvent(std::string_view name, std::span<const KeyValue> attrs,
                          std::optional<std::chrono::system_clock::time_point> time) noexcept {
  if (events.size() >= owner_.limits->event_count) {
    ++dropped_events_count;
    return;
  }
  try {
    SpanEvent& e = events.EmplaceBack();
    e.name.assign(name);
    e.time_unix_nanos = time ? ToUnixNanos(*time) : owner_.clock->NowUnixNanos();
    e.attributes.clear();
    e.dropped_attributes_count = 0;
    for (const auto& kv : attrs) {
      sdk::SetAttribute(e.attributes, kv.key, kv.value, owner_.limits->event_attribute_count,
                        owner_.limits->attribute_value_length, e.dropped_attributes_count);
    }
  } catch (...) {
    ++dropped_events_count;
  }
}

void SpanRecord::AddLink(const SpanContext& context, std::span<const KeyValue> attrs) noexcept {
  if (!context.IsValid()) return;
  if (links.size() >= owner_.limits->link_count) {
    ++dropped_links_count;
    return;
  }
  try {
    SpanLink& l = links.EmplaceBack();
    l.context = context;
    l.attributes.clear();
    l.dropped_attributes_count = 0;
    for (const auto& kv : attrs) {
      sdk::SetAttribute(l.attributes, kv.key, kv.value, owner_.limits->link_attribute_count,
                        owner_.limits->attribute_value_length, l.dropped_attributes_count);
    }
  } catch (...) {
    ++dropped_links_count;
  }
}

void SpanRecord::SetStatus(StatusCode code, std::string_view description) noexcept {
  // OTel API: Ok is final, Unset is ignored, the description belongs to Error only.
  if (status_code == StatusCode::kOk || code == StatusCode::kUnset) return;
  status_code = code;
  try {
    if (code == StatusCode::kError)
      status_message.assign(description);
    else
      status_message.clear();
  } catch (...) {
  }
}

void SpanRecord::UpdateName(std::string_view new_name) noexcept {
  try {
    name.assign(new_name);
  } catch (...) {
  }
}

void SpanRecord::End(std::optional<std::chrono::system_clock::time_point> end_time) noexcept {
  end_unix_nanos = end_time ? ToUnixNanos(*end_time) : owner_.clock->NowUnixNanos();
  if (end_unix_nanos < start_unix_nanos) end_unix_nanos = start_unix_nanos;
  // A RECORD_ONLY span (recording, not sampled) is never exported (OTel SDK spec, Sampling).
  if (!context.IsSampled()) {
    Release(this);
    return;
  }
  owner_.processor->OnEnd(this);
}

}  // namespace blogtrace::telemetry::sdk
