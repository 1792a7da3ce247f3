#include "cli/line_prefixer.h"

namespace blogtrace::cli {

std::string LinePrefixer::Feed(std::string_view chunk, std::size_t max_line) {
  std::string out;
  for (char c : chunk) {
    if (c == '\n') {
      out += prefix_;
      out += partial_;
      out += '\n';
      partial_.clear();
      continue;
    }
    partial_ += c;
    if (partial_.size() >= max_line) {
      out += prefix_;
      out += partial_;
      out += '\n';
      partial_.clear();
    }
  }
  return out;
}

std::string LinePrefixer::Flush() {
  if (partial_.empty()) return {};
  std::string out = prefix_ + partial_ + "\n";
  partial_.clear();
  return out;
}

std::string MakePrefix(std::string_view name, bool colour) {
  // Built with append: GCC 12 warns falsely (-Wrestrict) on "[" + std::string(name).
  std::string plain;
  plain.reserve(name.size() + 3);
  plain.append("[").append(name).append("] ");
  if (!colour) return plain;
  static constexpr const char* kColours[] = {"\x1b[36m", "\x1b[32m", "\x1b[33m",
                                             "\x1b[35m", "\x1b[34m", "\x1b[96m"};
  std::size_t hash = 0;
  for (char c : name) hash = hash * 31 + static_cast<unsigned char>(c);
  return std::string(kColours[hash % std::size(kColours)]) + plain + "\x1b[0m";
}

}  // namespace blogtrace::cli
