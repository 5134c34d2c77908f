#include "stack.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace test_support {

using ticketing::http::Method;

std::string date_in_days(int days) {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                   std::chrono::days(days);
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

namespace {

Environment queue_environment(const QueueSettings& settings, std::uint16_t concert_port) {
  Environment all{{"QUEUE_CAPACITY", "100000"}};
  if (settings.asks_concert) {
    all.emplace_back("CONCERT_URL", "http://127.0.0.1:" + std::to_string(concert_port));
  }
  // Later entries win: the process gets the last value of a name.
  for (const auto& setting : settings.environment) all.push_back(setting);
  return all;
}

}  // namespace

Stack::Stack(Environment payment_settings_in, Environment concert_settings,
             QueueSettings queue_settings)
    : concert(std::move(concert_settings)),
      queue(queue_environment(queue_settings, concert.process->port())),
      payment_settings(std::move(payment_settings_in)) {
  payment = std::make_unique<PaymentService>(queue.process->port(), concert.process->port(),
                                             payment_settings);
}

void Stack::restart_payment(Environment settings) {
  if (payment->process) payment->process->terminate();
  payment->process = std::make_unique<ServiceProcess>(payment->binary, [&] {
    Environment all = payment->environment;
    for (auto& s : settings) all.push_back(s);
    return all;
  }());
}

IssuedToken Stack::visitor() {
  auto client = queue.process->client();
  auto issued = issue_token(client);
  if (issued.state != "ACTIVE") throw std::runtime_error("visitor not admitted at once");
  return issued;
}

std::string Stack::concert_on(const std::string& date, std::int64_t price) {
  auto client = concert.process->client();
  auto response = call(
      client, Method::post, "/api/v1/admin/concerts",
      R"({"title":"Test","price":)" + std::to_string(price) + R"(,"dates":[")" + date + R"("]})",
      {{"X-Admin-Key", "test-admin-key"}});
  if (response.status != 201) throw std::runtime_error("concert not created: " + response.body);
  return date;
}

ticketing::http::ClientResponse Stack::charge(const std::string& user_id, std::int64_t amount,
                                              const std::string& idempotency_key) {
  auto client = payment->process->client();
  ticketing::http::HeaderList headers;
  if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
  return call(client, Method::post, "/api/v1/users/" + user_id + "/points/charge",
              R"({"amount":)" + std::to_string(amount) + "}", std::move(headers));
}

std::int64_t Stack::hold(const std::string& user_id, const std::string& date, int seat_no) {
  auto client = concert.process->client();
  auto response = call(client, Method::post, "/api/v1/reservations",
                       R"({"date":")" + date + R"(","seatNo":)" + std::to_string(seat_no) + "}",
                       {{"X-User-Id", user_id}});
  if (response.status != 201) throw std::runtime_error("hold refused: " + response.body);
  return parse_json(response.body)["reservationId"].GetInt64();
}

ticketing::http::ClientResponse Stack::pay(const IssuedToken& visitor, std::int64_t reservation_id,
                                           const std::string& idempotency_key) {
  auto client = payment->process->client();
  ticketing::http::HeaderList headers{{"X-User-Id", visitor.user_id},
                                      {"Authorization", "Bearer " + visitor.token}};
  if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
  return call(client, Method::post, "/api/v1/payments",
              R"({"reservationId":)" + std::to_string(reservation_id) + "}", std::move(headers));
}

std::int64_t Stack::balance(const std::string& user_id) {
  auto client = payment->process->client();
  auto response = call(client, Method::get, "/api/v1/users/" + user_id + "/points");
  if (response.status != 200) throw std::runtime_error("balance: " + response.body);
  return parse_json(response.body)["balance"].GetInt64();
}

}  // namespace test_support
