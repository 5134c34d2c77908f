#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace ticketing::http::detail {

// Joins pieces into one string. Also sidesteps GCC 12's false -Wrestrict on "literal" + std::string
// at -O3.
inline std::string concat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (const auto piece : pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (const auto piece : pieces) out.append(piece);
  return out;
}

}  // namespace ticketing::http::detail
