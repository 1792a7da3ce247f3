#include "telemetry/api/trace_state.h"

#include <algorithm>

namespace blogtrace::telemetry {
namespace {

bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}
bool IsOws(char c) { return c == ' ' || c == '\t'; }

// `first` then up to `max_rest` key characters.
bool MatchesKeyPart(std::string_view s, bool first_may_be_digit, std::size_t max_rest) {
  if (s.empty() || s.size() > max_rest + 1) return false;
  if (!(IsLcAlpha(s[0]) || (first_may_be_digit && IsDigit(s[0])))) return false;
  return std::all_of(s.begin() + 1, s.end(), IsKeyChar);
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

const std::string& EmptyString() {
  static const std::string empty;
  return empty;
}

}  // namespace

bool TraceState::IsValidKey(std::string_view key) noexcept {
  auto at = key.find('@');
  if (at == std::string_view::npos) return MatchesKeyPart(key, false, 255);
  // tenant-id = (lcalpha / DIGIT) 0*240(keychar); system-id = lcalpha 0*13(keychar)
  return MatchesKeyPart(key.substr(0, at), true, 240) &&
         MatchesKeyPart(key.substr(at + 1), false, 13);
}

bool TraceState::IsValidValue(std::string_view value) noexcept {
  if (value.empty() || value.size() > 256) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
  }
  return value.back() != ' ';
}

std::optional<TraceState> TraceState::Parse(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> entries;
  while (true) {
    auto comma = header.find(',');
    std::string_view member = TrimOws(header.substr(0, comma));
    if (!member.empty()) {
      auto eq = member.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      std::string_view key = member.substr(0, eq);
      std::string_view value = member.substr(eq + 1);
      if (!IsValidKey(key) || !IsValidValue(value)) return std::nullopt;
      for (const auto& e : entries) {
        if (e.first == key) return std::nullopt;  // duplicated key: the header is invalid
      }
      if (entries.size() == kMaxMembers) return std::nullopt;
      entries.emplace_back(key, value);
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return FromEntries(std::move(entries));
}

TraceState TraceState::FromEntries(std::vector<std::pair<std::string, std::string>> entries) {
  TraceState ts;
  if (entries.empty()) return ts;
  auto rep = std::make_shared<Rep>();
  for (const auto& [k, v] : entries) {
    if (!rep->header.empty()) rep->header += ',';
    rep->header.append(k).append("=").append(v);
  }
  rep->entries = std::move(entries);
  ts.rep_ = std::move(rep);
  return ts;
}

std::optional<std::string_view> TraceState::Get(std::string_view key) const noexcept {
  if (!rep_) return std::nullopt;
  for (const auto& [k, v] : rep_->entries) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

TraceState TraceState::Set(std::string_view key, std::string_view value) const {
  if (!IsValidKey(key) || !IsValidValue(value)) return *this;
  std::vector<std::pair<std::string, std::string>> entries;
  entries.emplace_back(key, value);
  for (const auto& e : this->entries()) {
    if (e.first != key) entries.push_back(e);
  }
  // Over the limit: drop long entries first (right-most first), then the right-most ones.
  for (std::size_t i = entries.size(); entries.size() > kMaxMembers && i-- > 1;) {
    if (entries[i].first.size() + 1 + entries[i].second.size() > kPreferredMaxEntrySize)
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (entries.size() > kMaxMembers) entries.resize(kMaxMembers);
  return FromEntries(std::move(entries));
}

TraceState TraceState::Delete(std::string_view key) const {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& e : this->entries()) {
    if (e.first != key) entries.push_back(e);
  }
  return FromEntries(std::move(entries));
}

const std::string& TraceState::ToHeader() const noexcept {
  return rep_ ? rep_->header : EmptyString();
}

const std::vector<std::pair<std::string, std::string>>& TraceState::entries() const noexcept {
  static const std::vector<std::pair<std::string, std::string>> empty;
  return rep_ ? rep_->entries : empty;
}

}  // namespace blogtrace::telemetry
