#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "support/child_process.hpp"

namespace contracts {

// The pinned Pact CLI (proto-docs/package.json, installed by proto-docs/install-tools.sh), run
// as its native executable so that stopping a stub stops the server itself.
// Every pact process runs with PACT_DO_NOT_TRACK=true (no usage data leaves the machine) and
// NO_COLOR=1.

// `pact stub` serving one pact on a free port of 127.0.0.1: it answers each request with the
// response of the interaction that matches it (method, path, query and body must match; of
// those, the one with the fewest header mismatches wins), and 404 with no body otherwise.
class PactStub {
 public:
  explicit PactStub(const std::string& pact_path);
  // When several interactions match a request alike (one request, many provider states), the
  // stub answers the one whose provider state the request's header `state_header` names.
  PactStub(const std::string& pact_path, const std::string& state_header);

  std::uint16_t port() const { return port_; }
  // What it received and answered, for failure messages.
  std::string log() const { return process_.output(); }

 private:
  std::uint16_t port_;
  test_support::ChildProcess process_;
};

struct Verification {
  int exit_status = -1;  // 0: every interaction verified; -1: killed at the time limit
  std::string output;
};

// Runs `pact verifier` to its end: each interaction of the pact is replayed against the
// provider on 127.0.0.1:provider_port after posting its provider state to state_change_url.
Verification verify_provider(const std::string& pact_path, std::string_view provider_name,
                             std::uint16_t provider_port, const std::string& state_change_url,
                             std::chrono::seconds time_limit = std::chrono::seconds(60));

}  // namespace contracts
