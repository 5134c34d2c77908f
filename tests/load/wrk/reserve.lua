-- Reserve (queue-gated): POST /api/v1/reservations {"date","seatNo"} with an ACTIVE token,
-- every request a seat nobody asked for before.
-- Usage: wrk ... -s reserve.lua URL -- DATES_FILE START THREADS TOKENS_FILE
-- DATES_FILE lists dates (one YYYY-MM-DD a line) whose 50 seats are free. Seat index i is seat
-- i % 50 + 1 of the date on line i / 50 + 1. Thread t (1..THREADS) takes the indexes
-- START + t - 1, START + t - 1 + THREADS, ... so threads never collide; THREADS must be wrk's
-- -t. Index i is held with token number i % N + 1 of the N in TOKENS_FILE: with N >= 50 the 50
-- seats of a date go to 50 different users, so no user comes near MAX_SEATS_PER_USER.
-- Past the last date it sends the date "0000-00-00" (400 INVALID_DATE), so running out of
-- seats shows as non-2xx answers instead of silently reusing seats. done() reports the next
-- unused index as maxima.next_index, where the next run starts.
local dates, tokens = {}, {}
local index, stride

function init(args)
  local file = args[1] or error("reserve.lua needs a dates file after --")
  local start = tonumber(args[2]) or error("reserve.lua needs a start index after the dates file")
  stride = tonumber(args[3]) or error("reserve.lua needs the thread count after the start index")
  local tokens_file = args[4] or error("reserve.lua needs a tokens file after the thread count")
  for line in io.lines(file) do
    if line ~= "" then dates[#dates + 1] = line end
  end
  for line in io.lines(tokens_file) do
    local token = line:match("(%S+)%s*$")
    if token then tokens[#tokens + 1] = "Bearer " .. token end
  end
  if #dates == 0 then error("no dates in " .. file) end
  if #tokens < 50 then error("reserve.lua needs at least 50 tokens, got " .. #tokens) end
  if thread_number > stride then error("more wrk threads than the THREADS argument") end
  index = start + thread_number - 1 - stride
end

local headers = { ["Content-Type"] = "application/json" }

function request()
  index = index + stride
  bench_note_max("next_index", index + 1)
  local date = dates[math.floor(index / 50) + 1] or "0000-00-00"
  headers["Authorization"] = tokens[index % #tokens + 1]
  return wrk.format("POST", "/api/v1/reservations", headers,
    string.format('{"date":"%s","seatNo":%d}', date, index % 50 + 1))
end
