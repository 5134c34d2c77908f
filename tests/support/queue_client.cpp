#include "queue_client.hpp"

namespace test_support {
namespace {

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace

Reply QueueClient::issue_token(std::string_view body) const {
  return send("POST", "/api/v1/queue/tokens", body);
}

Reply QueueClient::issue_token_for(const std::string& user_id) const {
  return issue_token(R"({"userId":")" + user_id + R"("})");
}

Reply QueueClient::poll(const std::string& token) const {
  return get("/api/v1/queue/tokens/me", bearer(token));
}

Reply QueueClient::opening() const { return get("/api/v1/queue/opening"); }

Reply QueueClient::queue_control(const Headers& headers) const {
  return get("/api/v1/admin/queue", headers);
}

Reply QueueClient::update_queue_control(std::string_view body, const Headers& headers) const {
  return send("PUT", "/api/v1/admin/queue", body, headers);
}

Reply QueueClient::verify(const std::string& token) const {
  return get("/internal/v1/tokens/verify", bearer(token));
}

Reply QueueClient::expire(const std::string& token) const {
  return send("POST", "/internal/v1/tokens/" + token + "/expire");
}

Reply QueueClient::find_user(const std::string& user_id) const {
  return get("/internal/v1/users/" + user_id);
}

}  // namespace test_support
