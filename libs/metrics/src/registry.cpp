#include "ticketing/metrics/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ticketing::metrics {
namespace {

std::string escape_label_value(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

// {a="1",b="2"} or "" when there are no labels; `extra` is appended (used for le).
std::string render_labels(const Labels& labels, const std::string& extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [key, value] : labels) {
    if (out.size() > 1) out.push_back(',');
    out += key + "=\"" + escape_label_value(value) + "\"";
  }
  if (!extra.empty()) {
    if (out.size() > 1) out.push_back(',');
    out += extra;
  }
  return out + "}";
}

std::string format_number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

// The rendered label set without its braces, so `le` can be added to it.
std::string strip_braces(const std::string& rendered) {
  return rendered.empty() ? rendered : rendered.substr(1, rendered.size() - 2);
}

void add_to(std::atomic<double>& target, double value) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + value, std::memory_order_relaxed)) {
  }
}

}  // namespace

std::vector<double> latency_buckets() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::observe(double value) {
  const auto slot = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  buckets_[slot].fetch_add(1, std::memory_order_relaxed);
  add_to(sum_, value);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snap{{}, sum_.load(std::memory_order_relaxed), 0};
  snap.cumulative.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    snap.count += buckets_[i].load(std::memory_order_relaxed);
    snap.cumulative.push_back(snap.count);
  }
  return snap;
}

Registry::Family& Registry::family(const std::string& name, Kind kind, const std::string& help) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.kind = kind;
    it->second.help = help;
  } else if (it->second.kind != kind) {
    throw std::logic_error("metric " + name + " registered with two different kinds");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Kind::counter, help).counters[render_labels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Kind::gauge, help).gauges[render_labels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Kind::histogram, help).histograms[render_labels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void Registry::gauge_callback(const std::string& name, const std::string& help,
                              std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, Kind::gauge, help).callback = std::move(read);
}

void Registry::counter_callback(const std::string& name, const std::string& help,
                                std::function<double()> read) {
  std::lock_guard lock(mutex_);
  family(name, Kind::counter, help).callback = std::move(read);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    const char* type = fam.kind == Kind::counter ? "counter"
                       : fam.kind == Kind::gauge ? "gauge"
                                                 : "histogram";
    out += "# HELP " + name + " " + fam.help + "\n# TYPE " + name + " " + type + "\n";
    for (const auto& [labels, counter] : fam.counters) {
      out += name + labels + " " + std::to_string(counter->value()) + "\n";
    }
    for (const auto& [labels, gauge] : fam.gauges) {
      out += name + labels + " " + format_number(gauge->value()) + "\n";
    }
    if (fam.callback) out += name + " " + format_number(fam.callback()) + "\n";
    for (const auto& [labels, histogram] : fam.histograms) {
      const auto snap = histogram->snapshot();
      const std::string inner = strip_braces(labels);
      const std::string prefix = inner.empty() ? "" : inner + ",";
      for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
        const std::string le = i < histogram->bounds().size()
                                   ? format_number(histogram->bounds()[i])
                                   : std::string("+Inf");
        out += name + "_bucket{" + prefix + "le=\"" + le + "\"} " +
               std::to_string(snap.cumulative[i]) + "\n";
      }
      out += name + "_sum" + labels + " " + format_number(snap.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(snap.count) + "\n";
    }
  }
  return out;
}

}  // namespace ticketing::metrics
