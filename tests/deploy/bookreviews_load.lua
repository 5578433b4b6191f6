-- wrk script for tests/deploy/bookreviews_scaleout.py: a signed-in reader of BookReviews
-- behind nginx. Every other request posts a review (with the session cookie and its CSRF
-- token) whose text carries an id no other request has (thread number, then a counter), also
-- in the URL's query so that nginx's access log shows it; the others are GETs of the book
-- list, of books nobody posts to, and of the JSON API. Every response must be a 303 (a POST:
-- the post/redirect/get of a stored review) or a 200 (a GET); which got which, the test reads
-- in nginx's access log (the connections of a wrk thread share this script's state, so a
-- response cannot be matched to its request here). The counts are printed at the end.
--
-- Environment: BR_COOKIE (the Cookie header), BR_CSRF (the session's CSRF token),
-- BR_POST_BOOKS and BR_GET_BOOKS (book ids, separated by spaces).
--
--   wrk -t2 -c8 -d20s --timeout 10s -s bookreviews_load.lua http://127.0.0.1:PORT/

local function ids(name)
  local out = {}
  for id in string.gmatch(os.getenv(name) or "", "%d+") do table.insert(out, id) end
  return out
end

local cookie = os.getenv("BR_COOKIE") or ""
local csrf = os.getenv("BR_CSRF") or ""
local post_books = ids("BR_POST_BOOKS")
local get_books = ids("BR_GET_BOOKS")

-- setup(), done() and the counters: load_counts.lua, beside this file.
dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "") .. "load_counts.lua")

local function urlencode(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  if counter % 2 == 0 then
    posts = posts + 1
    local book = post_books[(counter / 2) % #post_books + 1]
    local body = "rating=" .. (counter % 5 + 1) .. "&text=" .. urlencode("load review " .. id) ..
                 "&csrf_token=" .. urlencode(csrf)
    return wrk.format("POST", "/books/" .. book .. "/reviews?id=" .. id,
                      { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie }, body)
  end
  gets = gets + 1
  local k = (counter - 1) / 2 % (#get_books + 2)
  local path
  if k == 0 then
    path = "/?id=" .. id
  elseif k == 1 then
    path = "/api/books?id=" .. id
  else
    path = "/books/" .. get_books[k - 1] .. "?id=" .. id
  end
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if status == 200 or status == 303 then
    good = good + 1
  else
    bad = bad + 1
    if bad <= 5 then
      io.stderr:write("unexpected response: " .. status .. " " .. string.sub(body, 1, 160) .. "\n")
    end
  end
end
