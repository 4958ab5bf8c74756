/**
 * Lua shared by every script (prepended to each). KEYS[] arrive in the order of scriptKeys().
 *
 * Two traps this code exists to avoid:
 * - Redis turns a Lua number in a reply into an integer, and `tostring` keeps only 14 digits, so
 *   numbers leave a script as `%.17g` strings, which parse back to the identical double in JS.
 * - Redis does not roll a script back on a runtime error, so each script validates everything it
 *   can before its first write.
 */
export const LUA_COMMON = `
local K_PROFILE, K_VERSIONS, K_SCORES, K_CONTACTS, K_IDLE, K_SEEN, K_LOG, K_SEQ, K_HISTORY =
	KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]

-- unpack() is limited by Lua's C stack (8000 slots); variadic commands go in chunks of this many arguments.
local ARGUMENT_CHUNK = 2000

-- Whole numbers (times, most scores) take the cheaper integer format; both parse back exactly.
local function num(x)
	if x == math.floor(x) and x > -9007199254740992 and x < 9007199254740992 then return string.format('%d', x) end
	return string.format('%.17g', x)
end

-- Same result as score-math.ts normalizeScore: Math.round(x * 1e6) / 1e6 (ties toward +infinity), never -0.
local function normalize(x)
	local scaled = x * 1e6
	local whole = math.floor(scaled)
	if scaled - whole >= 0.5 then whole = whole + 1 end
	local rounded = whole / 1e6
	if rounded == 0 then return 0 end
	return rounded
end

-- For reads (width 1) the result holds one reply per argument, false for a missing member.
local function call_chunked(command, key, args, width)
	local step = ARGUMENT_CHUNK - (ARGUMENT_CHUNK % width)
	local results = {}
	for first = 1, #args, step do
		local last = math.min(first + step - 1, #args)
		local reply = redis.call(command, key, unpack(args, first, last))
		if type(reply) == 'table' then
			for index = 1, last - first + 1 do results[first + index - 1] = reply[index] end
		end
	end
	return results
end

-- Contact metadata: "lastActivityAt,firstSeenAt,updatedAt", lastActivityAt empty when the contact was never active.
local function read_meta(raw)
	if not raw then return nil end
	local last, first, updated = string.match(raw, '^([^,]*),([^,]*),([^,]*)$')
	return { last = tonumber(last), first = tonumber(first), updated = tonumber(updated) }
end

local function encode_meta(meta)
	return (meta.last and num(meta.last) or '') .. ',' .. num(meta.first) .. ',' .. num(meta.updated)
end

local function idle_since(meta)
	return meta.last or meta.first
end

-- Same rules as the SQLite store: the latest activity wins, first appearance is the earliest time seen.
local function touch_meta(meta, at, counts_as_activity)
	if not meta then
		local last = nil
		if counts_as_activity then last = at end
		return { last = last, first = at, updated = at }
	end
	if counts_as_activity and (not meta.last or at > meta.last) then meta.last = at end
	if at < meta.first then meta.first = at end
	meta.updated = at
	return meta
end

local function write_contact(contact, score, meta)
	redis.call('ZADD', K_SCORES, num(score), contact)
	redis.call('HSET', K_CONTACTS, contact, encode_meta(meta))
	redis.call('ZADD', K_IDLE, num(idle_since(meta)), contact)
end

-- The contact's history index entry; the byte length prefix keeps one contact's prefix from matching another's.
-- Concatenated, not string.format('%s'), which cuts a contact id at a NUL byte.
local function history_member(contact, seq)
	return #contact .. ':' .. contact .. ':' .. string.format('%016d', seq)
end

local function history_range(contact)
	local prefix = '[' .. #contact .. ':' .. contact .. ':'
	return prefix .. '0000000000000000', prefix .. '9999999999999999'
end

local function next_seq()
	return redis.call('INCR', K_SEQ)
end

local function not_found()
	return redis.error_reply('ES_PROFILE_NOT_FOUND')
end

local function stream_id(seq)
	return string.format('%d-0', seq)
end

-- Appends the change to the log; its history index entry goes to \`history_batch\` when given (one ZADD later), else now.
local function log_change(seq, contact, previous, score, cause, at, history_batch)
	redis.call('XADD', K_LOG, stream_id(seq), 'c', contact, 'p', num(previous), 's', num(score),
		'd', num(normalize(score - previous)), 'k', cause, 'a', num(at))
	if history_batch then
		history_batch[#history_batch + 1] = 0
		history_batch[#history_batch + 1] = history_member(contact, seq)
	else
		redis.call('ZADD', K_HISTORY, 0, history_member(contact, seq))
	end
end

local function profile_exists()
	return redis.call('EXISTS', K_PROFILE) == 1
end

local function now_ms()
	local time = redis.call('TIME')
	return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** Error replies a script raises on purpose; the store turns them into engine errors. */
export const SCRIPT_ERRORS = {
	profileNotFound: 'ES_PROFILE_NOT_FOUND',
	profileNotPublished: 'ES_PROFILE_NOT_PUBLISHED',
	profileExists: 'ES_PROFILE_EXISTS',
	profileChanged: 'ES_PROFILE_CHANGED',
} as const;
