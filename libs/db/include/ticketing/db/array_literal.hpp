#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>

// Array parameters for prepared statements. libpqxx 6.4 sends every parameter as text, so an
// array travels as one PostgreSQL array literal and the statement casts it ($1::uuid[]).
namespace ticketing::db {

// Text is double-quoted, with " and \ escaped: any string is one element, commas, braces and
// all.
inline std::string array_element(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + '"';
}

inline std::string array_element(std::integral auto number) { return std::to_string(number); }

// An empty optional is SQL NULL (unquoted, so never the text "NULL").
template <class T>
std::string array_element(const std::optional<T>& item) {
  return item ? array_element(*item) : "NULL";
}

// {"a","b"} or {1,2}: `items` as a PostgreSQL array literal, element i being items[i]. Other
// element types bring an array_element of their own, found by argument-dependent lookup (a
// calendar date as its ISO text, say).
template <class Container>
std::string array_literal(const Container& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out.push_back(',');
    out += array_element(item);
  }
  return out + "}";
}

}  // namespace ticketing::db
