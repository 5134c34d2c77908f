#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ticketing/http/response.hpp"
#include "ticketing/json/writer.hpp"

// Shared by the fuzz targets: a broken property is a crash, so libFuzzer keeps the input.
namespace fuzz {

inline void require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz: property broken: %s\n", property);
  std::abort();
}

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An RFC 9457 problem as libs/http builds it: JSON whose status and code match the response.
inline void require_problem(const ticketing::http::Response& response) {
  require(response.status >= 400 && response.status <= 599, "a problem has an error status");
  require(response.content_type == "application/problem+json", "a problem is problem+json");
  rapidjson::Document body;
  body.Parse<rapidjson::kParseIterativeFlag>(response.body.data(), response.body.size());
  require(!body.HasParseError() && body.IsObject(), "a problem body is a JSON object");
  require(body.HasMember("status") && body["status"].IsInt() &&
              body["status"].GetInt() == response.status,
          "a problem's status field is the response status");
  require(body.HasMember("code") && body["code"].IsString() && body["code"].GetStringLength() > 0,
          "a problem has a code");
}

// The members of a body as the strict reader must see it: one JSON object without NUL bytes whose
// names are distinct and all among `allowed`; nullopt otherwise. Null members are left out.
using Members = std::map<std::string, const rapidjson::Value*>;
inline std::optional<Members> members(rapidjson::Document& document, std::string_view text,
                                      std::initializer_list<std::string_view> allowed) {
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());  // any depth
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  Members found;
  std::map<std::string, int> seen;
  for (const auto& member : document.GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    bool known = false;
    for (const auto candidate : allowed) known = known || candidate == name;
    if (!known || ++seen[name] > 1) return std::nullopt;
    if (!member.value.IsNull()) found.emplace(std::move(name), &member.value);
  }
  return found;
}

// The member `name` as UTF-8 text, nullopt when absent or anything else.
inline std::optional<std::string> utf8_text(const Members& found, const std::string& name) {
  const auto it = found.find(name);
  if (it == found.end() || !it->second->IsString()) return std::nullopt;
  std::string text(it->second->GetString(), it->second->GetStringLength());
  if (!ticketing::json::is_valid_utf8(text)) return std::nullopt;
  return text;
}

// The member `name` as a 64-bit integer, nullopt when absent or anything else.
inline std::optional<std::int64_t> integer(const Members& found, const std::string& name) {
  const auto it = found.find(name);
  if (it == found.end() || !it->second->IsInt64()) return std::nullopt;
  return it->second->GetInt64();
}

inline bool visible_ascii(std::string_view text) {
  for (const char c : text) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

}  // namespace fuzz
