#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "service_process.hpp"
#include "ticketing/db/testing/temp_database.hpp"

namespace test_support {

// A service process on its own throwaway database, migrated at start with its own role.
// ADMIN_API_KEY is "test-admin-key"; the access log is off.
struct ServiceOnDatabase {
  ServiceOnDatabase(std::string binary, std::string role_prefix, Environment settings);
  // Another replica on the same database.
  std::unique_ptr<ServiceProcess> start_replica(Environment settings = {}) const;

  std::string binary;
  ticketing::db::testing::TempDatabase database;
  std::string role;
  Environment environment;
  std::unique_ptr<ServiceProcess> process;
};

// The queue service: QueueService service({{"QUEUE_CAPACITY", "2"}});
struct QueueService : ServiceOnDatabase {
  explicit QueueService(Environment settings = {})
      : ServiceOnDatabase(QUEUE_SERVICE_BINARY, "queue", std::move(settings)) {}
  QueueService(std::initializer_list<std::pair<std::string, std::string>> settings)
      : QueueService(Environment(settings)) {}
};

// The concert service: ConcertService service({{"HOLD_TTL_SECONDS", "1"}});
struct ConcertService : ServiceOnDatabase {
  explicit ConcertService(Environment settings = {})
      : ServiceOnDatabase(CONCERT_SERVICE_BINARY, "concert", std::move(settings)) {}
  ConcertService(std::initializer_list<std::pair<std::string, std::string>> settings)
      : ConcertService(Environment(settings)) {}
};

// The payment service, talking to a queue and a concert service:
// PaymentService service(queue_port, concert_port, {{"POINTS_MAX_CHARGE", "1000"}});
struct PaymentService : ServiceOnDatabase {
  PaymentService(std::uint16_t queue_port, std::uint16_t concert_port, Environment settings = {})
      : ServiceOnDatabase(PAYMENT_SERVICE_BINARY, "payment",
                          with_peers(queue_port, concert_port, std::move(settings))) {}

  static Environment with_peers(std::uint16_t queue_port, std::uint16_t concert_port,
                                Environment settings) {
    Environment all{{"QUEUE_URL", "http://127.0.0.1:" + std::to_string(queue_port)},
                    {"CONCERT_URL", "http://127.0.0.1:" + std::to_string(concert_port)}};
    for (auto& setting : settings) all.push_back(std::move(setting));
    return all;
  }
};

}  // namespace test_support
