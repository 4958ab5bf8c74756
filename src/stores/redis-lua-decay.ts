/**
 * Decay runs in two steps so that a profile with a million contacts never blocks Redis for one
 * long script: a snapshot of the contacts inactive now (ZRANGESTORE, one fast server-side copy),
 * then chunks of that snapshot, each one atomic script. A chunk re-checks each contact, so one
 * that became active (or was deleted) since the snapshot is left alone, and none decays twice.
 */

/** KEYS[10] snapshot key. ARGV: inactiveBefore, snapshot lifetime in ms. Returns the snapshot size. */
export const DECAY_SNAPSHOT_LUA = `
if not profile_exists() then return not_found() end
local size = redis.call('ZRANGESTORE', KEYS[10], K_IDLE, '-inf', '(' .. ARGV[1], 'BYSCORE')
if size > 0 then redis.call('PEXPIRE', KEYS[10], ARGV[2]) end
return size
`;

/**
 * KEYS[10] snapshot key. ARGV: first rank, last rank, mode (subtract|multiply), points or factor,
 * floor, inactiveBefore, at, cause JSON.
 * Returns { inactive, decayed, total delta, first seq or "", last seq or "" } as strings.
 */
export const DECAY_CHUNK_LUA = `
if not profile_exists() then return not_found() end
local mode, amount, floor = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local inactive_before, at, cause = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]

-- Same as score-math.ts decayScore.
local function decayed_score(score)
	if score <= floor then return score end
	local decayed
	if mode == 'subtract' then decayed = score - amount else decayed = math.floor(score * amount) end
	return normalize(math.max(floor, math.min(score, decayed)))
end

local ids = redis.call('ZRANGE', KEYS[10], ARGV[1], ARGV[2])
local idle = call_chunked('ZMSCORE', K_IDLE, ids, 1)
local scores = call_chunked('ZMSCORE', K_SCORES, ids, 1)
local inactive, decayed, total, first_seq, last_seq = 0, 0, 0, '', ''
for index, contact in ipairs(ids) do
	if idle[index] and scores[index] and tonumber(idle[index]) < inactive_before then
		inactive = inactive + 1
		local previous = tonumber(scores[index])
		local score = decayed_score(previous)
		if score ~= previous then
			local meta = read_meta(redis.call('HGET', K_CONTACTS, contact))
			meta.updated = at
			write_contact(contact, score, meta)
			local seq = next_seq()
			log_change(seq, contact, previous, score, cause, at)
			decayed = decayed + 1
			total = normalize(total + normalize(score - previous))
			if first_seq == '' then first_seq = seq end
			last_seq = seq
		end
	end
end
return { tostring(inactive), tostring(decayed), num(total), tostring(first_seq), tostring(last_seq) }
`;
