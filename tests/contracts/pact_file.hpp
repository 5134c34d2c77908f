#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace contracts {

// One interaction of a pact as written: the example values `pact stub` serves. Consumer tests
// read them from the pact instead of repeating them, so the pact is the one place they live.
class Interaction {
 public:
  explicit Interaction(const rapidjson::Value& json) : json_(&json) {}

  std::string description() const;
  // The name of its (first) provider state.
  std::string provider_state() const;
  std::string request_path() const;
  std::optional<std::string> request_header(std::string_view name) const;
  // A member of the request's JSON body.
  std::string request_body_string(std::string_view name) const;

  int response_status() const;
  std::optional<std::string> response_header(std::string_view name) const;
  // Members of the response's JSON body; each throws when the member is missing or of
  // another type.
  std::string response_string(std::string_view name) const;
  std::int64_t response_int(std::string_view name) const;

 private:
  const rapidjson::Value* json_;
};

// A pact of proto-docs/pacts, loaded once.
class PactFile {
 public:
  // `name` without ".json", e.g. "payment-service-concert-service".
  explicit PactFile(std::string_view name);
  PactFile(const PactFile&) = delete;
  PactFile& operator=(const PactFile&) = delete;

  const std::string& path() const { return path_; }
  // Throws when no interaction has this description.
  Interaction interaction(std::string_view description) const;
  std::set<std::string> descriptions() const;

 private:
  std::string path_;
  rapidjson::Document document_;
};

// Keeps a consumer test honest: every interaction of its pact must be exercised, so a new one
// without a test of what the consumer does with it fails.
class Coverage {
 public:
  explicit Coverage(const PactFile& pact) : pact_(pact) {}
  // The interaction, marked as exercised.
  Interaction use(std::string_view description);
  // The descriptions of the pact that no use() asked for.
  std::set<std::string> missing() const;

 private:
  const PactFile& pact_;
  std::set<std::string> used_;
};

// The number that ends (or is followed by "/...") the segment after `prefix` in `path`:
// number_after("/internal/v1/reservations/1001/confirm", "/internal/v1/reservations/") == 1001.
std::int64_t number_after(std::string_view path, std::string_view prefix);
// The segment after `prefix`: segment_after("/internal/v1/tokens/ab12/expire", ".../tokens/").
std::string segment_after(std::string_view path, std::string_view prefix);

}  // namespace contracts
