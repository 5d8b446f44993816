-- fusebox-redis: the fleet's administration, run from FleetControl (rarely, so sent with EVAL); see
-- FleetScript.java. Times are Redis TIME in milliseconds, as in flush.lua.
--
-- ARGV[1] is the operation:
--   read     KEYS: 1 any hash. Returns { now, field, value, ... }.
--   members  KEYS: 1 members. ARGV: 2 ttlMs. Forgets members not seen for ttlMs, returns the rest as read does.
--   set      KEYS: 1 overrides. ARGV: 2 field, 3 kind (F forced open, D disabled), 4 durationMs (0: until
--            released), 5 by, 6 reason, 7 the caller's known epoch, 8 channel, 9 ttlMs.
--   release  the same, kind R: writes a tombstone, so that an instance carrying the override back after a
--            state loss cannot bring it back. Writes nothing when no override is in force.
--   set and release return { now, epoch written (0: none), whether an override was in force, the entry }.
--
-- An override entry is "epoch,kind,sinceMs,untilMs,len(by),by..reason": the reason comes last, so it may hold
-- any character. Epochs come from the hash's 'epoch' counter, and never fall below one an instance knows, so
-- an entry written after Redis lost the hash is still newer than every entry the instances carry back.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op = ARGV[1]

if op == 'read' then
  local out = { now }
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all do
    out[#out + 1] = all[i]
  end
  return out
end

if op == 'members' then
  local ttl = tonumber(ARGV[2])
  local out = { now }
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local seen = tonumber(string.match(all[i + 1], '^[^,]*,(%d+)'))
    if seen and now - seen > ttl then
      redis.call('HDEL', KEYS[1], all[i])
    else
      out[#out + 1] = all[i]
      out[#out + 1] = all[i + 1]
    end
  end
  return out
end

local field, kind, durationMs, by, reason = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
local known, channel, ttl = tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])
local prev = redis.call('HGET', KEYS[1], field)
local inForce = 0
if prev then
  local pk, pu = string.match(prev, '^%d+,(%a),%d+,(%d+),')
  if pk ~= 'R' and (tonumber(pu) == 0 or tonumber(pu) > now) then
    inForce = 1
  end
end
if op == 'release' and inForce == 0 then
  return { now, 0, 0, prev or '' }
end
local ep = math.max(tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0'), known) + 1
local untilMs = 0
if durationMs > 0 then
  untilMs = now + durationMs
end
local value = ep .. ',' .. kind .. ',' .. now .. ',' .. untilMs .. ',' .. string.len(by) .. ',' .. by .. reason
redis.call('HSET', KEYS[1], 'epoch', ep, field, value)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PUBLISH', channel, 'fleet ' .. ep)
return { now, ep, inForce, value }
