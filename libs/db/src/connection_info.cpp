#include "ticketing/db/connection_info.hpp"

#include <libpq-fe.h>

#include <memory>

namespace ticketing::db {

namespace {

struct ConninfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using Conninfo = std::unique_ptr<PQconninfoOption, ConninfoFree>;

Result<Conninfo, std::string> parse(std::string_view url) {
  char* message = nullptr;
  Conninfo options(PQconninfoParse(std::string(url).c_str(), &message));
  if (!options) {
    std::string error = message ? message : "cannot parse connection string";
    if (message) PQfreemem(message);
    while (!error.empty() && error.back() == '\n') error.pop_back();
    return fail(std::move(error));
  }
  return options;
}

// key=value values are single-quoted with \ escaping ' and \ (libpq's rules).
void append_value(std::string& out, std::string_view value) {
  out += '\'';
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

}  // namespace

Result<Credentials, std::string> credentials_of(std::string_view url) {
  auto parsed = parse(url);
  if (!parsed) return fail(parsed.error());
  Credentials credentials;
  for (const PQconninfoOption* option = parsed.value().get(); option->keyword; ++option) {
    if (!option->val) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "user") credentials.user = option->val;
    if (keyword == "password") credentials.password = option->val;
  }
  return credentials;
}

Result<std::string, std::string> with_options(
    std::string_view url, const std::vector<std::pair<std::string, std::string>>& overrides) {
  auto parsed = parse(url);
  if (!parsed) return fail(parsed.error());
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const PQconninfoOption* option = parsed.value().get(); option->keyword; ++option) {
    if (option->val) pairs.emplace_back(option->keyword, option->val);
  }
  for (const auto& [keyword, value] : overrides) {
    bool replaced = false;
    for (auto& pair : pairs) {
      if (pair.first == keyword) {
        pair.second = value;
        replaced = true;
      }
    }
    if (!replaced) pairs.emplace_back(keyword, value);
  }
  std::string out;
  for (const auto& [keyword, value] : pairs) {
    if (!out.empty()) out += ' ';
    out += keyword;
    out += '=';
    append_value(out, value);
  }
  return out;
}

}  // namespace ticketing::db
