#include "service_on_database.hpp"

namespace test_support {

namespace {
constexpr const char* kPassword = "service-test-password";
}

ServiceOnDatabase::ServiceOnDatabase(std::string binary_path, std::string role_prefix,
                                     Environment settings)
    : binary(std::move(binary_path)), role(database.unique_role(role_prefix)) {
  environment = {{"DATABASE_URL", database.url_for(role, kPassword)},
                 {"DATABASE_ADMIN_URL", database.admin_url()},
                 {"ADMIN_API_KEY", "test-admin-key"},
                 {"ACCESS_LOG", "0"},
                 {"DB_POOL_SIZE", "8"},
                 {"HTTP_WORKER_THREADS", "8"}};
  for (auto& setting : settings) environment.push_back(std::move(setting));
  process = std::make_unique<ServiceProcess>(binary, environment);
}

std::unique_ptr<ServiceProcess> ServiceOnDatabase::start_replica(Environment settings) const {
  Environment replica = environment;
  for (auto& setting : settings) replica.push_back(std::move(setting));
  return std::make_unique<ServiceProcess>(binary, replica);
}

}  // namespace test_support
