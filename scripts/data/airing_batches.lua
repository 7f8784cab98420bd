-- wrk script for scripts/bench_api*.py: POST batches of airings, every record with an event
-- id never sent before (run id, thread, request, record), so each batch is stored, not
-- answered as duplicates. Arguments after "--": run id, batch size, station, token, start
-- time (ISO 8601 with offset).
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

function init(args)
  RUN_ID, BATCH, STATION, TOKEN, START = args[1], tonumber(args[2]), args[3], args[4], args[5]
  counter = 0
end

local function record(n, i)
  local id = string.format("b%s-%d-%d-%d", RUN_ID, thread_no, n, i)
  return string.format(
    '{"event_id":"%s","status":"aired","entry_id":"e%d","planned_start":"%s",' ..
    '"actual_start":"%s","actual_end":"%s","title":"Tuyên truyền phòng, chống dịch",' ..
    '"segment_hash":"%s"}',
    id, i, START, START, START, string.rep("ab", 32))
end

function request()
  counter = counter + 1
  local parts = {}
  for i = 1, BATCH do
    parts[i] = record(counter, i)
  end
  local body = '{"airings":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/v1/stations/" .. STATION .. "/airings", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. TOKEN,
  }, body)
end
