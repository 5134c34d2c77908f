#include "pact_file.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace contracts {
namespace {

const rapidjson::Value& member(const rapidjson::Value& object, std::string_view name,
                               std::string_view where) {
  if (!object.IsObject()) throw std::runtime_error(std::string(where) + " is not an object");
  const auto found = object.FindMember(
      rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size())));
  if (found == object.MemberEnd()) {
    throw std::runtime_error(std::string(where) + " has no '" + std::string(name) + "'");
  }
  return found->value;
}

// Pact header names are case-insensitive, and V4 keeps each header's values in an array.
std::optional<std::string> header_of(const rapidjson::Value& part, std::string_view name) {
  const auto headers = part.FindMember("headers");
  if (headers == part.MemberEnd()) return std::nullopt;
  for (const auto& header : headers->value.GetObject()) {
    const std::string_view key(header.name.GetString(), header.name.GetStringLength());
    bool same = key.size() == name.size();
    for (std::size_t i = 0; same && i < key.size(); ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (!same) continue;
    const auto& value = header.value.IsArray() ? header.value[0] : header.value;
    return std::string(value.GetString(), value.GetStringLength());
  }
  return std::nullopt;
}

const rapidjson::Value& body_content(const rapidjson::Value& part, std::string_view where) {
  return member(member(part, "body", where), "content", where);
}

}  // namespace

std::string Interaction::description() const {
  return member(*json_, "description", "interaction").GetString();
}

std::string Interaction::provider_state() const {
  const auto& states = member(*json_, "providerStates", description());
  if (!states.IsArray() || states.Size() == 0) {
    throw std::runtime_error(description() + " has no provider state");
  }
  return member(states[0], "name", description()).GetString();
}

std::string Interaction::request_path() const {
  return member(member(*json_, "request", description()), "path", description()).GetString();
}

std::optional<std::string> Interaction::request_header(std::string_view name) const {
  return header_of(member(*json_, "request", description()), name);
}

std::string Interaction::request_body_string(std::string_view name) const {
  const auto& body = body_content(member(*json_, "request", description()), description());
  const auto& value = member(body, name, description() + " request body");
  if (!value.IsString()) throw std::runtime_error(std::string(name) + " is not a string");
  return value.GetString();
}

int Interaction::response_status() const {
  return member(member(*json_, "response", description()), "status", description()).GetInt();
}

std::optional<std::string> Interaction::response_header(std::string_view name) const {
  return header_of(member(*json_, "response", description()), name);
}

std::string Interaction::response_string(std::string_view name) const {
  const auto& body = body_content(member(*json_, "response", description()), description());
  const auto& value = member(body, name, description() + " response body");
  if (!value.IsString()) throw std::runtime_error(std::string(name) + " is not a string");
  return value.GetString();
}

std::int64_t Interaction::response_int(std::string_view name) const {
  const auto& body = body_content(member(*json_, "response", description()), description());
  const auto& value = member(body, name, description() + " response body");
  if (!value.IsInt64()) throw std::runtime_error(std::string(name) + " is not an integer");
  return value.GetInt64();
}

PactFile::PactFile(std::string_view name)
    : path_(std::string(PACT_DIRECTORY) + "/" + std::string(name) + ".json") {
  std::ifstream file(path_);
  if (!file) throw std::runtime_error("cannot read " + path_);
  std::stringstream text;
  text << file.rdbuf();
  const std::string json = text.str();
  document_.Parse(json.c_str(), json.size());
  if (document_.HasParseError() || !document_.IsObject()) {
    throw std::runtime_error(path_ + " is not a JSON object");
  }
}

Interaction PactFile::interaction(std::string_view description) const {
  for (const auto& interaction : member(document_, "interactions", path_).GetArray()) {
    if (Interaction(interaction).description() == description) return Interaction(interaction);
  }
  throw std::runtime_error(path_ + " has no interaction '" + std::string(description) + "'");
}

std::set<std::string> PactFile::descriptions() const {
  std::set<std::string> all;
  for (const auto& interaction : member(document_, "interactions", path_).GetArray()) {
    all.insert(Interaction(interaction).description());
  }
  return all;
}

Interaction Coverage::use(std::string_view description) {
  used_.emplace(description);
  return pact_.interaction(description);
}

std::set<std::string> Coverage::missing() const {
  std::set<std::string> left;
  for (const auto& description : pact_.descriptions()) {
    if (used_.count(description) == 0) left.insert(description);
  }
  return left;
}

std::string segment_after(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) {
    throw std::runtime_error(std::string(path) + " does not start with " + std::string(prefix));
  }
  const auto rest = path.substr(prefix.size());
  return std::string(rest.substr(0, rest.find('/')));
}

std::int64_t number_after(std::string_view path, std::string_view prefix) {
  return std::stoll(segment_after(path, prefix));
}

}  // namespace contracts
