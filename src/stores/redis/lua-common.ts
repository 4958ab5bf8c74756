/**
 * Lua shared by every script (prepended to each). KEYS[] arrive in the order of scriptKeys().
 *
 * The scripts only keep state: every score, time and state they write was computed in JS by the
 * scoring core and arrives as text. Two traps this code exists to avoid:
 * - Redis turns a Lua number in a reply into an integer, and `tostring` keeps only 14 digits, so
 *   numbers leave a script as `%.17g` strings, which parse back to the identical double in JS.
 * - Redis does not roll a script back on a runtime error, so each script checks everything it
 *   can before its first write.
 */
export const LUA_COMMON = `
local K_PROFILE, K_VERSIONS, K_SCORES, K_CONTACTS, K_IDLE, K_SEEN, K_LOG, K_SEQ, K_HISTORY, K_EXPIRY =
	KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]

-- unpack() is limited by Lua's C stack (8000 slots); variadic commands go in chunks of this many arguments.
local ARGUMENT_CHUNK = 2000

-- Whole numbers (times, most scores) take the cheaper integer format; both parse back exactly.
local function num(x)
	if x == math.floor(x) and x > -9007199254740992 and x < 9007199254740992 then return string.format('%d', x) end
	return string.format('%.17g', x)
end

-- For reads (width 1) the result holds one reply per argument, false for a missing member; the
-- second result is the last chunk's reply (an RPUSH's list length).
local function call_chunked(command, key, args, width)
	local step = ARGUMENT_CHUNK - (ARGUMENT_CHUNK % width)
	local results, reply = {}, nil
	for first = 1, #args, step do
		local last = math.min(first + step - 1, #args)
		reply = redis.call(command, key, unpack(args, first, last))
		if type(reply) == 'table' then
			for index = 1, last - first + 1 do results[first + index - 1] = reply[index] end
		end
	end
	return results, reply
end

-- The contact's history: the seqs of its changes, oldest first, a list per contact beside the
-- history index (same slot: the key starts with the profile's keys).
local function history_list(contact)
	return K_HISTORY .. ':' .. contact
end

-- The history index entry older versions wrote, one per change (read and deleted, no longer written);
-- the byte length prefix keeps one contact's prefix from matching another's.
-- Concatenated, never string.format('%s'): that stops at a NUL byte, and ids are byte-exact.
local function history_member(contact, seq)
	return #contact .. ':' .. contact .. ':' .. string.format('%016d', seq)
end

local function history_range(contact)
	local prefix = '[' .. #contact .. ':' .. contact .. ':'
	return prefix .. '0000000000000000', prefix .. '9999999999999999'
end

local function not_found()
	return redis.error_reply('ES_PROFILE_NOT_FOUND')
end

local function stream_id(seq)
	return string.format('%d-0', seq)
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
	profileExists: 'ES_PROFILE_EXISTS',
	profileChanged: 'ES_PROFILE_CHANGED',
	/** A fold through a journalSeq the journal has not reached; the reply goes on with the last one. */
	journalSeqAhead: 'ES_JOURNAL_SEQ_AHEAD',
} as const;
