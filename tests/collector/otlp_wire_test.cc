// ExtractSpansFromProtobuf against the reference: libprotobuf's ParseFromString followed by
// ExtractSpans(message). Generated requests (seeded) use every field, non-canonical encodings
// (fields out of order, repeated singular fields, unknown fields and groups, known numbers with
// another wire type) and must give the same spans, origins and tag text; mutated bodies must be
// refused exactly when protobuf refuses them.
#include "collector/otlp_wire.h"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "collector/attribute_value.h"
#include "collector/span_batch.h"

namespace blogtrace::collector {
namespace {

namespace trace_pb = opentelemetry::proto::trace::v1;
namespace resource_pb = opentelemetry::proto::resource::v1;
using google::protobuf::util::MessageDifferencer;
using namespace std::string_literals;

// --- wire encoding --------------------------------------------------------------------------

std::string Varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>(v | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
std::string Key(std::uint32_t field, int wire_type) {
  return Varint(std::uint64_t{field} << 3 | wire_type);
}
std::string Len(std::uint32_t field, std::string_view payload) {
  return Key(field, 2) + Varint(payload.size()) + std::string(payload);
}
std::string VarintField(std::uint32_t field, std::uint64_t v) { return Key(field, 0) + Varint(v); }
std::string Fixed64Field(std::uint32_t field, std::uint64_t v) {
  std::string out = Key(field, 1);
  for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i));
  return out;
}
std::string Fixed32Field(std::uint32_t field, std::uint32_t v) {
  std::string out = Key(field, 5);
  for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (8 * i));
  return out;
}
std::string Group(std::uint32_t field, std::string_view content) {
  return Key(field, 3) + std::string(content) + Key(field, 4);
}

// --- the reference and the comparison ---------------------------------------------------------

bool ProtobufParses(const std::string& body) {
  google::protobuf::LogSilencer quiet;  // invalid UTF-8 is logged by libprotobuf
  otlp_collector::ExportTraceServiceRequest req;
  return req.ParseFromString(body);
}

