import { getProfileOptions, searchProfiles } from '../../../shared/profile';

export const listSearch = { searchProfiles };
export const loadOptions = { getProfileOptions };
