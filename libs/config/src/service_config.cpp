#include "ticketing/config/service_config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace ticketing::config {

namespace {

constexpr std::size_t kInternalKeyMinLength = 16;

bool is_ip_address(const std::string& text) {
  unsigned char address[16];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

// A missing or unusable key stops the start: without it every request would be refused, and a
// service that accepted any caller is what the key exists to prevent. The value is never echoed.
std::string read_internal_key(Env& env) {
  auto key = env.optional_text("INTERNAL_API_KEY");
  if (!key) {
    env.reject_secret("INTERNAL_API_KEY",
                      "is required: the key the gateway and the services share (at least " +
                          std::to_string(kInternalKeyMinLength) + " characters)");
    return {};
  }
  if (!is_usable_internal_key(*key)) {
    env.reject_secret("INTERNAL_API_KEY",
                      "must be at least " + std::to_string(kInternalKeyMinLength) +
                          " characters, each a letter, a digit or one of . _ ~ + / = - (got " +
                          std::to_string(key->size()) + " characters)");
  }
  return *key;
}

}  // namespace

bool is_usable_internal_key(std::string_view key) {
  return key.size() >= kInternalKeyMinLength && std::all_of(key.begin(), key.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                  std::string_view("._~+/=-").find(c) != std::string_view::npos;
         });
}

ServiceConfig ServiceConfig::from(Env& env, std::uint16_t default_port) {
  ServiceConfig c;
  c.listen_address = env.text("LISTEN_ADDRESS", "127.0.0.1");
  if (!is_ip_address(c.listen_address)) {
    env.reject("LISTEN_ADDRESS", "must be an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0");
  }
  c.port = static_cast<std::uint16_t>(env.integer("PORT", default_port, 1, 65535));
  c.database_url = env.required_text("DATABASE_URL");
  c.database_admin_url = env.optional_text("DATABASE_ADMIN_URL");
  c.db_pool_size = static_cast<std::size_t>(env.integer("DB_POOL_SIZE", 16, 1, 256));
  c.io_threads = static_cast<std::size_t>(env.integer("HTTP_IO_THREADS", 2, 1, 64));
  c.worker_threads = static_cast<std::size_t>(env.integer("HTTP_WORKER_THREADS", 16, 1, 1024));
  c.log_level = env.choice("LOG_LEVEL", "info", {"debug", "info", "warn", "error"});
  c.access_log = env.boolean("ACCESS_LOG", true);
  c.admin_key = env.optional_text("ADMIN_API_KEY");
  c.internal_key = read_internal_key(env);
  return c;
}

}  // namespace ticketing::config
