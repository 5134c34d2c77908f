-- The full flow through the gateway, as a visitor makes it:
--   issue   POST /api/v1/queue/tokens {}                       201 (a new user and token)
--   poll    GET  /api/v1/queue/tokens/me                       200, until ACTIVE (skipped when
--                                                              the token is ACTIVE at issue)
--   reserve POST /api/v1/reservations {"date","seatNo"}        201, a seat nobody asked for
--   charge  POST /api/v1/users/{userId}/points/charge {PRICE}  200, the seat's price
--   pay     POST /api/v1/payments {"reservationId"}            201, expires the token
-- Usage: wrk ... -s flow.lua URL -- DATES_FILE START THREADS PRICE
-- Seats are walked as in reserve.lua (index i: seat i % 50 + 1 of date line i / 50 + 1; thread t
-- takes START + t - 1, START + t - 1 + THREADS, ...). One flow per seat index.
--
-- How flows map onto connections: wrk calls request() when a connection may send and
-- response() when an answer arrives, without saying which connection or request it belongs to.
-- So each flow is a small state machine of its own: every request carries the flow's id in
-- X-Request-Id, which the gateway echoes on every answer (its own errors included), and
-- response() finds the flow by it, advances it and queues it as ready. request() sends the next
-- step of the oldest ready flow, or starts a new flow when none is ready. A connection has one
-- request in flight, so at most -c flows are under way at a time.
--
-- Counts (done(): counts.*): started, paid (answers 201 to pay: completed payments), and
-- "unexpected <step> <status>" for anything else (the flow is then dropped). Samples: the time
-- from sending the issue to the pay's 201, per completed flow. maxima.next_index: where the
-- next run's seats start.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local timespec = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec)  -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local MAX_POLLS = 1000  -- a token still WAITING after this many polls fails the flow
local dates = {}
local index, stride, charge_body
local flows = {}                       -- flow id -> { step, date, seat, token, user, ... }
local ready, first, last = {}, 1, 0    -- FIFO of flow ids whose next request is due
local next_id = 0
local id_prefix

function init(args)
  local file = args[1] or error("flow.lua needs a dates file after --")
  local start = tonumber(args[2]) or error("flow.lua needs a start index after the dates file")
  stride = tonumber(args[3]) or error("flow.lua needs the thread count after the start index")
  local price = tonumber(args[4]) or error("flow.lua needs the seat price after the thread count")
  for line in io.lines(file) do
    if line ~= "" then dates[#dates + 1] = line end
  end
  if #dates == 0 then error("no dates in " .. file) end
  if thread_number > stride then error("more wrk threads than the THREADS argument") end
  index = start + thread_number - 1 - stride
  charge_body = string.format('{"amount":%d}', price)
  -- Letters and digits only: the gateway passes on 1..128 visible characters, and the id is
  -- matched back with a Lua pattern.
  id_prefix = "benchflow" .. thread_number .. "x"
end

local function new_flow()
  index = index + stride
  bench_note_max("next_index", index + 1)
  next_id = next_id + 1
  flows[next_id] = { step = "issue", date = dates[math.floor(index / 50) + 1] or "0000-00-00",
                     seat = index % 50 + 1, polls = 0, t0 = now_ms() }
  bench_count("started")
  return next_id
end

function request()
  local id
  if first <= last then
    id = ready[first]
    ready[first] = nil
    first = first + 1
  else
    id = new_flow()
  end
  local flow = flows[id]
  local headers = { ["X-Request-Id"] = id_prefix .. id }
  local step = flow.step
  if step == "issue" then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/queue/tokens", headers, "{}")
  elseif step == "poll" then
    headers["Authorization"] = "Bearer " .. flow.token
    return wrk.format("GET", "/api/v1/queue/tokens/me", headers)
  elseif step == "reserve" then
    headers["Authorization"] = "Bearer " .. flow.token
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/reservations", headers,
      string.format('{"date":"%s","seatNo":%d}', flow.date, flow.seat))
  elseif step == "charge" then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/users/" .. flow.user .. "/points/charge", headers, charge_body)
  else -- pay
    headers["Authorization"] = "Bearer " .. flow.token
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/payments", headers,
      '{"reservationId":' .. flow.reservation .. "}")
  end
end

function response(status, headers, body)
  local request_id = headers["X-Request-Id"] or headers["x-request-id"] or ""
  local id = tonumber(request_id:match("^" .. id_prefix .. "(%d+)$"))
  local flow = id and flows[id]
  if not flow then return bench_count("uncorrelated " .. status) end
  local step, ok = flow.step, false
  if step == "issue" and status == 201 then
    flow.token = body:match('"token"%s*:%s*"([^"]+)"')
    flow.user = body:match('"userId"%s*:%s*"([^"]+)"')
    ok = flow.token ~= nil and flow.user ~= nil
    flow.step = body:match('"status"%s*:%s*"ACTIVE"') and "reserve" or "poll"
  elseif step == "poll" and status == 200 then
    flow.polls = flow.polls + 1
    ok = flow.polls <= MAX_POLLS
    if body:match('"status"%s*:%s*"ACTIVE"') then flow.step = "reserve" end
  elseif step == "reserve" and status == 201 then
    flow.reservation = body:match('"reservationId"%s*:%s*(%d+)')
    ok = flow.reservation ~= nil
    flow.step = "charge"
  elseif step == "charge" and status == 200 then
    ok, flow.step = true, "pay"
  elseif step == "pay" and status == 201 then
    bench_count("paid")
    bench_sample(now_ms() - flow.t0)
    flows[id] = nil
    return
  end
  if not ok then
    bench_count("unexpected " .. step .. " " .. status)
    flows[id] = nil
    return
  end
  last = last + 1
  ready[last] = id
end
