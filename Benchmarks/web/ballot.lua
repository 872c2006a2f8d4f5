-- wrk script: every request casts (or changes) one participant's dots ballot, each with its own
-- bearer token, taken in turn from the token file.
-- wrk ... -s ballot.lua URL -- TOKEN_FILE VOTE_ID FIRST_IMPROVEMENT IMPROVEMENTS
local tokens, vote, first, count = {}, 0, 0, 0
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  vote, first, count = tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  -- Threads start far apart, so no two send the same participant at once.
  next_index = math.random(#tokens)
end

function request()
  next_index = next_index % #tokens + 1
  local a = first + next_index % count
  local b = first + (next_index + 1 + next_index % 3) % count
  local body = string.format('{"choices":{"%d":3,"%d":2}}', a, b)
  return wrk.format("POST", "/api/v1/votes/" .. vote .. "/ballot",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[next_index] }, body)
end
