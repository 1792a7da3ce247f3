#include "collector/otlp_wire.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "collector/attribute_value.h"
#include "collector/extract_util.h"
#include "collector/hex.h"
#include "collector/jaeger_names.h"
#include "collector/span_batch.h"

namespace blogtrace::collector {
namespace wire {

namespace {

// The general case, from the first non-ASCII byte on.
bool ValidUtf8From(const unsigned char* p, const unsigned char* end) {
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    if (c < 0xC2) return false;  // a continuation byte, or an overlong 2-byte form
    if (c < 0xE0) {
      if (end - p < 2 || !cont(p[1])) return false;
      p += 2;
    } else if (c < 0xF0) {
      if (end - p < 3 || !cont(p[1]) || !cont(p[2])) return false;
      if (c == 0xE0 && p[1] < 0xA0) return false;   // overlong
      if (c == 0xED && p[1] >= 0xA0) return false;  // surrogate
      p += 3;
    } else if (c < 0xF5) {
      if (end - p < 4 || !cont(p[1]) || !cont(p[2]) || !cont(p[3])) return false;
      if (c == 0xF0 && p[1] < 0x90) return false;   // overlong
      if (c == 0xF4 && p[1] >= 0x90) return false;  // above U+10FFFF
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  // ASCII (nearly every attribute) eight bytes at a time, then byte by byte.
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  for (; end - p >= 8; p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if ((w & 0x8080808080808080ull) != 0) return ValidUtf8From(p, end);
  }
  for (; p < end; ++p) {
    if (*p >= 0x80) return ValidUtf8From(p, end);
  }
  return true;
}

}  // namespace wire

namespace {

using Ptr = const char*;
using extract::AppendTag;
using wire::kMaxMessageDepth;

enum WireType : std::uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLen = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

constexpr std::uint32_t Tag(std::uint32_t field, WireType type) { return field << 3 | type; }

// A length-delimited payload: [data, end).
struct Field {
  Ptr data = nullptr;
  Ptr end = nullptr;
  std::string_view view() const { return {data, static_cast<std::size_t>(end - data)}; }
};

// A base-128 varint of at most kMaxBytes bytes, as libprotobuf reads it: bits past the width of
// T are dropped; nullptr when it runs past `end` or is longer.
template <typename T, int kMaxBytes>
inline Ptr ReadLimitedVarint(Ptr p, Ptr end, T* out) {
  if (p < end && static_cast<unsigned char>(*p) < 0x80) {
    *out = static_cast<unsigned char>(*p);
    return p + 1;
  }
  T v = 0;
  for (int i = 0; i < kMaxBytes && p < end; ++i) {
    auto b = static_cast<unsigned char>(*p++);
    v |= static_cast<T>(static_cast<T>(b & 0x7f) << (7 * i));
    if (b < 0x80) {
      *out = v;
      return p;
    }
  }
  return nullptr;
}

// libprotobuf's varint: at most 10 bytes, the value modulo 2^64.
inline Ptr ReadVarint(Ptr p, Ptr end, std::uint64_t* out) {
  return ReadLimitedVarint<std::uint64_t, 10>(p, end, out);
}

// libprotobuf's tag: at most 5 bytes, the value modulo 2^32.
inline Ptr ReadTag(Ptr p, Ptr end, std::uint32_t* out) {
  return ReadLimitedVarint<std::uint32_t, 5>(p, end, out);
}

// libprotobuf's size: at most 5 bytes (the fifth below 8), below 2^31 - 16
// (ParseContext::kSlopBytes).
inline Ptr ReadSize(Ptr p, Ptr end, std::uint32_t* out) {
  Ptr start = p;
  std::uint32_t v = 0;
  p = ReadLimitedVarint<std::uint32_t, 5>(p, end, &v);
  if (!p) return nullptr;
  if (p - start == 5 && static_cast<unsigned char>(start[4]) >= 8) return nullptr;
  if (v > 0x7fffffffu - 16) return nullptr;
  *out = v;
  return p;
}

// Returned by a field handler to have the walker skip the field as unknown.
const char kSkipMarker = 0;
const Ptr kSkip = &kSkipMarker;

// The batch's tag text, written in place: the buffer is sized ahead and the text's length kept
// here, so an append is a bounds check and two copies (std::string appends cost a resize each).
// Writes exactly what extract::AppendTag writes; Finish() trims the buffer to the text.
class TagWriter {
 public:
  explicit TagWriter(std::string& buffer) : buf_(buffer), len_(buffer.size()) {}

