// libs/json's ObjectReader on any bytes. It asks for each member of the body with the accessor of
// the member's own type (as RapidJSON sees it), so that most objects are fully understood, then:
// - whether the text reads as an object agrees with RapidJSON (NUL bytes and blanks aside);
// - a member of the right type reads as its value; one of another type fails on that field;
// - finish() passes exactly when every member read and no name repeats;
// - what passed, written again with json::Writer, reads back to the same values.
#include <rapidjson/document.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "check.hpp"
#include "ticketing/json/reader.hpp"
#include "ticketing/json/writer.hpp"

namespace {

using ticketing::json::ObjectReader;
using Value = std::variant<std::int64_t, std::string, bool, std::vector<std::string>>;
using Fields = std::vector<std::pair<std::string, Value>>;

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool is_string_array(const rapidjson::Value& value) {
  if (!value.IsArray()) return false;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString() ||
        !ticketing::json::is_valid_utf8({item.GetString(), item.GetStringLength()})) {
      return false;
    }
  }
  return true;
}

// Reads `name` with the accessor for the type RapidJSON gave it; nullopt when the reader refused.
std::optional<Value> read_as_its_type(ObjectReader& reader, const std::string& name,
                                      const rapidjson::Value& value) {
  if (value.IsString()) {
    if (auto text = reader.optional_string(name)) return Value(*text);
  } else if (value.IsBool()) {
    if (auto flag = reader.optional_bool(name)) return Value(*flag);
  } else if (value.IsArray()) {
    if (auto items = reader.required_string_array(name)) return Value(*items);
  } else if (auto number = reader.optional_int(name)) {  // numbers, objects
    return Value(*number);
  }
  return std::nullopt;
}

// Whether `value` is what the reader must accept for its type, and equal to `read`.
bool same(const rapidjson::Value& value, const Value& read) {
  if (const auto* number = std::get_if<std::int64_t>(&read))
    return value.IsInt64() && value.GetInt64() == *number;
  if (const auto* text = std::get_if<std::string>(&read))
    return value.IsString() &&
           *text == std::string_view(value.GetString(), value.GetStringLength());
  if (const auto* flag = std::get_if<bool>(&read))
    return value.IsBool() && value.GetBool() == *flag;
  const auto& items = std::get<std::vector<std::string>>(read);
  if (!value.IsArray() || value.Size() != items.size()) return false;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (items[i] != std::string_view(value[i].GetString(), value[i].GetStringLength()))
      return false;
  }
  return true;
}

std::string write(const Fields& fields) {
  ticketing::json::Writer w;
  w.begin_object();
  for (const auto& [name, value] : fields) {
    w.key(name);
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      w.value(*number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      w.value(*text);
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      w.value(*flag);
    } else {
      w.begin_array();
      for (const auto& item : std::get<std::vector<std::string>>(value)) w.value(item);
      w.end_array();
    }
  }
  w.end_object();
  return w.take();
}

// The written text reads back, field by field, to the same values.
void require_round_trip(const Fields& fields) {
  const std::string text = write(fields);
  ObjectReader again(text);
  for (const auto& [name, value] : fields) {
    std::optional<Value> read;
    if (std::holds_alternative<std::int64_t>(value)) {
      if (auto v = again.required_int(name)) read = *v;
    } else if (std::holds_alternative<std::string>(value)) {
      if (auto v = again.required_string(name)) read = *v;
    } else if (std::holds_alternative<bool>(value)) {
      if (auto v = again.required_bool(name)) read = *v;
    } else if (auto v = again.required_string_array(name)) {
      read = *v;
    }
    fuzz::require(read && *read == value, "a written field reads back to its value");
  }
  fuzz::require(!again.finish(), "a written object passes finish()");
}

void check(std::string_view text, bool empty_is_object) {
  ObjectReader reader(text, empty_is_object);
  if (blank(text) && empty_is_object) {
    fuzz::require(reader.parsed() && !reader.finish(), "a blank body is an empty object");
    return;
  }
  // RapidJSON's recursive parser is the reference, but for inputs deep enough to end the stack.
  rapidjson::Document reference;
  if (text.size() < 16 * 1024) {
    reference.Parse(text.data(), text.size());
  } else {
    reference.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  }
  const bool is_object = text.find('\0') == std::string_view::npos && !reference.HasParseError() &&
                         reference.IsObject();
  fuzz::require(reader.parsed() == is_object, "the reader and RapidJSON agree on objects");
  if (!is_object) {
    fuzz::require(reader.finish().has_value(), "anything but an object is an error");
    return;
  }

  Fields fields;
  std::set<std::string> names;
  bool repeated = false;
  bool refused = false;
  for (const auto& member : reference.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    repeated = !names.insert(name).second || repeated;
    if (repeated || refused) continue;
    if (member.value.IsNull()) {
      fuzz::require(!reader.optional_int(name) && !reader.failed_field(), "null reads as absent");
      continue;
    }
    const auto read = read_as_its_type(reader, name, member.value);
    const bool acceptable = member.value.IsInt64() || member.value.IsBool() ||
                            is_string_array(member.value) ||
                            (member.value.IsString() &&
                             ticketing::json::is_valid_utf8(
                                 {member.value.GetString(), member.value.GetStringLength()}));
    fuzz::require(read.has_value() == acceptable, "a member reads exactly when its type fits");
    if (!read) {
      // The reader names no field for an empty name; no endpoint asks for one.
      fuzz::require(name.empty() || reader.failed_field() == name,
                    "a refused member is the failed field");
      refused = true;
      continue;
    }
    fuzz::require(same(member.value, *read), "a member reads as its value");
    fields.emplace_back(name, *read);
  }
  const auto error = reader.finish();
  fuzz::require(error.has_value() == (repeated || refused),
                "finish() fails exactly on a refused or repeated member");
  // Keys are written as UTF-8 (invalid bytes replaced), so only such names can come back.
  if (!error && std::all_of(fields.begin(), fields.end(), [](const auto& field) {
        return ticketing::json::is_valid_utf8(field.first);
      })) {
    require_round_trip(fields);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::text_of(data, size);
  check(text, false);
  check(text, true);
  return 0;
}
