-- Prepended by lib/wrk.sh to every wrk scenario script (wrk takes one script file). It gives
-- each scenario:
--   thread_number        1..wrk -t, set before init() runs in each thread
--   bench_count(name, n) a named counter of this thread, summed over the threads in done()
--   bench_sample(ms)     a latency of the scenario's own unit (e.g. a whole flow), in ms
--   bench_note_max(name, v) a named maximum of this thread (e.g. the next free seat index)
-- and a done() that prints one line "BENCH_JSON {...}": requests, duration, req/s, wrk's latency
-- percentiles of single requests, its error counts, and the merged counters, maxima and sample
-- percentiles. lib/wrk.sh reads that line, so no scenario parses wrk's text report.
local bench_threads = {}

function setup(thread)
  bench_threads[#bench_threads + 1] = thread
  thread:set("thread_number", #bench_threads)
end

bench_counts = {}
bench_samples = {}
bench_maxima = {}

function bench_count(name, n)
  bench_counts[name] = (bench_counts[name] or 0) + (n or 1)
end

function bench_sample(ms)
  bench_samples[#bench_samples + 1] = ms
end

function bench_note_max(name, v)
  if bench_maxima[name] == nil or v > bench_maxima[name] then bench_maxima[name] = v end
end

local function json(v)
  local t = type(v)
  if t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
    return string.format("%.3f", v)
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  elseif t == "boolean" then
    return tostring(v)
  elseif t == "table" then
    local parts = {}
    if #v > 0 then
      for _, item in ipairs(v) do parts[#parts + 1] = json(item) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do parts[#parts + 1] = json(k) .. ":" .. json(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

local function percentile(sorted, q)
  if #sorted == 0 then return -1 end
  local i = math.ceil(#sorted * q)
  if i < 1 then i = 1 end
  if i > #sorted then i = #sorted end
  return sorted[i]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local counts, maxima, samples = {}, {}, {}
  for _, thread in ipairs(bench_threads) do
    for k, v in pairs(thread:get("bench_counts") or {}) do counts[k] = (counts[k] or 0) + v end
    for k, v in pairs(thread:get("bench_maxima") or {}) do
      if maxima[k] == nil or v > maxima[k] then maxima[k] = v end
    end
    for _, v in ipairs(thread:get("bench_samples") or {}) do samples[#samples + 1] = v end
  end
  table.sort(samples)
  local e = summary.errors
  local out = {
    requests = summary.requests,
    seconds = seconds,
    rps = seconds > 0 and summary.requests / seconds or 0,
    -- wrk's latency of single requests, from its histogram (microseconds -> ms)
    p50_ms = latency:percentile(50) / 1000,
    p90_ms = latency:percentile(90) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    -- errors.status counts answers with a status above 399
    non2xx = e.status,
    socket_errors = e.connect + e.read + e.write + e.timeout,
    errors = { connect = e.connect, read = e.read, write = e.write, timeout = e.timeout,
               status = e.status },
    counts = counts,
    maxima = maxima,
    samples = { n = #samples, p50_ms = percentile(samples, 0.50), p90_ms = percentile(samples, 0.90),
                p99_ms = percentile(samples, 0.99), max_ms = percentile(samples, 1.0) },
  }
  io.write("BENCH_JSON ", json(out), "\n")
end

-- Scenario script follows.