  std::size_t size() const { return len_; }
  void Truncate(std::size_t size) { len_ = size; }
  void Reserve(std::size_t bytes) {
    if (bytes > buf_.size() - len_) buf_.resize(std::max(buf_.size() * 2, len_ + bytes));
  }
  void Finish() { buf_.resize(len_); }

  void Append(std::size_t text_start, std::string_view key, std::string_view value) {
    const bool lead = len_ == text_start;
    Reserve(lead + key.size() + value.size() + 2);
    char* p = buf_.data() + len_;
    if (lead) *p++ = '\x1f';
    char* k = p;
    if (!key.empty()) std::memcpy(p, key.data(), key.size());
    p += key.size();
    *p++ = '\x1e';
    char* v = p;
    if (!value.empty()) std::memcpy(p, value.data(), value.size());
    p += value.size();
    *p++ = '\x1f';
    len_ = static_cast<std::size_t>(p - buf_.data());
    // Separators inside become spaces (the same length, so in place).
    if (extract::HasSeparator(key)) Clean(k, key.size());
    if (extract::HasSeparator(value)) Clean(v, value.size());
  }

 private:
  static void Clean(char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (p[i] == '\x1e' || p[i] == '\x1f') p[i] = ' ';
    }
  }

  std::string& buf_;
  std::size_t len_;
};

// Tag output: the batch's writer, or a plain string (origins).
inline void AppendTag(TagWriter& out, std::size_t text_start, std::string_view key,
                      std::string_view value) {
  out.Append(text_start, key, value);
}

// What a KeyValue's AnyValue holds once all its occurrences are merged: the oneof member set
// last (its AnyValue field number; 0 = none) and, for scalars, strings and bytes, that value.
struct ValueSummary {
  std::uint32_t member = 0;
  Field bytes;             // string_value, bytes_value
  std::uint64_t bits = 0;  // bool_value, int_value, double_value
};

struct KeyValueView {
  Field key;
  ValueSummary value;
  int value_count = 0;  // occurrences of the value field (merged by protobuf)
  Field first_value;
};

enum AnyValueField : std::uint32_t {
  kStringValue = 1,
  kBoolValue = 2,
  kIntValue = 3,
  kDoubleValue = 4,
  kArrayValue = 5,
  kKvlistValue = 6,
  kBytesValue = 7,
};

// One walk over a request body. Every message is checked as libprotobuf checks it (see
// otlp_wire.h); spans, origins and tag text are produced as ExtractSpans produces them from the
// parsed message.
class Extractor {
 public:
  explicit Extractor(std::string body) {
    result_.batch.bytes = std::move(body);
    base_ = result_.batch.bytes.data();
    scope_spans_.reserve(8);
    items_.reserve(32);
  }

  Result<ExtractResult> Run() {
    SpanBatch& batch = result_.batch;
    Ptr p = base_;
    Ptr end = base_ + batch.bytes.size();
    std::size_t spans = CountSpans(p, end);
    batch.spans.reserve(spans);
    tags_.Reserve(batch.bytes.size() / 2 + spans * 64);
    bool ok = Walk(p, end, 0, [&](std::uint32_t tag, Ptr q) -> Ptr {
      if (tag != Tag(1, kLen)) return kSkip;
      Field f;
      q = Len(q, end, &f);
      return q && ResourceSpans(f, 1) ? q : nullptr;
    });
    if (!ok) {
      std::string message = "malformed protobuf: ";
      message += error_ != nullptr ? error_ : "unreadable request";
      if (error_field_ != nullptr) message += error_field_;
      return Error::BadRequest(std::move(message));
    }
    tags_.Finish();
    if (result_.rejected > 0) {
      result_.error_message = extract::RejectedMessage(result_.rejected, first_reason_);
    }
    return std::move(result_);
  }

 private:
  // The resource part of an origin, shared by the ResourceSpans' scopes.
  struct ResourceDraft {
    std::string bytes;
    std::string tags;
    Field service;
    bool has_service = false;
  };

