#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

// `piece`, `count` times over.
inline std::string repeat(std::string_view piece, std::size_t count) {
  std::string out;
  out.reserve(piece.size() * count);
  for (std::size_t i = 0; i < count; ++i) out.append(piece);
  return out;
}

// Request bodies that no JSON endpoint may accept, or answer with a 5xx, whatever its fields:
// nesting deep enough to exhaust a recursive parser, numbers out of range, NUL bytes and invalid
// UTF-8, strings and keys near the 64 KiB limit, JSON that is not an object, and syntax errors.
// Each API test adds the hostile values of its own fields.
inline std::vector<std::string> hostile_json_bodies() {
  using namespace std::string_literals;
  return {
      repeat("[", 10000) + repeat("]", 10000),
      repeat("[", 10000),
      repeat("[", 100000),
      repeat(R"({"a":)", 10000) + "1" + repeat("}", 10000),
      "1e400",
      "-1e400",
      std::string(1, '\0'),
      "\0{}"s,
      "{}\0"s,
      "{}\0garbage"s,
      "{\"\0\":1}"s,
      "\xff",
      "\xff\xfe{\x00}\x00"s,
      R"({"\udfff":1})",
      "\"" + std::string(60 * 1024, 'a') + "\"",
      "{\"" + std::string(60 * 1024, 'k') + "\":1}",
      "null",
      "true",
      "false",
      "0",
      "-1",
      "1.5",
      "\"x\"",
      "[]",
      "[{}]",
      "NaN",
      "Infinity",
      "/* */{}",
      "{\"a\":1,}",
      "{,}",
      "{\"a\" 1}",
      "}",
      "]",
  };
}

}  // namespace test_support
