// LinePrefixer: turns a child's output, read in arbitrary chunks, into whole lines each prefixed
// with the child's name ("[blog] ..."), so the interleaved logs of `blogtrace up` stay readable.
// Not thread-safe; one per child stream.
#pragma once

#include <string>
#include <string_view>

namespace blogtrace::cli {

class LinePrefixer {
 public:
  // `prefix` is written before every line as is (colour codes included).
  explicit LinePrefixer(std::string prefix) : prefix_(std::move(prefix)) {}

  // Consumes `chunk`; returns the complete lines it finished, each prefixed and ending in '\n'.
  // A line longer than `max_line` bytes is cut there so memory stays bounded.
  std::string Feed(std::string_view chunk, std::size_t max_line = 64 * 1024);

  // The unfinished last line, prefixed and ended, or "" when there is none (at end of stream).
  std::string Flush();

 private:
  std::string prefix_;
  std::string partial_;
};

// "[name] " for `name`, in a stable colour per name when `colour` (an ANSI terminal).
std::string MakePrefix(std::string_view name, bool colour);

}  // namespace blogtrace::cli
