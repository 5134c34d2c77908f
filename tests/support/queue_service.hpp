#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "service_process.hpp"
#include "ticketing/db/testing/temp_database.hpp"

namespace test_support {

// A queue service process on its own throwaway database, migrated at start with its own role.
struct QueueService {
  explicit QueueService(Environment settings = {});
  // So that QueueService service({{"QUEUE_CAPACITY", "2"}}) reads naturally.
  QueueService(std::initializer_list<std::pair<std::string, std::string>> settings)
      : QueueService(Environment(settings)) {}
  // Another replica on the same database.
  std::unique_ptr<ServiceProcess> start_replica(Environment settings = {}) const;

  ticketing::db::testing::TempDatabase database;
  std::string role;
  Environment environment;
  std::unique_ptr<ServiceProcess> process;
};

}  // namespace test_support
