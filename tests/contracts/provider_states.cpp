#include "provider_states.hpp"

#include <catch2/catch.hpp>
#include <exception>
#include <stdexcept>

#include "pact_cli.hpp"
#include "pact_file.hpp"
#include "support/queue_api.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/json/writer.hpp"

namespace contracts {

std::string expect_answer(ticketing::http::Client& client, int status,
                          ticketing::http::Method method, const std::string& target,
                          const std::string& body, ticketing::http::HeaderList headers) {
  const auto reply = test_support::call(client, method, target, body, std::move(headers));
  if (reply.status != status) {
    throw std::runtime_error(target + " answered " + std::to_string(reply.status) + ": " +
                             reply.body);
  }
  return reply.body;
}

using ticketing::http::Method;

namespace {

ticketing::http::ServerOptions options() {
  ticketing::http::ServerOptions options;
  options.service_name = "provider-states";
  options.address = "127.0.0.1";
  options.worker_threads = 2;
  options.access_log = false;
  return options;
}

std::string to_json(const StateValues& values) {
  ticketing::json::Writer w;
  w.begin_object();
  for (const auto& [name, value] : values) w.field(name, value);
  return w.end_object().take();
}

}  // namespace

ProviderStates::ProviderStates(std::map<std::string, StateSetup> setups)
    : setups_(std::move(setups)), logger_("provider-states", ticketing::log::Level::warn, 2) {
  ticketing::http::Router router;
  router.add(Method::post, "/provider-states",
             [this](const ticketing::http::Request& request) { return change(request.body); });
  server_ = std::make_unique<ticketing::http::Server>(options(), std::move(router), logger_);
  thread_ = std::thread([this] { server_->run(); });
}

ProviderStates::~ProviderStates() {
  server_->stop();
  thread_.join();
}

std::string ProviderStates::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + "/provider-states";
}

std::string ProviderStates::journal() const {
  std::lock_guard lock(mutex_);
  return journal_;
}

void ProviderStates::note(std::string line) {
  std::lock_guard lock(mutex_);
  journal_ += line + "\n";
}

ticketing::http::Response ProviderStates::change(const std::string& body) {
  rapidjson::Document request;
  request.Parse(body.c_str(), body.size());
  if (request.HasParseError() || !request.IsObject() || !request.HasMember("state") ||
      !request["state"].IsString()) {
    note("malformed state change: " + body);
    return ticketing::http::problem(400, "INVALID_REQUEST", "not a state change: " + body);
  }
  const std::string state = request["state"].GetString();
  const bool teardown = request.HasMember("action") && request["action"].IsString() &&
                        std::string_view(request["action"].GetString()) == "teardown";
  // The verifier also posts an empty state for an interaction that has none: nothing to do.
  if (teardown || state.empty()) return ticketing::http::json_response(200, "{}");

  const auto setup = setups_.find(state);
  if (setup == setups_.end()) {
    note("no setup for provider state '" + state + "'");
    return ticketing::http::problem(500, "UNKNOWN_STATE", "no setup for provider state " + state);
  }
  static const rapidjson::Value kNoParams(rapidjson::kObjectType);
  const auto params = request.FindMember("params");
  try {
    const auto values = setup->second(params != request.MemberEnd() ? params->value : kNoParams);
    note("'" + state + "' -> " + to_json(values));
    return ticketing::http::json_response(200, to_json(values));
  } catch (const std::exception& error) {
    note("'" + state + "' failed: " + error.what());
    return ticketing::http::problem(500, "STATE_SETUP_FAILED", error.what());
  }
}

void require_verified(std::string_view pact_name, std::string_view provider_name,
                      std::uint16_t provider_port, const ProviderStates& states) {
  const PactFile pact(pact_name);
  const auto run = verify_provider(pact.path(), provider_name, provider_port, states.url());
  INFO("pact verifier:\n" << run.output << "\nprovider states:\n" << states.journal());
  REQUIRE(run.exit_status == 0);
}

}  // namespace contracts
