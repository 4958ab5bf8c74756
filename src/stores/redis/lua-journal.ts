/**
 * Reading and retention of the journal (the commit script appends to it). KEYS[12..14] are the
 * journal's keys (see journalKeys in keys.ts); an element starts with its journalSeq and a comma.
 * No score arithmetic: a fold's carried entry was computed in JS and arrives as text.
 */

/**
 * ARGV: the contact ids, a MessagePack array (see packedStrings). Returns { profile-wide elements,
 * each contact's elements... }, as of one moment, each list as one text of its elements joined by
 * newlines ('' for none; an element never holds one): one reply string per contact instead of one
 * per entry.
 */
export const READ_JOURNALS_LUA = `
if not profile_exists() then return {} end
local journals = { table.concat(redis.call('LRANGE', KEYS[12], 0, -1), '\\n') }
for index, contact in ipairs(cmsgpack.unpack(ARGV[1])) do journals[index + 1] = table.concat(redis.call('LRANGE', KEYS[12] .. ':' .. contact, 0, -1), '\\n') end
return journals
`;

/**
 * ARGV: contact id, throughSeq, the carried entry without its journalSeq. Replaces the contact's
 * elements with journalSeq <= throughSeq by the carried entry at throughSeq; later ones stay.
 * Returns 1, or 0 when the profile does not exist.
 */
export const FOLD_JOURNAL_LUA = `
if not profile_exists() then return 0 end
local through = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[13]) or '0')
if through > last then return redis.error_reply('ES_JOURNAL_SEQ_AHEAD ' .. string.format('%d', last)) end
local list = KEYS[12] .. ':' .. ARGV[1]
-- A contact's elements are in journalSeq order: the folded ones are a prefix, read a page at a time.
local folded, page_size = 0, 1000
while true do
	local page = redis.call('LRANGE', list, folded, folded + page_size - 1)
	local ended = #page < page_size
	for _, element in ipairs(page) do
		if tonumber(string.match(element, '^(%d+),')) > through then
			ended = true
			break
		end
		folded = folded + 1
	end
	if ended then break end
end
if folded > 0 then redis.call('LTRIM', list, folded, -1) end
redis.call('LPUSH', list, ARGV[2] .. ',' .. ARGV[3])
redis.call('ZADD', KEYS[14], 0, ARGV[1])
return 1
`;

/** ARGV: before. Removes the profile-wide elements whose time is before it; returns how many. */
export const PRUNE_PROFILE_WIDE_LUA = `
local before = tonumber(ARGV[1])
local pruned = 0
for _, element in ipairs(redis.call('LRANGE', KEYS[12], 0, -1)) do
	-- <journalSeq>,<kind letter><at>,<body>
	local at = tonumber(string.match(element, '^%d+,.([^,]*),'))
	if at < before then pruned = pruned + redis.call('LREM', KEYS[12], 1, element) end
end
return pruned
`;
