import { getProfileOptions, searchProfiles } from '../../../shared/profile';
import { REDIS_CREDENTIAL_TEST, testRedisCredential } from '../../../shared/redis';
import { getConditionProperties, getConditionValues } from './rule-suggestions';

export const listSearch = { searchProfiles };
export const loadOptions = { getProfileOptions, getConditionProperties, getConditionValues };
export const credentialTest = { [REDIS_CREDENTIAL_TEST]: testRedisCredential };
