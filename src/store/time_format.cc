#include "store/time_format.h"

#include <array>
#include <cstdio>

namespace blogtrace::store {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::system_clock;

// Reads exactly `n` decimal digits at text[pos]; -1 when they are not all digits.
int Digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

system_clock::time_point TruncateToMillis(system_clock::time_point t) {
  return std::chrono::time_point_cast<system_clock::duration>(std::chrono::floor<milliseconds>(t));
}

std::string FormatRfc3339(system_clock::time_point t) {
  const auto ms_point = std::chrono::floor<milliseconds>(t);
  const auto day_point = std::chrono::floor<days>(ms_point);
  const std::chrono::year_month_day ymd{day_point};
  const std::chrono::hh_mm_ss<milliseconds> time{ms_point - day_point};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {
    // Written digit by digit: this runs for every blog and user in a response, and snprintf
    // was ~8% of the blog service's instructions per list request.
    std::string out = "0000-00-00T00:00:00.000Z";
    auto put = [&out](std::size_t at, int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) {
        out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      }
    };
    put(0, year, 4);
    put(5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    put(8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    put(11, static_cast<int>(time.hours().count()), 2);
    put(14, static_cast<int>(time.minutes().count()), 2);
    put(17, static_cast<int>(time.seconds().count()), 2);
    put(20, static_cast<int>(time.subseconds().count()), 3);
    return out;
  }
  std::array<char, 40> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buffer.data();
}

std::optional<system_clock::time_point> ParseRfc3339(std::string_view text) {
  // full-date "T" partial-time time-offset (RFC 3339 section 5.6).
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2);
  const int minute = Digits(text, 14, 2);
  const int second = Digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  // A leap second (60) is accepted and folded into the next second, as POSIX time does.
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }

  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 3) {
        millis = millis * 10 + (text[pos] - '0');
      }
      ++pos;
    }
    const std::size_t digits = pos - start;
    if (digits == 0) {
      return std::nullopt;
    }
    for (std::size_t i = digits; i < 3; ++i) {
      millis *= 10;
    }
  }
  if (pos >= text.size()) {
    return std::nullopt;
  }
  int offset_minutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    const int oh = Digits(text, pos + 1, 2);
    const int om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || text[pos + 3] != ':' || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }

  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{hour} +
                     std::chrono::minutes{minute} + std::chrono::seconds{second} +
                     milliseconds{millis};
  return std::chrono::time_point_cast<system_clock::duration>(local -
                                                              std::chrono::minutes{offset_minutes});
}

}  // namespace blogtrace::store
