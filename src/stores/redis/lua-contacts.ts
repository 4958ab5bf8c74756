/** Reads of contacts, and deleting one. Each is atomic; see lua-common.ts for the helpers. */

/** ARGV: contact id. Removes score, activity, history index and the contact's change-log entries. Returns 1 if it existed. */
export const DELETE_CONTACT_LUA = `
local contact = ARGV[1]
local existed = redis.call('ZREM', K_SCORES, contact)
redis.call('HDEL', K_CONTACTS, contact)
redis.call('ZREM', K_IDLE, contact)
redis.call('ZREM', K_EXPIRY, contact)
local min, max = history_range(contact)
local members = redis.call('ZRANGEBYLEX', K_HISTORY, min, max)
local ids = {}
for _, member in ipairs(members) do ids[#ids + 1] = stream_id(tonumber(string.sub(member, -16))) end
if #ids > 0 then
	call_chunked('XDEL', K_LOG, ids, 1)
	redis.call('ZREMRANGEBYLEX', K_HISTORY, min, max)
end
return existed
`;

/** ARGV: contact id. Returns false, or { score, meta }. */
export const GET_CONTACT_LUA = `
local score = redis.call('ZSCORE', K_SCORES, ARGV[1])
if not score then return false end
return { score, redis.call('HGET', K_CONTACTS, ARGV[1]) }
`;

/**
 * ARGV: order (asc|desc), min, max (inclusive, or -inf/+inf), offset, limit.
 * Returns a flat list: contact id, score, meta, contact id, ...
 *
 * Ties sort by contact id ascending in both orders. Redis's reverse range orders ties by id
 * descending, so a descending page walks from score to score, reading each score's contacts
 * with a forward range: a few O(log N) calls per distinct score on the page.
 */
export const LIST_CONTACTS_LUA = `
local order, min, max, offset, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local ids, scores = {}, {}
if limit <= 0 then return {} end
if order == 'asc' then
	local rows = redis.call('ZRANGEBYSCORE', K_SCORES, min, max, 'WITHSCORES', 'LIMIT', offset, limit)
	for index = 1, #rows, 2 do
		ids[#ids + 1] = rows[index]
		scores[#scores + 1] = rows[index + 1]
	end
else
	local first = redis.call('ZREVRANGEBYSCORE', K_SCORES, max, min, 'WITHSCORES', 'LIMIT', offset, 1)
	if #first == 0 then return {} end
	local score = first[2]
	local skip = offset - redis.call('ZCOUNT', K_SCORES, '(' .. score, max)
	while true do
		local tied = redis.call('ZRANGEBYSCORE', K_SCORES, score, score, 'LIMIT', skip, limit - #ids)
		for _, id in ipairs(tied) do
			ids[#ids + 1] = id
			scores[#scores + 1] = score
		end
		if #ids >= limit then break end
		local following = redis.call('ZREVRANGEBYSCORE', K_SCORES, '(' .. score, min, 'WITHSCORES', 'LIMIT', 0, 1)
		if #following == 0 then break end
		score = following[2]
		skip = 0
	end
end
local rows = {}
if #ids == 0 then return rows end
local metas = call_chunked('HMGET', K_CONTACTS, ids, 1)
for index, id in ipairs(ids) do
	rows[#rows + 1] = id
	rows[#rows + 1] = scores[index]
	rows[#rows + 1] = metas[index] or ''
end
return rows
`;

/** ARGV: contact id, limit. Returns the contact's change-log entries, newest first, as XRANGE does. */
export const HISTORY_LUA = `
local min, max = history_range(ARGV[1])
local members = redis.call('ZREVRANGEBYLEX', K_HISTORY, max, min, 'LIMIT', 0, tonumber(ARGV[2]))
local entries = {}
for _, member in ipairs(members) do
	local id = stream_id(tonumber(string.sub(member, -16)))
	local found = redis.call('XRANGE', K_LOG, id, id)
	if found[1] then entries[#entries + 1] = found[1] end
end
return entries
`;
