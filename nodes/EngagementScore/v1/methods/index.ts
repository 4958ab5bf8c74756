import { getProfileOptions, searchProfiles } from '../../../shared/profile';
import { REDIS_CREDENTIAL_TEST, testRedisCredential } from '../../../shared/redis';

export const listSearch = { searchProfiles };
export const loadOptions = { getProfileOptions };
export const credentialTest = { [REDIS_CREDENTIAL_TEST]: testRedisCredential };
