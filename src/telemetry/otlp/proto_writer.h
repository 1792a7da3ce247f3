// ProtoWriter: appends protobuf wire format to a string (varints, fixed32/64, length-delimited).
// Nested messages are written in one pass: BeginMessage reserves two bytes for the length and
// EndMessage fixes it up, shifting the body only when the length needs one or more than two bytes.
// https://protobuf.dev/programming-guides/encoding/
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace blogtrace::telemetry::otlp {

enum class WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

class ProtoWriter {
 public:
  explicit ProtoWriter(std::string& out) : out_(out) {}

  void Varint(std::uint64_t v) {
    char buf[10];
    std::size_t n = 0;
    while (v >= 0x80) {
      buf[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    buf[n++] = static_cast<char>(v);
    out_.append(buf, n);
  }
  void Tag(std::uint32_t field, WireType type) {
    Varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(type));
  }
  void VarintField(std::uint32_t field, std::uint64_t v) {
    Tag(field, WireType::kVarint);
    Varint(v);
  }
  void Fixed64Field(std::uint32_t field, std::uint64_t v) {
    Tag(field, WireType::kFixed64);
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_.append(buf, 8);
  }
  void Fixed32Field(std::uint32_t field, std::uint32_t v) {
    Tag(field, WireType::kFixed32);
    char buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(v >> (8 * i));
    out_.append(buf, 4);
  }
  void DoubleField(std::uint32_t field, double d) {
    std::uint64_t v;
    std::memcpy(&v, &d, sizeof v);
    Fixed64Field(field, v);
  }
  void BytesField(std::uint32_t field, const void* data, std::size_t size) {
    Tag(field, WireType::kLen);
    Varint(size);
    out_.append(static_cast<const char*>(data), size);
  }
  void StringField(std::uint32_t field, std::string_view s) {
    BytesField(field, s.data(), s.size());
  }

  // Starts a length-delimited sub-message; returns a mark for EndMessage.
  std::size_t BeginMessage(std::uint32_t field) {
    Tag(field, WireType::kLen);
    std::size_t mark = out_.size();
    out_.append(2, '\0');
    return mark;
  }
  void EndMessage(std::size_t mark) {
    const std::size_t body = mark + 2;
    const std::size_t len = out_.size() - body;
    char buf[10];
    std::size_t n = 0;
    for (std::uint64_t v = len;; v >>= 7) {
      buf[n++] = static_cast<char>(v >= 0x80 ? (v | 0x80) : v);
      if (v < 0x80) break;
    }
    if (n == 1) {
      std::memmove(out_.data() + mark + 1, out_.data() + body, len);
      out_.resize(out_.size() - 1);
    } else if (n > 2) {
      out_.insert(body, n - 2, '\0');
    }
    std::memcpy(out_.data() + mark, buf, n);
  }

 private:
  std::string& out_;
};

}  // namespace blogtrace::telemetry::otlp
