#include "ticketing/metrics/registry.hpp"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

using ticketing::metrics::Registry;

TEST_CASE("Counters render with help, type and labels") {
  Registry registry;
  registry.counter("queue_tokens_issued_total", "Tokens issued").inc(3);
  registry.counter("http_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc();
  registry.counter("http_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc();
  const auto text = registry.render();
  CHECK(text.find("# HELP queue_tokens_issued_total Tokens issued\n"
                  "# TYPE queue_tokens_issued_total counter\n"
                  "queue_tokens_issued_total 3\n") != std::string::npos);
  CHECK(text.find("http_requests_total{route=\"/a\",status=\"200\"} 2\n") != std::string::npos);
}

TEST_CASE("Gauges render set values and callbacks") {
  Registry registry;
  registry.gauge("pool_size", "Pool size").set(8);
  registry.gauge_callback("queue_waiting", "Waiting tokens", [] { return 42.0; });
  registry.counter_callback("queue_admitted_total", "Admitted", [] { return 7.0; });
  const auto text = registry.render();
  CHECK(text.find("pool_size 8\n") != std::string::npos);
  CHECK(text.find("queue_waiting 42\n") != std::string::npos);
  CHECK(text.find("# TYPE queue_admitted_total counter\nqueue_admitted_total 7\n") !=
        std::string::npos);
}

TEST_CASE("Histograms render cumulative buckets, sum and count") {
  Registry registry;
  auto& h = registry.histogram("latency_seconds", "Latency", {{"route", "/x"}}, {0.1, 1.0});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  const auto text = registry.render();
  CHECK(text.find("latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n") != std::string::npos);
  CHECK(text.find("latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n") != std::string::npos);
  CHECK(text.find("latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("latency_seconds_sum{route=\"/x\"} 5.55\n") != std::string::npos);
  CHECK(text.find("latency_seconds_count{route=\"/x\"} 3\n") != std::string::npos);
}

TEST_CASE("Counters lose no increments under concurrency") {
  Registry registry;
  auto& counter = registry.counter("c_total", "c");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) counter.inc();
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(counter.value() == 80000);
}

TEST_CASE("A name cannot be two kinds of metric") {
  Registry registry;
  registry.counter("x", "x");
  CHECK_THROWS_AS(registry.gauge("x", "x"), std::logic_error);
}
