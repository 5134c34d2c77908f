#include "ticketing/json/reader.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <set>

#include "ticketing/json/writer.hpp"

namespace ticketing::json {
namespace {

// The member named `name`, compared by length: a bare StringRef would convert to const char* and
// be read up to a NUL, past the end of a view or short of a name holding "\u0000".
rapidjson::Value::MemberIterator find_member(rapidjson::Document& document, std::string_view name) {
  return document.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
}

}  // namespace

struct ObjectReader::Impl {
  rapidjson::Document document;
  std::vector<std::string> understood;
  std::optional<std::string> error;
  std::optional<std::string> error_field;

  void record(std::string message, std::string_view field = {}) {
    if (error) return;
    error = std::move(message);
    if (!field.empty()) error_field = std::string(field);
  }

  // The member `name`, or nullptr if absent or null; marks it understood.
  const rapidjson::Value* find(std::string_view name) {
    if (error) return nullptr;
    understood.emplace_back(name);
    auto it = find_member(document, name);
    if (it == document.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  const rapidjson::Value* require(std::string_view name) {
    const auto* value = find(name);
    if (value == nullptr && !error) record("'" + std::string(name) + "' is required", name);
    return value;
  }
};

ObjectReader::ObjectReader(std::string_view text, bool empty_is_object)
    : impl_(std::make_unique<Impl>()) {
  const bool blank = std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  if (blank && empty_is_object) {
    impl_->document.SetObject();
    return;
  }
  // RapidJSON stops reading at a NUL byte, which would hide whatever follows it; a raw NUL is
  // never valid JSON anyway.
  if (text.find('\0') != std::string_view::npos) {
    impl_->record("malformed JSON: the body contains a NUL byte");
    return;
  }
  // Default (not full) precision: Debian's RapidJSON 1.1 reads out of bounds in full-precision
  // mode on decimals with hundreds of digits. We only accept integers, which parse exactly.
  // Without kParseStopWhenDoneFlag, text after the value is a parse error.
  // Iterative: the recursive parser's stack grows with each '[' or '{', and ~175 KB of '[' ends
  // an 8 MiB thread stack (a 64 KiB body of them already does in the clang ASan build).
  impl_->document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (impl_->document.HasParseError()) {
    impl_->record(std::string("malformed JSON: ") +
                  rapidjson::GetParseError_En(impl_->document.GetParseError()) + " at offset " +
                  std::to_string(impl_->document.GetErrorOffset()));
  } else if (!impl_->document.IsObject()) {
    impl_->record("the body must be a JSON object");
  }
}

ObjectReader::~ObjectReader() = default;

std::optional<std::int64_t> ObjectReader::optional_int(std::string_view name) {
  const auto* value = impl_->find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->IsInt64()) {
    impl_->record("'" + std::string(name) + "' must be an integer", name);
    return std::nullopt;
  }
  return value->GetInt64();
}

std::optional<std::int64_t> ObjectReader::required_int(std::string_view name) {
  if (impl_->require(name) == nullptr) return std::nullopt;
  return optional_int(name);
}

std::optional<std::string> ObjectReader::optional_string(std::string_view name) {
  const auto* value = impl_->find(name);
  if (value == nullptr) return std::nullopt;
  std::string text(value->IsString() ? value->GetString() : "",
                   value->IsString() ? value->GetStringLength() : 0);
  if (!value->IsString() || !is_valid_utf8(text)) {
    impl_->record("'" + std::string(name) + "' must be a string of UTF-8 text", name);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ObjectReader::required_string(std::string_view name) {
  if (impl_->require(name) == nullptr) return std::nullopt;
  return optional_string(name);
}

std::optional<bool> ObjectReader::optional_bool(std::string_view name) {
  const auto* value = impl_->find(name);
  if (value == nullptr) return std::nullopt;
  if (!value->IsBool()) {
    impl_->record("'" + std::string(name) + "' must be true or false", name);
    return std::nullopt;
  }
  return value->GetBool();
}

std::optional<bool> ObjectReader::required_bool(std::string_view name) {
  if (impl_->require(name) == nullptr) return std::nullopt;
  return optional_bool(name);
}

std::optional<std::vector<std::string>> ObjectReader::required_string_array(std::string_view name) {
  const auto* value = impl_->require(name);
  if (value == nullptr) return std::nullopt;
  if (!value->IsArray()) {
    impl_->record("'" + std::string(name) + "' must be an array of strings", name);
    return std::nullopt;
  }
  std::vector<std::string> items;
  items.reserve(value->Size());
  for (const auto& item : value->GetArray()) {
    if (!item.IsString() || !is_valid_utf8({item.GetString(), item.GetStringLength()})) {
      impl_->record("'" + std::string(name) + "' must be an array of strings", name);
      return std::nullopt;
    }
    items.emplace_back(item.GetString(), item.GetStringLength());
  }
  return items;
}

bool ObjectReader::parsed() const { return impl_->document.IsObject(); }

std::optional<std::string> ObjectReader::failed_field() const { return impl_->error_field; }

bool ObjectReader::has(std::string_view name) const {
  if (impl_->error) return false;
  auto it = find_member(impl_->document, name);
  return it != impl_->document.MemberEnd() && !it->value.IsNull();
}

bool ObjectReader::present(std::string_view name) const {
  if (impl_->error) return false;
  return find_member(impl_->document, name) != impl_->document.MemberEnd();
}

std::optional<std::string> ObjectReader::finish() {
  if (impl_->error) return impl_->error;
  std::set<std::string_view> seen;
  for (const auto& member : impl_->document.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (!seen.insert(name).second) return "field '" + std::string(name) + "' appears twice";
    if (std::find(impl_->understood.begin(), impl_->understood.end(), name) ==
        impl_->understood.end()) {
      return "unknown field '" + std::string(name) + "'";
    }
  }
  return std::nullopt;
}

}  // namespace ticketing::json
