#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ticketing::config {

// Thrown by Env::check() with every problem found, one per line, so an operator fixes them all
// in one go instead of one restart per typo.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads configuration from environment variables. Each accessor validates its variable and
// records a clear message when the value is unusable; check() throws them all at once.
// An unset or empty variable takes the default.
class Env {
 public:
  using Lookup = std::function<std::optional<std::string>(const std::string&)>;

  Env();  // reads the process environment
  explicit Env(Lookup lookup);

  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  bool boolean(const std::string& name, bool fallback);
  std::string text(const std::string& name, std::string fallback);
  std::optional<std::string> optional_text(const std::string& name);
  std::string required_text(const std::string& name);
  // One of `allowed`, e.g. a log level.
  std::string choice(const std::string& name, std::string fallback,
                     const std::vector<std::string>& allowed);

  // Records that `name` has an unusable value, for checks the accessors above cannot make.
  void reject(const std::string& name, const std::string& why);
  // The same for a secret: the message does not repeat the value.
  void reject_secret(const std::string& name, const std::string& why);

  const std::vector<std::string>& problems() const { return problems_; }
  void check() const;

 private:
  std::optional<std::string> get(const std::string& name) const;

  Lookup lookup_;
  std::vector<std::string> problems_;
};

}  // namespace ticketing::config
