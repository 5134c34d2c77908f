#include "ticketing/config/env.hpp"

#include <charconv>
#include <cstdlib>

namespace ticketing::config {

Env::Env()
    : Env([](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
      }) {}

Env::Env(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> Env::get(const std::string& name) const {
  auto value = lookup_(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::int64_t Env::integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) {
  const auto raw = get(name);
  if (!raw) return fallback;
  std::int64_t value = 0;
  const char* end = raw->data() + raw->size();
  auto [stop, ec] = std::from_chars(raw->data(), end, value);
  if (ec != std::errc() || stop != end || value < min || value > max) {
    problems_.push_back(name + " must be an integer from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got '" + *raw + "'");
    return fallback;
  }
  return value;
}

bool Env::boolean(const std::string& name, bool fallback) {
  const auto raw = get(name);
  if (!raw) return fallback;
  if (*raw == "1" || *raw == "true") return true;
  if (*raw == "0" || *raw == "false") return false;
  problems_.push_back(name + " must be 1, 0, true or false, got '" + *raw + "'");
  return fallback;
}

std::string Env::text(const std::string& name, std::string fallback) {
  auto raw = get(name);
  return raw ? std::move(*raw) : std::move(fallback);
}

std::optional<std::string> Env::optional_text(const std::string& name) { return get(name); }

std::string Env::required_text(const std::string& name) {
  auto raw = get(name);
  if (!raw) {
    problems_.push_back(name + " is required");
    return {};
  }
  return std::move(*raw);
}

std::string Env::choice(const std::string& name, std::string fallback,
                        const std::vector<std::string>& allowed) {
  auto raw = get(name);
  if (!raw) return fallback;
  for (const auto& option : allowed) {
    if (*raw == option) return std::move(*raw);
  }
  std::string options;
  for (const auto& option : allowed) options += (options.empty() ? "" : ", ") + option;
  problems_.push_back(name + " must be one of " + options + ", got '" + *raw + "'");
  return fallback;
}

void Env::reject(const std::string& name, const std::string& why) {
  problems_.push_back(name + " " + why + ", got '" + get(name).value_or("") + "'");
}

void Env::reject_secret(const std::string& name, const std::string& why) {
  problems_.push_back(name + " " + why);
}

void Env::check() const {
  if (problems_.empty()) return;
  std::string message = "invalid configuration:";
  for (const auto& problem : problems_) message += "\n  " + problem;
  throw ConfigError(message);
}

}  // namespace ticketing::config
