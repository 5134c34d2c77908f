-- Token poll: GET /api/v1/queue/tokens/me with "Authorization: Bearer <token>", taking the
-- tokens round-robin from a file (one a line). Usage: wrk ... -s poll.lua URL -- TOKEN_FILE
-- Each thread starts at a different place in the list so threads do not poll in lockstep.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local requests = {}
local next_index = 0

function init(args)
  local file = args[1] or error("poll.lua needs a token file after --")
  for line in io.lines(file) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("GET", "/api/v1/queue/tokens/me",
        { ["Authorization"] = "Bearer " .. line })
    end
  end
  if #requests == 0 then error("no tokens in " .. file) end
  next_index = ((thread_number or 1) - 1) * 7919 % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
