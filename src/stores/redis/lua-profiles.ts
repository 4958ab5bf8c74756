/**
 * Profile documents. The JSON document is what readers get; status and version sit beside it so
 * the event script can check them without decoding JSON, and rev lets updateProfile run the
 * caller's pure change function in JS and write only if nobody wrote in between (retrying if so),
 * which needs neither WATCH nor a dedicated connection.
 */

/** ARGV: document JSON, status, version, published rules JSON or "" . */
export const INSERT_PROFILE_LUA = `
if profile_exists() then return redis.error_reply('ES_PROFILE_EXISTS') end
redis.call('HSET', K_PROFILE, 'doc', ARGV[1], 'status', ARGV[2], 'version', ARGV[3], 'rev', '1')
if ARGV[4] ~= '' then redis.call('HSET', K_VERSIONS, ARGV[3], ARGV[4]) end
return 1
`;

/** ARGV: expected rev, document JSON, status, version, published rules JSON of a new version or "". */
export const UPDATE_PROFILE_LUA = `
local rev = redis.call('HGET', K_PROFILE, 'rev')
if not rev then return not_found() end
if rev ~= ARGV[1] then return redis.error_reply('ES_PROFILE_CHANGED') end
redis.call('HSET', K_PROFILE, 'doc', ARGV[2], 'status', ARGV[3], 'version', ARGV[4])
redis.call('HINCRBY', K_PROFILE, 'rev', 1)
if ARGV[5] ~= '' then redis.call('HSET', K_VERSIONS, ARGV[4], ARGV[5]) end
return 1
`;

/**
 * Removes everything of the profile except its seq counter (walking its contacts for their history lists) (the change-log Stream goes with the
 * triggers' consumer groups): a profile created again under the same id continues numbering, so a
 * trigger's position (its group, recreated where it was, or a saved cursor) never skips the new
 * profile's changes.
 */
export const DELETE_PROFILE_LUA = `
local existed = redis.call('EXISTS', K_PROFILE)
-- A commit writes a contact's state with its changes, so the states name every history list.
local cursor = '0'
repeat
	local page = redis.call('HSCAN', K_CONTACTS, cursor, 'COUNT', 1000)
	cursor = page[1]
	local lists = {}
	for index = 1, #page[2], 2 do lists[#lists + 1] = history_list(page[2][index]) end
	for first = 1, #lists, ARGUMENT_CHUNK do redis.call('UNLINK', unpack(lists, first, math.min(#lists, first + ARGUMENT_CHUNK - 1))) end
until cursor == '0'
redis.call('UNLINK', K_PROFILE, K_VERSIONS, K_SCORES, K_CONTACTS, K_IDLE, K_SEEN, K_LOG, K_HISTORY, K_EXPIRY)
-- KEYS[11]: the profile's group index set (see groupIndexKey in keys.ts), with its sorted sets.
for _, name in ipairs(redis.call('SMEMBERS', KEYS[11])) do redis.call('UNLINK', KEYS[11] .. ':' .. name) end
redis.call('UNLINK', KEYS[11])
-- KEYS[12], KEYS[14]: the journal (see journalKeys in keys.ts); its seq counter stays, like the log's.
for first = 0, redis.call('ZCARD', KEYS[14]) - 1, ARGUMENT_CHUNK do
	local lists = {}
	for _, contact in ipairs(redis.call('ZRANGE', KEYS[14], first, first + ARGUMENT_CHUNK - 1)) do lists[#lists + 1] = KEYS[12] .. ':' .. contact end
	if #lists > 0 then redis.call('UNLINK', unpack(lists)) end
end
redis.call('UNLINK', KEYS[12], KEYS[14])
return existed
`;
