#include "stack.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace test_support {

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

// An Idempotency-Key header, or none for "".
Headers with_key(const std::string& idempotency_key) {
  if (idempotency_key.empty()) return {};
  return {{"Idempotency-Key", idempotency_key}};
}

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

QueueClient Stack::queue_client() const { return QueueClient(direct_to(queue.process->port())); }

ConcertClient Stack::concert_client() const {
  return ConcertClient(direct_to(concert.process->port()));
}

PaymentClient Stack::payment_client() const {
  return PaymentClient(direct_to([this] { return payment->process->port(); }));
}

IssuedToken Stack::visitor() {
  auto client = queue.process->client();
  auto issued = issue_token(client);
  if (issued.state != "ACTIVE") throw std::runtime_error("visitor not admitted at once");
  return issued;
}

std::string Stack::concert_on(const std::string& date, std::int64_t price) {
  const auto reply = concert_client().create_concert("Test", price, {date});
  if (reply.status != 201) throw std::runtime_error("concert not created: " + reply.body);
  return date;
}

Reply Stack::charge(const std::string& user_id, std::int64_t amount,
                    const std::string& idempotency_key) {
  return payment_client().charge(user_id, amount, with_key(idempotency_key));
}

std::int64_t Stack::hold(const std::string& user_id, const std::string& date, int seat_no) {
  const auto reply = concert_client().reserve(user_id, date, seat_no);
  if (reply.status != 201) throw std::runtime_error("hold refused: " + reply.body);
  return parse_json(reply.body)["reservationId"].GetInt64();
}

Reply Stack::pay(const IssuedToken& visitor, std::int64_t reservation_id,
                 const std::string& idempotency_key) {
  return payment_client().pay(visitor, reservation_id, with_key(idempotency_key));
}

std::int64_t Stack::balance(const std::string& user_id) {
  const auto reply = payment_client().points(user_id);
  if (reply.status != 200) throw std::runtime_error("balance: " + reply.body);
  return parse_json(reply.body)["balance"].GetInt64();
}

}  // namespace test_support