  std::nullptr_t Fail(const char* what, const char* field = nullptr) {
    if (error_ == nullptr) {
      error_ = what;
      error_field_ = field;
    }
    return nullptr;
  }

  std::uint32_t Offset(Ptr p) const { return static_cast<std::uint32_t>(p - base_); }

  // Calls on_field(tag, value) for every field of the message in [p, end) at nesting `depth`
  // (the request is 0); the handler returns the end of the field's value, nullptr on failure, or
  // kSkip to have an unknown field skipped.
  template <typename F>
  bool Walk(Ptr p, Ptr end, int depth, F&& on_field) {
    if (depth > kMaxMessageDepth) {
      Fail("messages nested deeper than 100");
      return false;
    }
    while (p < end) {
      std::uint32_t tag;
      p = ReadTag(p, end, &tag);
      if (p == nullptr) {
        Fail("truncated or overlong tag");
        return false;
      }
      Ptr next = on_field(tag, p);
      if (next == kSkip) next = SkipUnknown(tag, p, end, depth);
      if (next == nullptr) return false;
      p = next;
    }
    return true;
  }

  // Skips the value of an unknown field with `tag` in a message or group at `depth`.
  Ptr SkipUnknown(std::uint32_t tag, Ptr p, Ptr end, int depth) {
    if ((tag & 7) == kEndGroup) return Fail("end-group tag without a group");
    if ((tag >> 3) == 0) return Fail("field number 0");
    switch (tag & 7) {
      case kVarint: {
        std::uint64_t v;
        return Varint(p, end, &v);
      }
      case kFixed64:
        return end - p < 8 ? Fail("truncated fixed64") : p + 8;
      case kFixed32:
        return end - p < 4 ? Fail("truncated fixed32") : p + 4;
      case kLen: {
        Field f;
        return Len(p, end, &f);
      }
      case kStartGroup: {
        if (depth + 1 > kMaxMessageDepth) return Fail("messages nested deeper than 100");
        const std::uint32_t end_tag = (tag & ~7u) | kEndGroup;
        while (p < end) {
          std::uint32_t inner;
          p = ReadTag(p, end, &inner);
          if (p == nullptr) return Fail("truncated or overlong tag");
          if (inner == end_tag) return p;
          if ((inner & 7) == kEndGroup) return Fail("end-group tag does not match its group");
          p = SkipUnknown(inner, p, end, depth + 1);
          if (p == nullptr) return nullptr;
        }
        return Fail("unterminated group");
      }
      default:
        return Fail("invalid wire type");
    }
  }

  Ptr Varint(Ptr p, Ptr end, std::uint64_t* v) {
    p = ReadVarint(p, end, v);
    return p ? p : Fail("truncated or overlong varint");
  }

  Ptr Fixed64(Ptr p, Ptr end, std::uint64_t* v) {
    if (end - p < 8) return Fail("truncated fixed64");
    std::memcpy(v, p, 8);
    return p + 8;
  }

  Ptr Fixed32(Ptr p, Ptr end) { return end - p < 4 ? Fail("truncated fixed32") : p + 4; }

  // Reads a length prefix and the payload after it.
  Ptr Len(Ptr p, Ptr end, Field* f) {
    std::uint32_t n;
    p = ReadSize(p, end, &n);
    if (p == nullptr) return Fail("truncated or invalid length");
    if (n > static_cast<std::size_t>(end - p)) return Fail("length past the end of its message");
    f->data = p;
    f->end = p + n;
    return f->end;
  }

  // A proto3 string field: the payload must be UTF-8.
  Ptr String(Ptr p, Ptr end, Field* f, const char* field_name) {
    p = Len(p, end, f);
    if (p != nullptr && !wire::IsValidUtf8(f->view())) {
      return Fail("invalid UTF-8 in string field ", field_name);
    }
    return p;
  }

  // --- common.proto -------------------------------------------------------------------------

