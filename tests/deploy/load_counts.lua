-- What the wrk scripts of tests/deploy share (loaded with dofile by mixed_load.lua and
-- bookreviews_load.lua): a number per wrk thread (`tid`, for ids no other request has), the
-- counters each script's request() and response() keep, and done(), which adds them up over
-- the threads and prints the line the Python tests read:
--   mixed_load: sent_get=N sent_post=N good=N bad=N completed=N connect_errors=N ...

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

counter = 0
gets, posts, good, bad = 0, 0, 0, 0  -- globals: done() reads them with thread:get

function done(summary, latency, requests)
  local g, p, ok, ko = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("gets")
    p = p + t:get("posts")
    ok = ok + t:get("good")
    ko = ko + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format("mixed_load: sent_get=%d sent_post=%d good=%d bad=%d completed=%d "
    .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non_2xx=%d\n",
    g, p, ok, ko, summary.requests, e.connect, e.read, e.write, e.timeout, e.status))
end