// Messages equal field for field, unknown fields included; NaN equals NaN (values are copied
// bit for bit, and a NaN attribute would otherwise never compare equal).
bool SameMessage(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

template <typename M>
M Parsed(std::string_view bytes) {
  M m;
  EXPECT_TRUE(m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return m;
}

// Field-for-field comparison of the wire path with ExtractSpans(parsed); `body` must parse.
void ExpectSameAsMessagePath(const std::string& body, const std::string& label) {
  SCOPED_TRACE(label);
  otlp_collector::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(body));
  ExtractResult want = ExtractSpans(req);
  auto got_or = ExtractSpansFromProtobuf(body);
  ASSERT_TRUE(got_or.ok()) << got_or.error().message;
  const ExtractResult& got = *got_or;
  EXPECT_EQ(got.rejected, want.rejected);
  EXPECT_EQ(got.error_message, want.error_message);
  EXPECT_EQ(got.batch.bytes, body);
  ASSERT_EQ(got.batch.origins.size(), want.batch.origins.size());
  for (std::size_t i = 0; i < want.batch.origins.size(); ++i) {
    const Origin& g = got.batch.origins[i];
    const Origin& w = want.batch.origins[i];
    EXPECT_EQ(g.service, w.service) << "origin " << i;
    EXPECT_EQ(g.tags, w.tags) << "origin " << i;
    EXPECT_TRUE(SameMessage(Parsed<resource_pb::Resource>(g.resource),
                            Parsed<resource_pb::Resource>(w.resource)))
        << "origin " << i;
    EXPECT_TRUE(SameMessage(Parsed<otlp_common::InstrumentationScope>(g.scope),
                            Parsed<otlp_common::InstrumentationScope>(w.scope)))
        << "origin " << i;
  }
  ASSERT_EQ(got.batch.spans.size(), want.batch.spans.size());
  for (std::size_t i = 0; i < want.batch.spans.size(); ++i) {
    SCOPED_TRACE("span " + std::to_string(i));
    const SpanRecord& g = got.batch.spans[i];
    const SpanRecord& w = want.batch.spans[i];
    EXPECT_EQ(g.trace_id, w.trace_id);
    EXPECT_EQ(g.span_id, w.span_id);
    EXPECT_EQ(g.parent_id, w.parent_id);
    EXPECT_EQ(g.start_ns, w.start_ns);
    EXPECT_EQ(g.duration_ns, w.duration_ns);
    EXPECT_EQ(g.origin, w.origin);
    EXPECT_EQ(g.kind, w.kind);
    EXPECT_EQ(g.has_error, w.has_error);
    EXPECT_EQ(got.batch.Name(g), want.batch.Name(w));
    EXPECT_EQ(got.batch.Tags(g), want.batch.Tags(w));
    ASSERT_LE(std::uint64_t{g.span.offset} + g.span.size, body.size());
    ASSERT_LE(std::uint64_t{g.name.offset} + g.name.size, body.size());
    EXPECT_TRUE(SameMessage(Parsed<trace_pb::Span>(got.batch.Span(g)),
                            Parsed<trace_pb::Span>(want.batch.Span(w))));
  }
}

// --- generated requests -----------------------------------------------------------------------

// Builds requests straight in the wire format, with the liberties protobuf allows.
class RequestGenerator {
 public:
  explicit RequestGenerator(std::uint64_t seed) : rng_(seed) {}

  std::string Request(int max_resources = 3) {
    std::vector<std::string> fields;
    for (int i = 0, n = Below(max_resources + 1); i < n; ++i) fields.push_back(Len(1, Resource()));
    AddNoise(fields, {1});
    return Join(fields);
  }

  // A value nested `levels` arrays deep (each level is two messages: ArrayValue, AnyValue).
  static std::string NestedArray(int levels, std::string_view innermost) {
    std::string v(innermost);
    for (int i = 0; i < levels; ++i) v = Len(5, Len(1, v));
    return v;
  }

  std::uint64_t Next() { return rng_(); }
  int Below(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  std::string Resource() {
    std::vector<std::string> fields;
    int resources = Chance(15) ? 0 : (Chance(10) ? 2 : 1);
    for (int i = 0; i < resources; ++i) fields.push_back(Len(1, ResourceMessage()));
    for (int i = 0, n = Below(4); i < n; ++i) fields.push_back(Len(2, ScopeSpans()));
    if (Chance(20)) fields.push_back(Len(3, Text()));
    AddNoise(fields, {1, 2, 3});
    return Join(fields);
  }

  std::string ResourceMessage() {
    std::vector<std::string> fields;
    if (!Chance(10)) {
      // service.name: usually a plain string; sometimes empty, not a string, or twice.
      int shape = Below(10);
      if (shape < 6) {
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, Len(1, Service()))));
      } else if (shape == 6) {
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, Len(1, ""))));
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, Len(1, Service()))));
      } else if (shape == 7) {
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, VarintField(3, 7))));
      } else if (shape == 8) {
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, Len(1, Service()))));
        fields.push_back(Len(1, Len(1, "service.name") + Len(2, Len(1, Service()))));
      } else {
        // Merged value: a string, then an int replaces it.
        fields.push_back(
            Len(1, Len(1, "service.name") + Len(2, Len(1, Service())) + Len(2, VarintField(3, 1))));
      }
    }
    for (int i = 0, n = Below(4); i < n; ++i) fields.push_back(Len(1, KeyValue(0)));
    if (Chance(20)) fields.push_back(VarintField(2, Below(5)));
    AddNoise(fields, {1, 2});
    return Join(fields);
  }

  std::string ScopeSpans() {
    std::vector<std::string> fields;
    int scopes = Chance(20) ? 0 : (Chance(10) ? 2 : 1);
    for (int i = 0; i < scopes; ++i) fields.push_back(Len(1, Scope()));
    for (int i = 0, n = Below(5); i < n; ++i) fields.push_back(Len(2, Span()));
    if (Chance(20)) fields.push_back(Len(3, Text()));
    AddNoise(fields, {1, 2, 3});
    return Join(fields);
  }

  std::string Scope() {
    std::vector<std::string> fields;
    if (!Chance(20)) fields.push_back(Len(1, Chance(10) ? "" : Text()));
    if (!Chance(30)) fields.push_back(Len(2, Chance(10) ? "" : "1." + std::to_string(Below(9))));
    if (Chance(10)) fields.push_back(Len(1, Text()));  // name twice: the last wins
    for (int i = 0, n = Below(3); i < n; ++i) fields.push_back(Len(3, KeyValue(0)));
    if (Chance(20)) fields.push_back(VarintField(4, Below(3)));
    AddNoise(fields, {1, 2, 3, 4});
    return Join(fields);
  }

  std::string Id(int size) {
    std::string id(size, '\0');
    for (auto& c : id) c = static_cast<char>(rng_());
    id[0] |= 1;  // never all zero
    return id;
  }

  std::string Span() {
    std::vector<std::string> fields;
    // Ids: usually valid; sometimes short, long, zero, missing, or sent twice.
    int trace_shape = Below(20);
    if (trace_shape == 0) {
      fields.push_back(Len(1, Id(15)));
    } else if (trace_shape == 1) {
      fields.push_back(Len(1, std::string(16, '\0')));
    } else if (trace_shape == 2) {
      // missing
    } else if (trace_shape == 3) {
      fields.push_back(Len(1, Id(3)));
      fields.push_back(Len(1, Id(16)));
    } else {
      fields.push_back(Len(1, Id(16)));
    }
    int span_shape = Below(20);
    if (span_shape == 0) {
      fields.push_back(Len(2, Id(9)));
    } else if (span_shape == 1) {
      fields.push_back(Len(2, std::string(8, '\0')));
    } else {
      fields.push_back(Len(2, Id(8)));
    }
    int parent_shape = Below(10);
    if (parent_shape < 4) {
      fields.push_back(Len(4, Id(8)));
    } else if (parent_shape == 4) {
      fields.push_back(Len(4, Id(4)));
    } else if (parent_shape == 5) {
      fields.push_back(Len(4, ""));
    }
    if (Chance(30)) fields.push_back(Len(3, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
    if (!Chance(5)) fields.push_back(Len(5, Text()));
    if (Chance(10)) fields.push_back(Len(5, Text()));  // name twice
    if (!Chance(10)) fields.push_back(VarintField(6, Kind()));
    if (Chance(5)) fields.push_back(VarintField(6, Kind()));
    std::uint64_t start = rng_() >> 2;
    fields.push_back(Fixed64Field(7, start));
    fields.push_back(Fixed64Field(8, Chance(10) ? start - Below(1000) : start + rng_() % 100000));
    for (int i = 0, n = Below(9); i < n; ++i) fields.push_back(Len(9, KeyValue(0)));
    if (Chance(20)) fields.push_back(VarintField(10, Below(100)));
    for (int i = 0, n = Chance(50) ? Below(4) : 0; i < n; ++i) fields.push_back(Len(11, Event()));
    if (Chance(20)) fields.push_back(VarintField(12, Below(100)));
    for (int i = 0, n = Chance(30) ? Below(3) : 0; i < n; ++i) fields.push_back(Len(13, Link()));
    if (Chance(20)) fields.push_back(VarintField(14, Below(100)));
    for (int i = 0, n = Chance(50) ? 1 + (Chance(20) ? 1 : 0) : 0; i < n; ++i) {
      fields.push_back(Len(15, Status()));
    }
    if (Chance(50)) fields.push_back(Fixed32Field(16, static_cast<std::uint32_t>(rng_())));
    AddNoise(fields, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    return Join(fields);
  }

  std::uint64_t Kind() {
    switch (Below(8)) {
      case 0:
        return 7;  // open enum: kept as sent
      case 1:
        return static_cast<std::uint64_t>(-2);  // negative int32 as a 10-byte varint
      case 2:
        return (std::uint64_t{1} << 32) + 2;  // truncated to 32 bits
      default:
        return Below(6);
    }
  }

  std::string Status() {
    std::vector<std::string> fields;
    if (Chance(60)) fields.push_back(Len(2, Chance(10) ? "" : Text()));
    if (Chance(80)) {
      std::uint64_t code = Chance(10) ? (Chance(50) ? 9 : static_cast<std::uint64_t>(-1))
                                      : static_cast<std::uint64_t>(Below(3));
      if (Chance(5)) code += std::uint64_t{1} << 32;
      fields.push_back(VarintField(3, code));
    }
    if (Chance(10)) fields.push_back(VarintField(1, 1));  // reserved field 1: unknown
    AddNoise(fields, {2, 3});
    return Join(fields);
  }

  std::string Event() {
    std::vector<std::string> fields;
    fields.push_back(Fixed64Field(1, rng_()));
    if (!Chance(10)) fields.push_back(Len(2, Chance(30) ? "exception" : Text()));
    for (int i = 0, n = Below(4); i < n; ++i) fields.push_back(Len(3, KeyValue(0)));
    if (Chance(20)) fields.push_back(VarintField(4, Below(4)));
    AddNoise(fields, {1, 2, 3, 4});
    return Join(fields);
  }

  std::string Link() {
    std::vector<std::string> fields;
    fields.push_back(Len(1, Id(16)));
    fields.push_back(Len(2, Id(8)));
    if (Chance(30)) fields.push_back(Len(3, "k=v"));
    for (int i = 0, n = Below(3); i < n; ++i) fields.push_back(Len(4, KeyValue(0)));
    if (Chance(20)) fields.push_back(VarintField(5, Below(4)));
    if (Chance(50)) fields.push_back(Fixed32Field(6, 0x301));
    AddNoise(fields, {1, 2, 3, 4, 5, 6});
    return Join(fields);
  }

  std::string KeyValue(int depth) {
    std::vector<std::string> fields;
    if (!Chance(5)) fields.push_back(Len(1, AttributeKey()));
    if (Chance(5)) fields.push_back(Len(1, AttributeKey()));  // key twice
    int values = Chance(5) ? 0 : (Chance(10) ? 2 : 1);        // values merge
    for (int i = 0; i < values; ++i) fields.push_back(Len(2, AnyValue(depth + 1)));
    AddNoise(fields, {1, 2});
    return Join(fields);
  }

  std::string AnyValue(int depth) {
    std::vector<std::string> fields;
    int members = Chance(10) ? (Chance(30) ? 0 : 2) : 1;  // oneof: the last member wins
    for (int i = 0; i < members; ++i) fields.push_back(AnyValueMember(depth));
    // Reordering would change which member is last, which the reference handles too.
    AddNoise(fields, {1, 2, 3, 4, 5, 6, 7});
    return Join(fields);
  }

  std::string AnyValueMember(int depth) {
    int kind = Below(depth > 3 ? 5 : 10);
    switch (kind) {
      case 0:
      case 1:
        return Len(1, Text());
      case 2:
        return VarintField(2, Chance(10) ? 2 + Below(1000) : Below(2));  // bool: nonzero = true
      case 3: {
        std::uint64_t v = Chance(50) ? Below(100000) : rng_();
        return VarintField(3, v);
      }
      case 4:
        return Fixed64Field(4, std::bit_cast<std::uint64_t>(Double()));
      case 5:
      case 6: {
        std::string arr;
        for (int i = 0, n = Below(4); i < n; ++i) arr += Len(1, AnyValue(depth + 1));
        if (Chance(10)) arr += VarintField(2, 5);  // unknown in ArrayValue
        return Len(5, arr);
      }
      case 7:
      case 8: {
        std::string list;
        for (int i = 0, n = Below(4); i < n; ++i) list += Len(1, KeyValue(depth + 1));
        return Len(6, list);
      }
      default: {
        std::string bytes;
        for (int i = 0, n = Below(12); i < n; ++i) bytes += static_cast<char>(rng_());
        return Len(7, bytes);  // bytes need not be UTF-8
      }
    }
  }

  double Double() {
    switch (Below(8)) {
      case 0:
        return std::numeric_limits<double>::quiet_NaN();
      case 1:
        return Chance(50) ? std::numeric_limits<double>::infinity()
                          : -std::numeric_limits<double>::infinity();
      case 2:
        return -0.0;
      case 3:
        return std::numeric_limits<double>::denorm_min();
      case 4:
        return 1e300;
      default:
        return static_cast<double>(static_cast<std::int64_t>(rng_() % 2000001) - 1000000) / 1000;
    }
  }

  std::string Service() {
    static const char* kNames[] = {"frontend", "blog", "author", "authen", "user", "ünïcode"};
    return kNames[Below(6)];
  }

  std::string AttributeKey() {
    static const char* kKeys[] = {"http.request.method",
                                  "url.path",
                                  "http.route",
                                  "server.port",
                                  "enduser.id",
                                  "service.name",
                                  "a\x1f"
                                  "b",
                                  ""};
    return kKeys[Below(8)];
  }

  // Valid UTF-8, sometimes with the tag text's separators and multi-byte characters.
  std::string Text() {
    static const char* kPieces[] = {"GET /blogs",
                                    "x",
                                    "\xc3\xa9",
                                    "\xe4\xb8\xad",
                                    "\xf0\x9f\x98\x80",
                                    "\x1e",
                                    "\x1f",
                                    " ",
                                    "",
                                    "/users/{id}",
                                    "\x7f",
                                    "0"};
    std::string out;
    for (int i = 0, n = Below(4); i < n; ++i) out += kPieces[Below(12)];
    return out;
  }

  // Unknown fields (groups included), and known field numbers with another wire type.
  std::string Unknown(const std::vector<int>& known, int depth = 0) {
    std::uint32_t field = Chance(50) && !known.empty()
                              ? known[Below(static_cast<int>(known.size()))]
                              : 17 + Below(40);
    if (Chance(5)) field = 536870911;  // the largest field number
    switch (Below(5)) {
      case 0:
        return VarintField(field, rng_());
      case 1:
        return Fixed64Field(field, rng_());
      case 2:
        return Fixed32Field(field, static_cast<std::uint32_t>(rng_()));
      case 3: {
        std::string inner;
        for (int i = 0, n = depth < 3 ? Below(3) : 0; i < n; ++i) inner += Unknown({}, depth + 1);
        return Group(field, inner);
      }
      default: {
        // A length-delimited field that is not a known one here (known numbers with kLen are
        // the known fields themselves, so use an unknown number); its bytes need not be UTF-8.
        std::uint32_t unknown = 17 + Below(40);
        std::string bytes = Chance(50) ? "\xff\xfe" : Len(1, "nested");
        return Len(unknown, bytes);
      }
    }
  }

  // Adds unknown fields and wrong-wire-type fields, and sometimes shuffles the field order.
  void AddNoise(std::vector<std::string>& fields, const std::vector<int>& known) {
    if (Chance(25)) {
      for (int i = 0, n = 1 + Below(3); i < n; ++i) {
        std::string u = Unknown(known);
        // A wrong-wire-type field on a known number must not be kLen (that would be the field).
        fields.insert(fields.begin() + Below(static_cast<int>(fields.size()) + 1), u);
      }
    }
    if (Chance(10)) std::shuffle(fields.begin(), fields.end(), rng_);
  }

  static std::string Join(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& f : fields) out += f;
    return out;
  }

  std::mt19937_64 rng_;
};

// --- differential tests -------------------------------------------------------------------

TEST(OtlpWireTest, GeneratedRequestsMatchTheMessagePath) {
  RequestGenerator gen(20261126);
  int spans = 0, rejected = 0, origins = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string body = gen.Request();
    ExpectSameAsMessagePath(body, "request " + std::to_string(i));
    if (HasFatalFailure() || HasNonfatalFailure()) return;  // one report is enough
    auto r = ExtractSpansFromProtobuf(body);
    spans += static_cast<int>(r->batch.spans.size());
    rejected += static_cast<int>(r->rejected);
    origins += static_cast<int>(r->batch.origins.size());
  }
  // The generator must exercise what it claims to.
  EXPECT_GT(spans, 3000);
  EXPECT_GT(rejected, 300);
  EXPECT_GT(origins, 1000);
}

