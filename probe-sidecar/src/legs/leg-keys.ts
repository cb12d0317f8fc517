/** The keys config/load.ts reads for every leg, whatever its type; each type's key list starts with them. */
export const COMMON_LEG_KEYS = ['name', 'type', 'url', 'segments', 'user'];
