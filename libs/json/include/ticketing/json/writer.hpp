#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketing::json {

// Builds compact JSON text into a string. Commas are placed automatically; strings are escaped
// and invalid UTF-8 is replaced with U+FFFD, so the output is always valid JSON.
class Writer {
 public:
  // `capacity`: the text's expected size, so that a large document is not copied as it grows.
  explicit Writer(std::size_t capacity = 256) { out_.reserve(capacity); }

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view name);

  Writer& value(std::string_view text);
  Writer& value(const char* text) { return value(std::string_view(text)); }
  Writer& value(const std::string& text) { return value(std::string_view(text)); }
  Writer& value(std::int64_t number);
  Writer& value(int number) { return value(static_cast<std::int64_t>(number)); }
  Writer& value(std::uint64_t number);
  Writer& value(double number);
  Writer& value(bool flag);
  Writer& value(std::nullptr_t);
  template <class T>
  Writer& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : value(nullptr);
  }

  // key(name).value(v) in one call.
  template <class T>
  Writer& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();

  std::string out_;
  std::vector<bool> has_items_;  // one entry per open container: whether it has a member yet
  bool after_key_ = false;
};

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Appends `text` to `out` as a quoted, escaped JSON string.
void append_quoted(std::string& out, std::string_view text);

}  // namespace ticketing::json