TEST(OtlpWireTest, MutatedBodiesFailExactlyWhenProtobufFails) {
  RequestGenerator gen(77);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string original = gen.Request(1);
    for (int m = 0; m < 15; ++m) {
      std::string body = original;
      int kind = gen.Below(6);
      auto pos = body.empty() ? 0 : static_cast<std::size_t>(gen.Next() % body.size());
      switch (kind) {
        case 0:  // truncate
          body.resize(pos);
          break;
        case 1:  // flip bits of one byte
          if (!body.empty()) body[pos] = static_cast<char>(body[pos] ^ (1 << gen.Below(8)));
          break;
        case 2:  // overwrite a byte with an interesting value
          if (!body.empty()) {
            static const unsigned char kBytes[] = {0x00, 0x80, 0xff, 0x0b, 0x0c, 0x7f, 0x06, 0x07};
            body[pos] = static_cast<char>(kBytes[gen.Below(8)]);
          }
          break;
        case 3:  // insert random bytes
          body.insert(pos, std::string(1 + gen.Below(3), static_cast<char>(gen.Next())));
          break;
        case 4:  // delete a range
          body.erase(pos, 1 + gen.Below(4));
          break;
        default:  // append a random field
          body += static_cast<char>(gen.Next());
          body += static_cast<char>(gen.Next() & 0x7f);
          break;
      }
      bool want = ProtobufParses(body);
      auto got = ExtractSpansFromProtobuf(body);
      ASSERT_EQ(got.ok(), want) << "request " << i << " mutation " << m << " (kind " << kind
                                << "): " << (got.ok() ? "accepted" : got.error().message);
      if (want) {
        ++accepted;
        ExpectSameAsMessagePath(body, "mutated request " + std::to_string(i));
        if (HasFailure()) return;
      } else {
        ++refused;
        EXPECT_EQ(got.error().code, ErrorCode::kBadRequest);
        EXPECT_EQ(got.error().message.rfind("malformed protobuf: ", 0), 0u) << got.error().message;
      }
    }
  }
  EXPECT_GT(accepted, 500);
  EXPECT_GT(refused, 1500);
}

