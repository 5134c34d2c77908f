#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ticketing/http/client.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/log/logger.hpp"

namespace contracts {

// Values a state's setup hands back to the verifier, which puts them into the interaction's
// request where the pact says "fromProviderState" (e.g. ${reservationId} in a path).
using StateValues = std::vector<std::pair<std::string, std::string>>;
// Makes a provider state true on the real provider; `params` are the state's params in the pact.
using StateSetup = std::function<StateValues(const rapidjson::Value& params)>;

// The provider-state change endpoint `pact verifier --state-change-url` posts to before each
// interaction: {"state", "params", "action": "setup"}. Served from the test process on a free
// port of 127.0.0.1. A state with no setup here, or a setup that throws, is answered 500, which
// fails that interaction.
// One call to the provider while a state is made true: the answer's body, or an exception (which
// fails that state's interaction) unless it answered `status`.
std::string expect_answer(ticketing::http::Client& client, int status,
                          ticketing::http::Method method, const std::string& target,
                          const std::string& body = {}, ticketing::http::HeaderList headers = {});

class ProviderStates {
 public:
  explicit ProviderStates(std::map<std::string, StateSetup> setups);
  ~ProviderStates();
  ProviderStates(const ProviderStates&) = delete;
  ProviderStates& operator=(const ProviderStates&) = delete;

  std::string url() const;
  // One line per state change asked for, with its outcome, for failure messages.
  std::string journal() const;

 private:
  ticketing::http::Response change(const std::string& body);
  void note(std::string line);

  std::map<std::string, StateSetup> setups_;
  ticketing::log::Logger logger_;
  std::unique_ptr<ticketing::http::Server> server_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::string journal_;
};

// Verifies `provider_name` on 127.0.0.1:provider_port against the pact `pact_name` of
// proto-docs/pacts (without ".json"), with `states` making its provider states true; fails the
// test case, showing the verifier's output and the states' journal, unless every interaction
// verifies.
void require_verified(std::string_view pact_name, std::string_view provider_name,
                      std::uint16_t provider_port, const ProviderStates& states);

}  // namespace contracts
