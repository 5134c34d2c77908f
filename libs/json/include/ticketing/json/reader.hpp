#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketing::json {

// Strict reader of a JSON object body: a wrong type, a missing required field, malformed text or
// a field nobody asked for is an error, never a default; finish() reports the first one.
class ObjectReader {
 public:
  // An empty body reads as an empty object when `empty_is_object` is set.
  explicit ObjectReader(std::string_view text, bool empty_is_object = false);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  std::optional<std::int64_t> required_int(std::string_view name);
  std::optional<std::int64_t> optional_int(std::string_view name);
  std::optional<std::string> required_string(std::string_view name);
  std::optional<std::string> optional_string(std::string_view name);
  std::optional<bool> required_bool(std::string_view name);
  std::optional<bool> optional_bool(std::string_view name);
  std::optional<std::vector<std::string>> required_string_array(std::string_view name);

  // Whether the field is present (and not null).
  bool has(std::string_view name) const;
  // Whether the field is there at all, null included (an explicit null may mean something).
  bool present(std::string_view name) const;

  // Whether the text was one JSON object (whatever its fields).
  bool parsed() const;
  // The field whose type was wrong or that was missing, when that is the error: lets an
  // endpoint answer a field-specific code (e.g. INVALID_SEAT for a bad seatNo).
  std::optional<std::string> failed_field() const;

  // The first error, including any member that no accessor asked for.
  std::optional<std::string> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketing::json