TEST(OtlpWireTest, EveryTruncationOfARequestIsRefusedLikeProtobuf) {
  RequestGenerator gen(5);
  int checked = 0;
  for (int i = 0; i < 30; ++i) {
    std::string body = gen.Request(2);
    for (std::size_t n = 0; n < body.size(); ++n) {
      std::string cut = body.substr(0, n);
      ASSERT_EQ(ExtractSpansFromProtobuf(cut).ok(), ProtobufParses(cut)) << i << " at " << n;
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000);
}

// --- named cases --------------------------------------------------------------------------

// A request with one valid span whose fields are `span_fields` appended to valid ids.
std::string OneSpan(std::string_view extra_span_fields, std::string_view extra_request = {}) {
  std::string span = Len(1, std::string(16, '\x01')) + Len(2, std::string(8, '\x02')) +
                     Len(5, "op") + std::string(extra_span_fields);
  return Len(1, Len(2, Len(2, span))) + std::string(extra_request);
}

// Checks that protobuf and the wire path agree on `body` and that the outcome is `ok`.
void ExpectOutcome(const std::string& body, bool ok, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(ProtobufParses(body), ok) << "protobuf's behaviour differs from what the test assumes";
  auto got = ExtractSpansFromProtobuf(body);
  ASSERT_EQ(got.ok(), ok) << (got.ok() ? "accepted" : got.error().message);
  if (!ok) {
    EXPECT_EQ(got.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(got.error().message.rfind("malformed protobuf: ", 0), 0u) << got.error().message;
  } else {
    ExpectSameAsMessagePath(body, what);
  }
}

TEST(OtlpWireTest, EmptyBodyIsAnEmptyRequest) {
  ExpectOutcome("", true, "empty");
  auto r = ExtractSpansFromProtobuf("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->batch.spans.empty());
  EXPECT_TRUE(r->batch.origins.empty());
}

TEST(OtlpWireTest, TruncatedVarintsAndLengths) {
  ExpectOutcome(OneSpan("\x30"), false, "kind without its varint");
  ExpectOutcome(OneSpan("\x30\x80"), false, "kind varint cut mid-way");
  ExpectOutcome(std::string("\x0a"), false, "resource_spans without length");
  ExpectOutcome(std::string("\x0a\x85"), false, "length cut mid-way");
  ExpectOutcome("\x0a\x05\x12\x00"s, false, "length past the end");
  ExpectOutcome(OneSpan("\x39\x01\x02\x03"), false, "fixed64 cut short");
  ExpectOutcome(OneSpan("\x85\x01\x01\x02"), false, "fixed32 cut short");
  ExpectOutcome(std::string("\x8a"), false, "tag cut mid-way");
}

TEST(OtlpWireTest, VarintLengthLimits) {
  // Ten bytes is the most protobuf reads; the tenth byte's extra bits are dropped.
  ExpectOutcome(OneSpan("\x30\x82\x82\x82\x82\x82\x82\x82\x82\x82\x7f"), true, "10-byte varint");
  ExpectOutcome(OneSpan("\x30\x82\x82\x82\x82\x82\x82\x82\x82\x82\x82\x01"), false,
                "11-byte varint");
  // Tags: at most five bytes, bits beyond 32 dropped (field 5 = name, with junk high bits).
  ExpectOutcome(OneSpan(std::string("\xaa\x80\x80\x80\x70\x01x")), true, "5-byte tag");
  ExpectOutcome(OneSpan("\xaa\x80\x80\x80\x80\x00\x01x"s), false, "6-byte tag");
  // Lengths: at most five bytes, the fifth below 8, non-minimal forms allowed.
  ExpectOutcome(OneSpan("\x2a\x81\x80\x80\x80\x00x"s), true, "5-byte length");
  ExpectOutcome(OneSpan("\x2a\x81\x80\x80\x80\x80\x00x"s), false, "6-byte length");
  ExpectOutcome(OneSpan(std::string("\x2a\x81\x80\x80\x80\x08x")), false, "length over 2 GiB");
  // 32-bit fields keep the low 32 bits of the varint: kind 2^32 + 3 is CLIENT.
  std::string body = OneSpan(VarintField(6, (std::uint64_t{1} << 32) + 3));
  ExpectOutcome(body, true, "truncated kind");
  EXPECT_EQ(ExtractSpansFromProtobuf(body)->batch.spans[0].kind, 3);
}

TEST(OtlpWireTest, FieldNumberZeroAndInvalidWireTypes) {
  ExpectOutcome(std::string("\x00", 1), false, "tag 0 at the top");
  ExpectOutcome(OneSpan(std::string("\x00", 1)), false, "tag 0 in a span");
  ExpectOutcome(OneSpan(std::string("\x00\x01", 2)), false, "field 0 varint");
  ExpectOutcome(OneSpan(std::string("\x02\x00", 2)), false, "field 0 length-delimited");
  ExpectOutcome(OneSpan(std::string("\x05\x00\x00\x00\x00", 5)), false, "field 0 fixed32");
  ExpectOutcome(OneSpan("\x1e"), false, "wire type 6");
  ExpectOutcome(OneSpan("\x1f"), false, "wire type 7");
  ExpectOutcome(OneSpan("\x2e"), false, "known field 5 with wire type 6");
}

TEST(OtlpWireTest, UnknownFieldsAndGroupsAreSkipped) {
  ExpectOutcome(
      OneSpan(Group(99, VarintField(1, 5) + Group(3, Len(2, "\xff")) + Fixed32Field(7, 1))), true,
      "nested unknown groups");
  ExpectOutcome(OneSpan(Group(5, "")), true, "group on the known number of name");
  ExpectOutcome(OneSpan(VarintField(5, 1) + Fixed64Field(9, 2) + Fixed32Field(15, 3)), true,
                "known numbers with other wire types");
  ExpectOutcome(OneSpan("", Group(2, VarintField(1, 1))), true, "group in the request");
  ExpectOutcome(OneSpan(Len(300, "\xff")), true, "unknown bytes are not UTF-8 checked");
  // Unknown-field skipping keeps the last known value: the name sent as a varint is ignored.
  std::string body = OneSpan(VarintField(5, 7));
  auto r = ExtractSpansFromProtobuf(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->batch.Name(r->batch.spans[0]), "op");
}

TEST(OtlpWireTest, MalformedGroupsAreRefused) {
  ExpectOutcome(OneSpan(Key(99, 3) + VarintField(1, 5)), false, "unterminated group");
  ExpectOutcome(OneSpan(Key(99, 3) + Key(98, 4)), false, "mismatched end group");
  ExpectOutcome(OneSpan(Key(99, 4)), false, "end group without a group");
  ExpectOutcome(std::string("\x0c"), false, "end group at the top");
  ExpectOutcome(OneSpan(Key(99, 3) + Key(0, 0) + Key(99, 4)), false, "field 0 inside a group");
  ExpectOutcome(OneSpan(Key(99, 3) + Key(7, 7) + Key(99, 4)), false, "wire type 7 in a group");
  // A group whose end tag lies beyond its enclosing message.
  std::string span = Len(1, std::string(16, '\x01')) + Len(2, std::string(8, '\x02')) + Key(99, 3);
  ExpectOutcome(Len(1, Len(2, Len(2, span))) + Key(99, 4), false, "group crossing a message");
}

TEST(OtlpWireTest, NestingDepthLimit) {
  // Request(0) > ResourceSpans(1) > ScopeSpans(2) > Span(3) > KeyValue(4) > AnyValue(5); each
  // array level adds ArrayValue and AnyValue: 47 levels reach depth 99.
  auto with_value = [](const std::string& value) {
    return OneSpan(Len(9, Len(1, "deep") + Len(2, value)));
  };
  std::string at_99 = RequestGenerator::NestedArray(47, Len(1, "leaf"));
  ExpectOutcome(with_value(at_99), true, "depth 99");
  ExpectOutcome(with_value(RequestGenerator::NestedArray(47, Len(5, ""))), true, "depth 100");
  ExpectOutcome(with_value(RequestGenerator::NestedArray(48, Len(1, "leaf"))), false, "depth 101");
  // Groups count like messages.
  ExpectOutcome(with_value(RequestGenerator::NestedArray(47, Group(20, ""))), true,
                "group at depth 100");
  ExpectOutcome(with_value(RequestGenerator::NestedArray(47, Group(20, Group(21, "")))), false,
                "group at depth 101");
  std::string groups;
  for (int i = 0; i < 100; ++i) groups = Group(30, groups);
  ExpectOutcome(groups, true, "100 groups at the top");
  ExpectOutcome(Group(30, groups), false, "101 groups at the top");
}

TEST(OtlpWireTest, InvalidUtf8InStringFieldsIsRefused) {
  const std::string bad = "ok\xc3(";
  struct Case {
    const char* field;
    std::string body;
  };
  auto attr = [&](const std::string& key, const std::string& value_field) {
    return Len(9, Len(1, key) + Len(2, value_field));
  };
  const Case cases[] = {
      {"Span.name", OneSpan(Len(5, bad))},
      {"Span.trace_state", OneSpan(Len(3, bad))},
      {"KeyValue.key", OneSpan(attr(bad, Len(1, "v")))},
      {"AnyValue.string_value", OneSpan(attr("k", Len(1, bad)))},
      {"nested string_value", OneSpan(attr("k", Len(5, Len(1, Len(1, bad)))))},
      {"kvlist key", OneSpan(attr("k", Len(6, Len(1, Len(1, bad)))))},
      {"Event.name", OneSpan(Len(11, Len(2, bad)))},
      {"Link.trace_state", OneSpan(Len(13, Len(3, bad)))},
      {"Status.message", OneSpan(Len(15, Len(2, bad)))},
      {"ResourceSpans.schema_url", Len(1, Len(3, bad))},
      {"ScopeSpans.schema_url", Len(1, Len(2, Len(3, bad)))},
      {"InstrumentationScope.name", Len(1, Len(2, Len(1, Len(1, bad))))},
      {"InstrumentationScope.version", Len(1, Len(2, Len(1, Len(2, bad))))},
      {"Resource attribute key", Len(1, Len(1, Len(1, Len(1, bad))))},
  };
  for (const auto& c : cases) {
    ExpectOutcome(c.body, false, c.field);
    auto r = ExtractSpansFromProtobuf(c.body);
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos) << c.field;
    }
  }
  // Bytes fields are not checked, nor strings sent with another wire type.
  ExpectOutcome(OneSpan(attr("k", Len(7, bad))), true, "bytes_value");
  ExpectOutcome(OneSpan(Len(4, "\xff\xff\xff\xff\xff\xff\xff\xff")), true, "parent id bytes");
  // Surrogates, overlong forms and code points above U+10FFFF are invalid; U+FFFF and NUL are not.
  ExpectOutcome(OneSpan(Len(5, "\xed\xa0\x80")), false, "surrogate");
  ExpectOutcome(OneSpan(Len(5, "\xc0\xaf")), false, "overlong");
  ExpectOutcome(OneSpan(Len(5, "\xf4\x90\x80\x80")), false, "above U+10FFFF");
  ExpectOutcome(OneSpan(Len(5, std::string("a\0\xef\xbf\xbf", 5))), true, "NUL and U+FFFF");
}

// The UTF-8 rule equals libprotobuf's own check on every 1-, 2- and 3-byte string and on 4-byte
// strings built from boundary bytes, at every alignment against the 8-byte ASCII fast path.
TEST(OtlpWireTest, Utf8CheckEqualsProtobufs) {
  auto same = [](const std::string& s) {
    return wire::IsValidUtf8(s) == google::protobuf::internal::IsStructurallyValidUTF8(
                                       s.data(), static_cast<int>(s.size()));
  };
  int mismatches = 0;
  std::string s(3, '\0');
  for (int a = 0; a < 256; ++a) {
    s.assign(1, static_cast<char>(a));
    mismatches += !same(s);
    for (int b = 0; b < 256; ++b) {
      s.assign({static_cast<char>(a), static_cast<char>(b)});
      mismatches += !same(s);
      for (int c = 0; c < 256; ++c) {
        s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        mismatches += !same(s);
      }
    }
  }
  const unsigned char kEdges[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                  0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  for (int a = 0xc0; a < 256; ++a) {
    for (unsigned char b : kEdges) {
      for (unsigned char c : kEdges) {
        for (unsigned char d : kEdges) {
          for (int prefix : {0, 5, 7, 13}) {
            std::string t(prefix, 'a');
            t += {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                  static_cast<char>(d)};
            t += "tail";
            mismatches += !same(t);
          }
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(wire::IsValidUtf8("plain ascii over eight bytes \xf0\x9f\x98\x80 ok"));
  EXPECT_FALSE(wire::IsValidUtf8("plain ascii over eight bytes \xf0\x9f\x98"));
}

TEST(OtlpWireTest, RepeatedSingularFieldsLastWinsAndMessagesMerge) {
  // Two names: the last wins. Two status messages: code from one, message from the other merge.
  std::string body = OneSpan(Len(5, "second") + Len(15, VarintField(3, 2)) +
                             Len(15, Len(2, "boom")) + Len(9, Len(1, "k") + Len(2, Len(1, "v"))));
  ExpectOutcome(body, true, "merged status");
  auto r = ExtractSpansFromProtobuf(body);
  ASSERT_TRUE(r.ok());
  const SpanRecord& span = r->batch.spans[0];
  EXPECT_EQ(r->batch.Name(span), "second");
  EXPECT_TRUE(span.has_error);
  std::string_view tags = r->batch.Tags(span);
  EXPECT_NE(tags.find(TagPattern("otel.status_description", "boom")), std::string::npos);
  EXPECT_NE(tags.find(TagPattern("k", "v")), std::string::npos);
  // Two resources merge: attributes of both, service.name from the second.
  std::string resources = Len(1, Len(1, Len(1, "host.name") + Len(2, Len(1, "h")))) +
                          Len(1, Len(1, Len(1, "service.name") + Len(2, Len(1, "svc"))));
  std::string spans =
      Len(2, Len(2, Len(1, std::string(16, '\x01')) + Len(2, std::string(8, '\x02'))));
  std::string two =
      Len(1, Len(2, Len(1, Len(1, "scope-a"))) + resources + spans + Len(1, Len(2, "2")));
  ExpectOutcome(two, true, "two resources after the scope spans");
  auto t = ExtractSpansFromProtobuf(two);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->batch.origins.size(), 1u);
  EXPECT_EQ(t->batch.origins[0].service, "svc");
  EXPECT_NE(t->batch.origins[0].tags.find(TagPattern("host.name", "h")), std::string::npos);
}

TEST(OtlpWireTest, NonStringValuesRenderAsTheMessagePathDoes) {
  auto attr = [](const std::string& value) { return Len(9, Len(1, "k") + Len(2, value)); };
  const std::string values[] = {
      VarintField(3, static_cast<std::uint64_t>(-42)),
      VarintField(2, 1),
      VarintField(2, 7),
      Fixed64Field(4, std::bit_cast<std::uint64_t>(0.1)),
      Fixed64Field(4, std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN())),
      Len(7, "\x00\xff"s),
      Len(5, Len(1, Len(1, "a")) + Len(1, VarintField(3, 1)) + Len(1, "")),
      Len(6, Len(1, Len(1, "x") + Len(2, Fixed64Field(4, 0)))),
      Len(5, Len(1, Len(1, "a"))) + Len(5, Len(1, Len(1, "b"))),  // arrays merge
      Len(5, Len(1, Len(1, "a"))) + Len(1, "s") + Len(5, Len(1, Len(1, "b"))),
      "",  // no value set
  };
  for (const auto& v : values) {
    ExpectOutcome(OneSpan(attr(v)), true, "value");
  }
  // KeyValue with its value field twice: the AnyValues merge.
  ExpectOutcome(OneSpan(Len(9, Len(1, "k") + Len(2, Len(5, Len(1, Len(1, "a")))) +
                                   Len(2, Len(5, Len(1, Len(1, "b")))))),
                true, "value twice");
  auto r = ExtractSpansFromProtobuf(
      OneSpan(attr(Len(5, Len(1, Len(1, "a"))) + Len(5, Len(1, Len(1, "b"))))));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->batch.Tags(r->batch.spans[0]).find(TagPattern("k", "[\"a\",\"b\"]")),
            std::string::npos);
}

// Separators inside keys and values become spaces at every position (the check reads eight
// bytes at a time), and only 0x1e and 0x1f are separators.
TEST(OtlpWireTest, TagTextCleansSeparatorsAtEveryPosition) {
  for (std::size_t n = 1; n <= 24; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (char sep : {'\x1e', '\x1f'}) {
        std::string text(n, 'a');
        text[at] = sep;
        std::string clean(n, 'a');
        clean[at] = ' ';
        EXPECT_EQ(TagPattern(text, "v"), "\x1f" + clean + "\x1ev\x1f") << n << " " << at;
        EXPECT_EQ(TagPattern("k", text), "\x1fk\x1e" + clean + "\x1f") << n << " " << at;
      }
    }
  }
  const std::string others = "\x1d\x3e\x3f\x9e\x9f\xfe\xff\x0e\x0f\x1c";
  EXPECT_EQ(TagPattern(others, others), "\x1f" + others + "\x1e" + others + "\x1f");
}

// Rendered values can be much longer than their wire form (a double is 9 bytes sent, up to 24
// characters as text), so the tag text outgrows its first reservation.
TEST(OtlpWireTest, TagTextLongerThanTheBodyIsComplete) {
  std::string values;
  for (int i = 0; i < 2000; ++i) {
    values += Len(1, Fixed64Field(4, std::bit_cast<std::uint64_t>(-1.2345678901234567e-300 * i)));
  }
  std::string spans;
  for (int i = 0; i < 3; ++i) {
    spans += Len(2, Len(1, std::string(16, '\x01')) + Len(2, std::string(8, '\x02')) +
                        Len(9, Len(1, "many") + Len(2, Len(5, values))));
  }
  std::string body = Len(1, Len(2, spans));
  ExpectOutcome(body, true, "long rendered values");
  auto r = ExtractSpansFromProtobuf(body);
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->batch.tags.size(), 2 * body.size());
}

// Byte ranges are 32-bit: a body of 4 GiB is refused before it is read. Opt-in, since it needs
// 4 GiB of memory: BLOGTRACE_BIG_TESTS=1.
TEST(OtlpWireTest, BodyOfFourGibibytesIsTooLarge) {
  const char* big = std::getenv("BLOGTRACE_BIG_TESTS");
  if (big == nullptr || std::string_view(big) != "1") {
    GTEST_SKIP() << "needs 4 GiB of memory; set BLOGTRACE_BIG_TESTS=1 to run it";
  }
  std::string body;
  body.resize(std::size_t{1} << 32);  // zeros: read, it would be refused for its tag 0 instead
  auto r = ExtractSpansFromProtobuf(std::move(body));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace blogtrace::collector
