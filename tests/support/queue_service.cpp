#include "queue_service.hpp"

namespace test_support {

namespace {
constexpr const char* kPassword = "queue-test-password";
}

QueueService::QueueService(Environment settings) : role(database.unique_role("queue")) {
  environment = {{"DATABASE_URL", database.url_for(role, kPassword)},
                 {"DATABASE_ADMIN_URL", database.admin_url()},
                 {"ADMIN_API_KEY", "test-admin-key"},
                 {"ACCESS_LOG", "0"},
                 {"DB_POOL_SIZE", "8"},
                 {"HTTP_WORKER_THREADS", "16"}};
  for (auto& setting : settings) environment.push_back(std::move(setting));
  process = std::make_unique<ServiceProcess>(QUEUE_SERVICE_BINARY, environment);
}

std::unique_ptr<ServiceProcess> QueueService::start_replica(Environment settings) const {
  Environment replica = environment;
  for (auto& setting : settings) replica.push_back(std::move(setting));
  return std::make_unique<ServiceProcess>(QUEUE_SERVICE_BINARY, replica);
}

}  // namespace test_support