  bool AnyValue(Field m, int depth, ValueSummary& v) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      switch (tag) {
        case Tag(kStringValue, kLen):
          q = String(q, m.end, &f, "opentelemetry.proto.common.v1.AnyValue.string_value");
          v = {kStringValue, f, 0};
          return q;
        case Tag(kBoolValue, kVarint):
          v.member = kBoolValue;
          return Varint(q, m.end, &v.bits);
        case Tag(kIntValue, kVarint):
          v.member = kIntValue;
          return Varint(q, m.end, &v.bits);
        case Tag(kDoubleValue, kFixed64):
          v.member = kDoubleValue;
          return Fixed64(q, m.end, &v.bits);
        case Tag(kArrayValue, kLen):
          q = Len(q, m.end, &f);
          v.member = kArrayValue;
          return q && ArrayValue(f, depth + 1) ? q : nullptr;
        case Tag(kKvlistValue, kLen):
          q = Len(q, m.end, &f);
          v.member = kKvlistValue;
          return q && KeyValueList(f, depth + 1) ? q : nullptr;
        case Tag(kBytesValue, kLen):
          q = Len(q, m.end, &f);
          v = {kBytesValue, f, 0};
          return q;
        default:
          return kSkip;
      }
    });
  }

  bool ArrayValue(Field m, int depth) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      if (tag != Tag(1, kLen)) return kSkip;
      Field f;
      ValueSummary ignored;
      q = Len(q, m.end, &f);
      return q && AnyValue(f, depth + 1, ignored) ? q : nullptr;
    });
  }

  bool KeyValueList(Field m, int depth) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      if (tag != Tag(1, kLen)) return kSkip;
      Field f;
      KeyValueView ignored;
      q = Len(q, m.end, &f);
      return q && KeyValue(f, depth + 1, ignored) ? q : nullptr;
    });
  }

  bool KeyValue(Field m, int depth, KeyValueView& kv) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      switch (tag) {
        case Tag(1, kLen):
          q = String(q, m.end, &f, "opentelemetry.proto.common.v1.KeyValue.key");
          kv.key = f;
          return q;
        case Tag(2, kLen):
          q = Len(q, m.end, &f);
          if (q == nullptr || !AnyValue(f, depth + 1, kv.value)) return nullptr;
          if (kv.value_count++ == 0) kv.first_value = f;
          return q;
        default:
          return kSkip;
      }
    });
  }

  // Appends the pair as ExtractSpans does: strings in place, other values as AnyValueToString
  // renders them (arrays and maps through a parsed AnyValue, the merge of all its occurrences).
  template <typename Out>
  void AppendKeyValue(Out& out, std::size_t text_start, const KeyValueView& kv, Field m) {
    const ValueSummary& v = kv.value;
    switch (v.member) {
      case kStringValue:
      case 0:
        AppendTag(out, text_start, kv.key.view(), v.bytes.view());
        return;
      case kBoolValue:
        AppendTag(out, text_start, kv.key.view(), v.bits != 0 ? "true" : "false");
        return;
      case kIntValue: {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<std::int64_t>(v.bits));
        AppendTag(out, text_start, kv.key.view(), std::string_view(buf, r.ptr - buf));
        return;
      }
      case kDoubleValue: {
        otlp_common::AnyValue value;
        value.set_double_value(std::bit_cast<double>(v.bits));
        AppendTag(out, text_start, kv.key.view(), AnyValueToString(value));
        return;
      }
      case kBytesValue:
        AppendTag(out, text_start, kv.key.view(), Base64Encode(v.bytes.view()));
        return;
      default: {
        std::string merged;
        std::string_view bytes = kv.first_value.view();
        if (kv.value_count > 1) {
          Walk(m.data, m.end, 0, [&](std::uint32_t tag, Ptr q) -> Ptr {
            if (tag != Tag(2, kLen)) return kSkip;
            Field f;
            q = Len(q, m.end, &f);
            merged.append(f.view());
            return q;
          });
          bytes = merged;
        }
        otlp_common::AnyValue value;
        value.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));  // checked above
        AppendTag(out, text_start, kv.key.view(), AnyValueToString(value));
        return;
      }
    }
  }

  // A repeated KeyValue field's entry (its payload): checked and appended to the tag text.
  bool Attribute(Field f, int depth, TagWriter& out, std::size_t text_start) {
    KeyValueView kv;
    if (!KeyValue(f, depth, kv)) return false;
    AppendKeyValue(out, text_start, kv, f);
    return true;
  }

  // A repeated KeyValue field's entry that is only checked.
  Ptr CheckedKeyValue(Ptr q, Ptr end, int depth) {
    Field f;
    KeyValueView kv;
    q = Len(q, end, &f);
    return q && KeyValue(f, depth, kv) ? q : nullptr;
  }

  // --- resource.proto, InstrumentationScope ---------------------------------------------------

  bool Resource(Field m, int depth, ResourceDraft& r) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      switch (tag) {
        case Tag(1, kLen): {
          Field f;
          KeyValueView kv;
          q = Len(q, m.end, &f);
          if (q == nullptr || !KeyValue(f, depth + 1, kv)) return nullptr;
          AppendKeyValue(r.tags, 0, kv, f);
          // ServiceName: the first non-empty string service.name.
          if (!r.has_service && kv.value.member == kStringValue &&
              kv.value.bytes.end != kv.value.bytes.data && kv.key.view() == "service.name") {
            r.service = kv.value.bytes;
            r.has_service = true;
          }
          return q;
        }
        case Tag(2, kVarint): {
          std::uint64_t v;
          return Varint(q, m.end, &v);
        }
        default:
          return kSkip;
      }
    });
  }

  bool Scope(Field m, int depth, Field& name, Field& version) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      switch (tag) {
        case Tag(1, kLen):
          return String(q, m.end, &name, "opentelemetry.proto.common.v1.InstrumentationScope.name");
        case Tag(2, kLen):
          return String(q, m.end, &version,
                        "opentelemetry.proto.common.v1.InstrumentationScope.version");
        case Tag(3, kLen):
          return CheckedKeyValue(q, m.end, depth + 1);
        case Tag(4, kVarint): {
          std::uint64_t v;
          return Varint(q, m.end, &v);
        }
        default:
          return kSkip;
      }
    });
  }

  // --- trace.proto ----------------------------------------------------------------------------

  bool ResourceSpans(Field m, int depth) {
    ResourceDraft resource;
    scope_spans_.clear();
    bool ok = Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      switch (tag) {
        case Tag(1, kLen):
          q = Len(q, m.end, &f);
          if (q == nullptr || !Resource(f, depth + 1, resource)) return nullptr;
          resource.bytes.append(f.view());  // occurrences merge: concatenated bytes parse so
          return q;
        case Tag(2, kLen):
          // After the resource, which may come later.
          q = Len(q, m.end, &f);
          if (q != nullptr) scope_spans_.push_back(f);
          return q;
        case Tag(3, kLen):
          return String(q, m.end, &f, "opentelemetry.proto.trace.v1.ResourceSpans.schema_url");
        default:
          return kSkip;
      }
    });
    if (!ok) return false;
    for (std::size_t i = 0; i < scope_spans_.size(); ++i) {
      if (!ScopeSpans(scope_spans_[i], depth + 1, resource)) return false;
    }
    return true;
  }

  bool ScopeSpans(Field m, int depth, const ResourceDraft& resource) {
    std::string scope_bytes;
    Field name, version;
    const auto origin = static_cast<std::uint32_t>(result_.batch.origins.size());
    bool used = false;
    bool ok = Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      switch (tag) {
        case Tag(1, kLen):
          q = Len(q, m.end, &f);
          if (q == nullptr || !Scope(f, depth + 1, name, version)) return nullptr;
          scope_bytes.append(f.view());
          return q;
        case Tag(2, kLen):
          q = Len(q, m.end, &f);
          return q && Span(f, depth + 1, origin, used) ? q : nullptr;
        case Tag(3, kLen):
          return String(q, m.end, &f, "opentelemetry.proto.trace.v1.ScopeSpans.schema_url");
        default:
          return kSkip;
      }
    });
    if (!ok) return false;
    if (used) {
      Origin& o = result_.batch.origins.emplace_back();
      o.resource = resource.bytes;
      o.scope = std::move(scope_bytes);
      o.service = resource.has_service ? std::string(resource.service.view()) : "unknown_service";
      o.tags = resource.tags;
      if (name.end != name.data) AppendTag(o.tags, 0, kScopeNameTag, name.view());
      if (version.end != version.data) AppendTag(o.tags, 0, kScopeVersionTag, version.view());
    }
    return true;
  }

  // A repeated field of a span whose tag text comes after the span's other fields are known.
  struct SpanItem {
    Field field;
    bool event;
  };

  bool Span(Field m, int depth, std::uint32_t origin, bool& used) {
    Field trace_id, span_id, parent_id, name{m.data, m.data};
    std::uint64_t kind = 0, start = 0, end_time = 0, status_code = 0;
    Field status_message;
    items_.clear();
    bool ok = Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      std::uint64_t v;
      switch (tag) {
        case Tag(1, kLen):
          return Len(q, m.end, &trace_id);
        case Tag(2, kLen):
          return Len(q, m.end, &span_id);
        case Tag(3, kLen):
          return String(q, m.end, &f, "opentelemetry.proto.trace.v1.Span.trace_state");
        case Tag(4, kLen):
          return Len(q, m.end, &parent_id);
        case Tag(5, kLen):
          return String(q, m.end, &name, "opentelemetry.proto.trace.v1.Span.name");
        case Tag(6, kVarint):
          return Varint(q, m.end, &kind);
        case Tag(7, kFixed64):
          return Fixed64(q, m.end, &start);
        case Tag(8, kFixed64):
          return Fixed64(q, m.end, &end_time);
        case Tag(9, kLen):
        case Tag(11, kLen):
          q = Len(q, m.end, &f);
          if (q != nullptr) items_.push_back({f, tag == Tag(11, kLen)});
          return q;
        case Tag(10, kVarint):
        case Tag(12, kVarint):
        case Tag(14, kVarint):
          return Varint(q, m.end, &v);
        case Tag(13, kLen):
          q = Len(q, m.end, &f);
          return q && Link(f, depth + 1) ? q : nullptr;
        case Tag(15, kLen):
          q = Len(q, m.end, &f);
          return q && Status(f, depth + 1, status_code, status_message) ? q : nullptr;
        case Tag(16, kFixed32):
          return Fixed32(q, m.end);
        default:
          return kSkip;
      }
    });
    if (!ok) return false;

    SpanBatch& batch = result_.batch;
    TagWriter& text = tags_;
    const std::size_t text_start = text.size();
    // Attributes first, then kind and status, then events (each after its name), as
    // ExtractSpans writes them; every item is checked even when the span is rejected.
    for (const SpanItem& item : items_) {
      if (!item.event && !Attribute(item.field, depth + 1, text, text_start)) {
        return false;
      }
    }
    const auto kind32 = static_cast<std::int32_t>(static_cast<std::uint32_t>(kind));
    const auto code32 = static_cast<std::int32_t>(static_cast<std::uint32_t>(status_code));
    const bool has_error = code32 == opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR;
    if (auto k = SpanKindName(kind32); !k.empty()) AppendTag(text, text_start, kSpanKindTag, k);
    if (auto code = StatusCodeName(code32); !code.empty()) {
      AppendTag(text, text_start, kStatusCodeTag, code);
      if (has_error) {
        AppendTag(text, text_start, kErrorTag, "true");
        if (status_message.end != status_message.data) {
          AppendTag(text, text_start, kStatusDescriptionTag, status_message.view());
        }
      }
    }
    for (const SpanItem& item : items_) {
      if (item.event && !Event(item.field, depth + 1, text, text_start)) return false;
    }

    if (const char* reason =
            extract::InvalidIds(trace_id.view(), span_id.view(), parent_id.view())) {
      if (result_.rejected++ == 0) first_reason_ = reason;
      text.Truncate(text_start);
      return true;
    }
    used = true;
    SpanRecord& rec = batch.spans.emplace_back();
    std::memcpy(rec.trace_id.data(), trace_id.data, 16);
    std::memcpy(rec.span_id.data(), span_id.data, 8);
    if (parent_id.end != parent_id.data) std::memcpy(rec.parent_id.data(), parent_id.data, 8);
    rec.name = {Offset(name.data), static_cast<std::uint32_t>(name.end - name.data)};
    rec.span = {Offset(m.data), static_cast<std::uint32_t>(m.end - m.data)};
    rec.tags = {static_cast<std::uint32_t>(text_start),
                static_cast<std::uint32_t>(text.size() - text_start)};
    rec.start_ns = start;
    rec.duration_ns = end_time > start ? end_time - start : 0;
    rec.origin = origin;
    rec.kind = static_cast<std::uint8_t>(kind32);
    rec.has_error = has_error;
    return true;
  }

  bool Status(Field m, int depth, std::uint64_t& code, Field& message) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      switch (tag) {
        case Tag(2, kLen):
          return String(q, m.end, &message, "opentelemetry.proto.trace.v1.Status.message");
        case Tag(3, kVarint):
          return Varint(q, m.end, &code);
        default:
          return kSkip;
      }
    });
  }

  bool Link(Field m, int depth) {
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      std::uint64_t v;
      switch (tag) {
        case Tag(1, kLen):
        case Tag(2, kLen):
          return Len(q, m.end, &f);
        case Tag(3, kLen):
          return String(q, m.end, &f, "opentelemetry.proto.trace.v1.Span.Link.trace_state");
        case Tag(4, kLen):
          return CheckedKeyValue(q, m.end, depth + 1);
        case Tag(5, kVarint):
          return Varint(q, m.end, &v);
        case Tag(6, kFixed32):
          return Fixed32(q, m.end);
        default:
          return kSkip;
      }
    });
  }

  // An event's tag text: its name, then its attributes (two walks, the name may come last).
  bool Event(Field m, int depth, TagWriter& text, std::size_t text_start) {
    Field name{m.data, m.data};
    bool ok = Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      Field f;
      std::uint64_t v;
      switch (tag) {
        case Tag(1, kFixed64):
          return Fixed64(q, m.end, &v);
        case Tag(2, kLen):
          return String(q, m.end, &name, "opentelemetry.proto.trace.v1.Span.Event.name");
        case Tag(3, kLen):
          return Len(q, m.end, &f);  // checked in the second walk
        case Tag(4, kVarint):
          return Varint(q, m.end, &v);
        default:
          return kSkip;
      }
    });
    if (!ok) return false;
    AppendTag(text, text_start, kEventField, name.view());
    return Walk(m.data, m.end, depth, [&](std::uint32_t tag, Ptr q) -> Ptr {
      if (tag != Tag(3, kLen)) return kSkip;
      Field f;
      q = Len(q, m.end, &f);
      return q && Attribute(f, depth + 1, text, text_start) ? q : nullptr;
    });
  }

  // The number of spans in a request, for reserving; stops counting at anything unusual (the
  // real walk reports it).
  static std::size_t CountSpans(Ptr p, Ptr end) {
    std::size_t count = 0;
    auto each = [](Ptr p, Ptr end, std::uint32_t want, auto&& f) {
      while (p < end) {
        std::uint32_t tag;
        std::uint64_t v;
        p = ReadTag(p, end, &tag);
        if (p == nullptr) return;
        switch (tag & 7) {
          case kVarint:
            p = ReadVarint(p, end, &v);
            break;
          case kFixed64:
            p = end - p < 8 ? nullptr : p + 8;
            break;
          case kFixed32:
            p = end - p < 4 ? nullptr : p + 4;
            break;
          case kLen: {
            std::uint32_t n;
            p = ReadSize(p, end, &n);
            if (p == nullptr || n > static_cast<std::size_t>(end - p)) return;
            if (tag == want) f(p, p + n);
            p += n;
            break;
          }
          default:
            return;
        }
        if (p == nullptr) return;
      }
    };
    each(p, end, Tag(1, kLen), [&](Ptr rs, Ptr rs_end) {
      each(rs, rs_end, Tag(2, kLen),
           [&](Ptr ss, Ptr ss_end) { each(ss, ss_end, Tag(2, kLen), [&](Ptr, Ptr) { ++count; }); });
    });
    return count;
  }

  ExtractResult result_;
  TagWriter tags_{result_.batch.tags};
  Ptr base_ = nullptr;
  const char* error_ = nullptr;
  const char* error_field_ = nullptr;
  const char* first_reason_ = nullptr;
  std::vector<Field> scope_spans_;  // of the ResourceSpans being read
  std::vector<SpanItem> items_;     // of the span being read
};

}  // namespace

Result<ExtractResult> ExtractSpansFromProtobuf(std::string body) {
  if (body.size() >= (std::uint64_t{1} << 32)) {
    return Error{ErrorCode::kPayloadTooLarge, "protobuf request body of 4 GiB or more"};
  }
  return Extractor(std::move(body)).Run();
}

}  // namespace blogtrace::collector
